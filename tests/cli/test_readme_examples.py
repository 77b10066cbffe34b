"""The README's configuration examples are valid configuration (the manual stays true)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from foundation.settings import load_settings

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_toml_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_toml_example_loads(block: str, tmp_path: Path, monkeypatch) -> None:
    config = tmp_path / "parkwatch.toml"
    config.write_text(block.replace('"…"', '"secret"'), encoding="utf-8")
    monkeypatch.delenv("PARKWATCH_DATABASE_URL", raising=False)
    settings = load_settings(config)
    assert settings.sources["e-my399"].sections  # the built-in profile survives overrides
    for name in re.findall(r"^\[sources\.([\w-]+)\]", block, re.M):
        profile = settings.source(name)
        assert profile.article_re.pattern and profile.schedule
