"""Sections as users type them and as the archive stores them: a URL path or a display name in
any case → the names stored for it, and section counts with the path each name stands for
(the site profiles map paths to names). Every front door resolves sections here."""

from __future__ import annotations

from archive.filters import ArticleFilter


def section_names(config, text: str | None) -> tuple[str, ...]:
    """A section as typed, by URL path or display name in any case → the display names
    stored for it (the profiles map paths to names); the text itself comes first."""
    if not text:
        return ()
    wanted = text.strip().strip("/").lower()
    names = [text.strip()]
    for profile in config.sources.values():
        for path in profile.sections:
            name = profile.section_name(path)
            if wanted in (path.lower(), name.lower()):
                names += [name, path]  # older rows may hold the path itself
    return tuple(dict.fromkeys(names))


def article_filter(config, *, section: str | None = None, **fields):
    """An ArticleFilter with the section resolved by path or name."""
    names = section_names(config, section)
    return ArticleFilter(section=names[0] if names else None, sections=names[1:], **fields)


def section_facets(config, rows: list[dict]) -> list[dict]:
    """Section counts with the URL path each display name stands for, where a profile says."""
    paths = {}
    for profile in config.sources.values():
        for path in profile.sections:
            paths.setdefault(profile.section_name(path).lower(), path)
    return [{**row, "path": paths.get(str(row["name"]).lower())} for row in rows]
