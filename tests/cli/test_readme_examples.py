"""The configuration examples of the README and the guides are valid configuration (the manual
stays true); their shown commands are run by tests/docs/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from foundation.settings import load_settings
from tests.docs.examples import blocks, docs, shown_name

BLOCKS = [(f"{shown_name(b.doc)}:{b.line}", "\n".join(b.lines) + "\n")
          for doc in docs() for b in blocks(doc) if b.language == "toml"]


def test_readme_has_toml_examples() -> None:
    assert sum(where.startswith("README.md:") for where, _ in BLOCKS) >= 2


@pytest.mark.parametrize("block", [b for _, b in BLOCKS], ids=[w for w, _ in BLOCKS])
def test_toml_example_loads(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                            ) -> None:
    config = tmp_path / "parkwatch.toml"
    config.write_text(block.replace('"…"', '"secret"'), encoding="utf-8")
    monkeypatch.delenv("PARKWATCH_DATABASE_URL", raising=False)
    settings = load_settings(config)
    assert settings.sources["e-my399"].sections  # the built-in profile survives overrides
    for name in re.findall(r"^\[sources\.([\w-]+)\]", block, re.M):
        profile = settings.source(name)
        assert profile.article_re.pattern and profile.schedule
