"""Imports flow one way (README, "How it is built"): parkwatch → scheduler → crawler → pipelines
→ archive, watches below the scheduler; the settings module is the one thing every layer reads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("parkwatch", "scheduler", "crawler", "pipelines", "archive", "watches")
# What each package may import of ours, beyond itself and the settings.
MAY_IMPORT = {
    "archive": set(),
    "pipelines": {"archive"},
    "watches": {"archive"},
    "crawler": {"pipelines", "archive"},
    "scheduler": {"crawler", "pipelines", "archive", "watches"},
}
SETTINGS = "parkwatch.settings"
# A data migration that fills a new table computes what the pipeline computes (0009: MinHash
# signatures of stored articles), so migrations may call the pipelines.
MIGRATIONS_MAY_IMPORT = {"pipelines"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return {n for n in names if n.split(".")[0] in OURS}


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_imports_flow_one_way(package: str) -> None:
    allowed = MAY_IMPORT[package] | {package}
    wrong = sorted(f"{path.relative_to(ROOT)} imports {name}"
                   for path in (ROOT / package).rglob("*.py")
                   for name in imported(path)
                   if name != SETTINGS and name.split(".")[0] not in allowed
                   and not ("migrations" in path.parts
                            and name.split(".")[0] in MIGRATIONS_MAY_IMPORT))
    assert not wrong, "\n".join(wrong)


def test_settings_import_only_site_profiles() -> None:
    """The settings are the base every layer reads: they import nothing of ours but the site
    profiles (and what those are made of), so reading them pulls in no crawl or storage code."""
    names = imported(ROOT / "parkwatch" / "settings.py")
    assert names == {"crawler.profile"}
    profile = imported(ROOT / "crawler" / "profile.py")
    assert profile <= {"crawler.parsing.rules", "crawler.discovery.listings"}, profile
