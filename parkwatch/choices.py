"""The names the command line's filters accept — sources, topics, sections — from the config
and the archive: an unknown one is refused in one line, with the closest known name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from foundation.settings import Settings
from parkwatch.console import UserError


def _user_error(message: str) -> Exception:
    return UserError(message)


def refuse_unknown(kind: str, value: str, known: Iterable[str]) -> None:
    """UserError unless `value` is one of `known` (compared without case)."""
    names = sorted(set(known))
    if value.lower() in {n.lower() for n in names}:
        return
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    if close:
        hint = f"did you mean {by_lower[close[0]]}?"
    elif names:
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        hint = f"known: {shown}"
    else:
        hint = "none is known yet"
    raise _user_error(f"unknown {kind} {value!r} ({hint})")


def check_source(config: Settings, name: str | None) -> None:
    """A --source filter names a configured source or one the archive holds articles of."""
    if name is None:
        return
    from archive.db import session_scope
    from archive.queries import source_names

    with session_scope(config.database_url) as session:
        stored = source_names(session).values()
    refuse_unknown("source", name, [*config.sources, *stored])


def check_topic(config: Settings, topic: str | None) -> None:
    """A --topic names a topic rule of some configured source (the built-in ones included)."""
    if topic is None:
        return
    from pipelines.topics import rules_for

    refuse_unknown("topic", topic, {name for p in config.sources.values()
                                    for name in rules_for(p.topics)})


def check_section(config: Settings, section: str | None) -> None:
    """A --section names a configured section (by path or name) or one the archive holds."""
    if section is None:
        return
    from archive.db import session_scope
    from archive.queries import stored_sections

    with session_scope(config.database_url) as session:
        stored = stored_sections(session)
    configured = {text for p in config.sources.values() for path in p.sections
                  for text in (path, path.strip("/"), p.section_name(path))}
    refuse_unknown("section", section.strip().strip("/") or section, configured | stored)
