"""Bytes → text without trusting the HTTP header: BOM, then strict UTF-8, then the page's own
declaration, then the header, then GB18030 (the usual legacy encoding of Chinese sites)."""

from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

NBSP_FORMS = ("\u00a0", "&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "\u3000", "\u202f", "\u2007")


def decode_html(body: bytes, header_encoding: str | None = None) -> str:
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return body[len(bom):].decode(bom_encoding, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in (html_body_declared_encoding(body), header_encoding):
        encoding = resolve_encoding(declared) if declared else None
        if encoding and encoding != "utf-8":
            try:
                return body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    return body.decode("gb18030", errors="replace")


def normalise_spaces(text: str) -> str:
    """Non-breaking and other odd spaces become plain spaces (same length for the characters)."""
    for form in NBSP_FORMS:
        text = text.replace(form, " ")
    return text
