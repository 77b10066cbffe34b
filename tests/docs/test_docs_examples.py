"""The docs' examples are found as the test of their commands reads them: fenced shell blocks,
`$ ` prompts with their output and exit code, not-run markers with a reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.examples import REPO, blocks, docs, problems

PAGE = '''\
# A guide

```sh
parkwatch articles list --limit 5   # newest first
PARKWATCH_DEBUG=1 parkwatch search \\
    'park*' --json
```

<!-- not run: it serves until stopped -->
```sh
parkwatch api
```

```console
$ parkwatch search '"unbalanced'
parkwatch: error: …
$ echo $?
2
$ parkwatch facets
```

```toml
[sources.x]
base_url = "http://x.example"
```
'''


def test_commands_prompts_exit_codes_and_markers_are_read(tmp_path: Path) -> None:
    page = tmp_path / "guide.md"
    page.write_text(PAGE, encoding="utf-8")
    first, served, console, toml = blocks(page)
    assert [c.text for c in first.commands()] == [
        "parkwatch articles list --limit 5   # newest first",
        "PARKWATCH_DEBUG=1 parkwatch search 'park*' --json"]
    assert [c.line for c in first.commands()] == [4, 5]
    assert served.not_run == "it serves until stopped" and first.not_run is None
    search, facets = console.commands()
    assert (search.exit_code, search.shown_output) == (2, ["parkwatch: error: …"])
    assert (facets.exit_code, facets.shown_output) == (0, [])
    assert not toml.shows_commands and problems(page) == []


@pytest.mark.parametrize("wrong, complaint", [
    ("    parkwatch status\n", "an indented command"),
    ("```\nparkwatch status\n```\n", "a command in a ```(plain) block"),
    ("```sh\nsystemctl restart parkwatch\n```\n", "`systemctl` is not run by the test"),
    ("<!-- not run: -->\n```sh\nparkwatch api\n```\n", "needs its reason"),
    ("<!-- not run: serves -->\n\nSome text.\n", "must stand right above a block"),
    ("<!-- not-run because -->\n```sh\nparkwatch api\n```\n", "write the marker as"),
])
def test_what_the_test_could_not_run_is_refused(tmp_path: Path, wrong: str,
                                                 complaint: str) -> None:
    page = tmp_path / "guide.md"
    page.write_text(f"# A guide\n\nText.\n\n{wrong}", encoding="utf-8")
    assert any(complaint in p for p in problems(page)), problems(page)


@pytest.mark.parametrize("doc", docs(), ids=[str(d.relative_to(REPO)) for d in docs()])
def test_every_shown_command_can_be_tested(doc: Path) -> None:
    assert problems(doc) == []


def test_the_quick_start_is_the_two_commands() -> None:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index("## Quick start")
    quick = [b for b in blocks(readme) if b.shows_commands
             and start < sum(len(line) + 1 for line in text.splitlines()[:b.line])
             < text.index("\n## ", start + 1)]
    assert [c.text.split("#")[0].strip() for c in quick[0].commands()] == ["make demo",
                                                                            "make test"]
    shown = [c for doc in docs() for b in blocks(doc) if b.shows_commands
             for c in b.commands()]
    assert len(shown) >= 40  # the pages' examples are found (README and guides)


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces → '-'."""
    fenced = {n for b in blocks(page) for n in range(b.line, b.line + len(b.lines) + 2)}
    return {re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
            for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
            if line.startswith("#") and number not in fenced}


@pytest.mark.parametrize("doc", docs(), ids=[str(d.relative_to(REPO)) for d in docs()])
def test_links_between_the_pages_resolve(doc: Path) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue  # another site
        path, _, anchor = target.partition("#")
        page = (doc.parent / path).resolve() if path else doc
        if not page.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in anchors(page):
            broken.append(f"{target}: no heading #{anchor} in {page.name}")
    assert not broken, "\n".join(broken)
