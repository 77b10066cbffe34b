"""Every command shown in README.md and docs/*.md runs, against the demo's archive and sample
sites, with the exit code and the output the page shows (docs/README.md: how to write one)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.docs.examples import ASSIGNMENT, REPO, Block, Command, blocks, docs
from tests.docs.sandbox import Result, SampleSites, Shell, copy_archive, in_process

DOCS = docs()


def holds(output: str, shown: str) -> bool:
    """Whether one line the page shows is in the output: spaces are spaces, `…` is anything."""
    if not shown.strip(" …"):
        return True
    pattern = ".*".join(re.escape(" ".join(part.split())) for part in shown.split("…"))
    return any(re.search(pattern, " ".join(line.split())) for line in output.splitlines())


def verdict(command: Command, result: Result) -> str | None:
    """What is wrong with a command's run, if anything."""
    if result.exit_code != command.exit_code:
        tail = "\n".join(result.output.strip().splitlines()[-12:])
        return (f"exit code {result.exit_code} (the page shows {command.exit_code}):\n"
                f"    {tail.replace(chr(10), chr(10) + '    ')}")
    missing = [line for line in command.shown_output if not holds(result.output, line)]
    if missing:
        return ("its output lacks:\n    " + "\n    ".join(missing) + "\n  it printed:\n    "
                + result.output.strip().replace("\n", "\n    "))
    return None


def options_verdict(command: Command, root: Path) -> str | None:
    """A command marked not run still names options its command has (`--help` parses them)."""
    if command.program != "parkwatch":
        return None
    try:
        words = shlex.split(command.text, comments=True)
    except ValueError as exc:
        return f"cannot be parsed: {exc}"
    while words and ASSIGNMENT.match(words[0]):  # VAR=… before the command
        words.pop(0)
    for i, word in enumerate(words):
        if word in ("|", ">", "&&", ";"):
            words = words[:i]
            break
    result = in_process([*words[1:], "--help"], {}, root)
    if result.exit_code != 0:
        return f"(not run) its options do not parse:\n    {result.output.strip()}"
    return None


def runnable(block: Block) -> bool:
    return block.shows_commands and block.not_run is None


@pytest.mark.timeout(400)
@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(REPO)) for d in DOCS])
def test_shown_commands_run(doc: Path, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    shown = [b for b in blocks(doc) if b.shows_commands]
    if not any(runnable(b) for b in shown):
        for block in shown:
            for command in block.commands():
                assert options_verdict(command, tmp_path) is None, command.where
        return
    sites: SampleSites = request.getfixturevalue("sample_sites")
    root = tmp_path / "workspace"
    copy_archive(request.getfixturevalue("demo_archive"), root)
    shell = Shell(root, sites)
    failures: list[str] = []
    try:
        for block in shown:
            for command in block.commands():
                wrong = (verdict(command, shell.run(command)) if runnable(block)
                         else options_verdict(command, root))
                if wrong:
                    failures.append(f"{command.where}: `{command.text}`: {wrong}")
    finally:
        shell.close()
    assert not failures, "\n".join(failures)


def test_a_run_is_judged_by_its_exit_code_and_the_lines_shown() -> None:
    shown = Command(REPO / "README.md", 1, "parkwatch search x", ["probed … in … requests"], 2)
    assert verdict(shown, Result(2, "probed  http://a.example in 21 requests\n")) is None
    wrong_exit = verdict(shown, Result(0, "probed a in 1 requests"))
    assert "exit code 0 (the page shows 2)" in str(wrong_exit)
    assert "its output lacks" in str(verdict(shown, Result(2, "nothing probed")))
    assert holds("anything", "…") and not holds("a b", "b … a")
