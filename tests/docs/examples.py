"""The commands shown in README.md and docs/*.md, read from their fenced blocks (how to write
and mark them: docs/README.md, "Examples are tested")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Programs whose lines in a shell block are run; any other program needs a not-run marker.
PROGRAMS = ("parkwatch", "make", "curl", "sqlite3", "scrapy", "echo")
# A program a line may start with in any block: such a block must be run or marked.
COMMAND_START = re.compile(r"^\s*(?:\$ )?(?:[A-Z_]+=\S*\s+)*(?:parkwatch|make|curl|sqlite3|"
                           r"psql|scrapy)\s")
SHELL_LANGUAGES = ("sh", "bash", "shell", "console")
SOURCE_LANGUAGES = ("markdown", "md")  # a page's own source shown as an example: not run
NOT_RUN = re.compile(r"^<!--\s*not run:\s*(?P<why>.*?)\s*-->$")
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+)\s*(?P<info>[^`]*)$")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def shown_name(doc: Path) -> str:
    return str(doc.relative_to(REPO)) if doc.is_relative_to(REPO) else doc.name


def docs() -> list[Path]:
    """Every page whose shown commands are tested: the README and the guides."""
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


@dataclass
class Command:
    """One shown command: where it stands, what it runs and what the doc says it prints."""

    doc: Path
    line: int
    text: str
    shown_output: list[str] = field(default_factory=list)
    exit_code: int = 0  # a `$ echo $?` after it in a console block shows another one

    @property
    def where(self) -> str:
        return f"{shown_name(self.doc)}:{self.line}"

    @property
    def program(self) -> str:
        words = [w for w in self.text.split() if not ASSIGNMENT.match(w)]
        return words[0] if words else ""


@dataclass
class Block:
    """A fenced block: its language, first line, lines and not-run reason (if marked)."""

    doc: Path
    line: int  # the line of its opening fence (1-based)
    language: str
    lines: list[str]
    not_run: str | None = None

    @property
    def shows_commands(self) -> bool:
        if self.language in SHELL_LANGUAGES:
            return True
        if self.language in SOURCE_LANGUAGES:
            return False
        return any(COMMAND_START.match(line) for line in self.lines)

    def commands(self) -> list[Command]:
        if self.language == "console":
            return _console_commands(self)
        return _shell_commands(self)


def _shell_commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(block.lines, block.line + 1):
        if not pending:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            start = number
        pending.append(line.rstrip().removesuffix("\\").rstrip())
        if not line.rstrip().endswith("\\"):
            commands.append(Command(block.doc, start, " ".join(p.strip() for p in pending)))
            pending = []
    return commands


def _console_commands(block: Block) -> list[Command]:
    commands: list[Command] = []
    for number, line in enumerate(block.lines, block.line + 1):
        if line.startswith("$ "):
            text = line[2:].strip()
            if text == "echo $?" and commands:
                commands[-1].shown_output.append("$?")  # its output is the exit code
                continue
            commands.append(Command(block.doc, number, text))
        elif commands and commands[-1].shown_output[-1:] == ["$?"]:
            commands[-1].shown_output.pop()
            commands[-1].exit_code = int(line.strip())
        elif commands and line.strip():
            commands[-1].shown_output.append(line)
    return commands


def blocks(doc: Path) -> list[Block]:
    """Every fenced block of a Markdown page, with the not-run marker that precedes it."""
    found: list[Block] = []
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening["fence"]
        language = opening["info"].split()[0] if opening["info"].strip() else ""
        end = next((j for j in range(i + 1, len(lines))
                    if lines[j].strip().startswith(fence[0] * len(fence))
                    and not lines[j].strip().strip(fence[0])), len(lines))
        found.append(Block(doc, i + 1, language, lines[i + 1:end], _marker(lines, i)))
        i = end + 1
    return found


def _marker(lines: list[str], fence_index: int) -> str | None:
    """The not-run reason on the nearest non-blank line above a fence, if that is a marker."""
    for line in reversed(lines[:fence_index]):
        if line.strip():
            marker = NOT_RUN.match(line.strip())
            return marker["why"] if marker else None
    return None


def _fence_follows(lines: list[str], marker_line: int) -> bool:
    following = [line for line in lines[marker_line:] if line.strip()]
    return bool(following) and FENCE.match(following[0]) is not None


def problems(doc: Path) -> list[str]:
    """What keeps a page's examples from being tested: commands outside fenced shell blocks,
    unknown programs in unmarked blocks, markers without a reason or without a block."""
    found: list[str] = []
    text = doc.read_text(encoding="utf-8")
    fenced = {n for b in blocks(doc) for n in range(b.line, b.line + len(b.lines) + 2)}
    name = shown_name(doc)
    for number, line in enumerate(text.splitlines(), 1):
        if number in fenced:
            continue
        if re.match(r"^(?: {4}|\t)", line) and COMMAND_START.match(line):
            found.append(f"{name}:{number}: an indented command: show it in a ```sh block")
        marker = NOT_RUN.match(line.strip())
        if marker and not marker["why"]:
            found.append(f"{name}:{number}: `<!-- not run: … -->` needs its reason")
        elif line.strip().startswith("<!--") and re.search(r"not\W*run", line, re.I) \
                and not marker:
            found.append(f"{name}:{number}: write the marker as `<!-- not run: why -->`")
        if marker and not _fence_follows(text.splitlines(), number):
            found.append(f"{name}:{number}: a not-run marker must stand right above a block")
    for block in blocks(doc):
        where = f"{name}:{block.line}"
        if block.shows_commands and block.language not in SHELL_LANGUAGES:
            found.append(f"{where}: a command in a ```{block.language or '(plain)'} block: "
                         "use ```sh (or ```console with `$ ` prompts)")
        if block.not_run is not None or not block.shows_commands:
            continue
        for command in block.commands():
            if command.program == "export":
                continue
            if command.program not in PROGRAMS:
                found.append(f"{command.where}: `{command.program}` is not run by the test: "
                             "mark the block `<!-- not run: why -->`")
    return found
