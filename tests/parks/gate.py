"""The evaluation gate the parks sets share: a corpus pinned by digest, floors on its figures."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipelines.entities.evaluate import Scores

HERE = Path(__file__).resolve().parent


def changed(files: dict[str, str]) -> list[str]:
    """The set files whose sha256 is no longer the one pinned."""
    return [name for name, digest in files.items()
            if hashlib.sha256((HERE / name).read_bytes()).hexdigest() != digest]


def below(result: Scores, floors: dict[str, float]) -> dict[str, float]:
    """The headline figures under their floors."""
    return {k: v for k, v in result.figures().items() if v < floors[k]}
