"""`parkwatch metrics …`: try the extractor on any text, list and re-extract stored facts."""

from __future__ import annotations

import codecs
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parkwatch.console import UserError, out, settings
from parkwatch.options import DateOpt
from parkwatch.tables import fitted_table

metrics_app = typer.Typer(help="Numeric facts extracted from articles.", no_args_is_help=True)

MAX_INPUT_BYTES = 16 * 1024 * 1024


def _read_text(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        path = Path(source)
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise UserError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UserError(f"{source}: input larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    try:
        return decode_text(data)
    except ValueError as exc:
        raise UserError(f"{source}: {exc}") from None


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_CJK_RUN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{2,}")
_GB_NAMES = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str: a BOM decides; else strict UTF-8; else GB18030 (a
    superset of GBK and GB2312) when it reads as runs of Chinese; else what charset-normalizer
    (already installed with Scrapy, trafilatura and requests) detects. Raises ValueError for
    binary data or an encoding that cannot be told."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"))
    if len(_CONTROL_BYTES.findall(data[:65536])) > max(2, len(data[:65536]) // 200):
        raise ValueError("binary data, not text (no facts read)")
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        cjk = len(_CJK.findall(text))
        in_runs = sum(len(r) for r in _CJK_RUN.findall(text))
        if cjk and in_runs >= 0.6 * cjk:
            return _checked(text)
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_exclusion=["utf_16", "utf_16_be", "utf_16_le", "utf_32",
                                          "utf_32_be", "utf_32_le", "utf_7"]).best()
    if best is None:
        raise ValueError("not text in any encoding that can be told (no facts read)")
    encoding = "gb18030" if best.encoding.replace("_", "") in _GB_NAMES else best.encoding
    return _checked(data.decode(encoding, errors="replace"))


def _checked(text: str) -> str:
    """The text, unless too much of it is control or unassigned characters (binary data)."""
    sample = text[:65536]
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
              and ch not in "\t\n\r\f")
    if bad > max(2, len(sample) // 200):
        raise ValueError("binary data, not text (no facts read)")
    return text


def human(value: float) -> str:
    """100000000000 → 100,000,000,000; 6.5 → 6.5."""
    return f"{value:,.12g}" if abs(value) < 1e16 else f"{value:g}"


def _fact_table(facts: list[dict], title: str | None = None) -> Table:
    table = fitted_table("#", "value", "unit", "kind", "qualifier", "period", "basis", "metric",
                         "subject", "conversion", wrap=["metric", "subject"], title=title)
    for index, fact in enumerate(facts):
        conv = fact.get("conversion")
        shown = "-"
        if conv:
            shown = f"{human(conv['value'])} {conv['unit']}" + ("" if conv["consistent"] else " ⚠")
        table.add_row(
            str(index),
            human(fact["value"]),
            fact["unit"],
            fact["kind"],
            fact["qualifier"],
            fact["period"] or "-",
            fact.get("basis") or "-",
            fact.get("metric") or "-",
            fact.get("subject") or "-",
            shown,
        )
    return table


@metrics_app.command("extract")
def metrics_extract(
    source: Annotated[
        str, typer.Argument(metavar="[FILE|-]", help="Text file, or - for stdin.")
    ] = "-",
    published: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON array of facts.")] = False,
) -> None:
    """Extract facts from any text (the extractor the crawler uses)."""
    from pipelines.metrics.extract import extract_facts

    text = _read_text(source)
    facts = [f.to_dict() for f in extract_facts(text, published.date() if published else None)]
    if as_json:
        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(_fact_table(facts))
    out.print(f"{len(facts)} fact(s)")


@metrics_app.command("list")
def metrics_list(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    metric: Annotated[str | None, typer.Option(help="Words the metric must contain.")] = None,
    subject: Annotated[str | None, typer.Option(help="Words the subject must contain.")] = None,
    unit: Annotated[str | None, typer.Option(
        help="CNY (or yuan), USD, percent (or %), sqm, … (see `parkwatch facets`)")] = None,
    since: DateOpt = None,
    until: DateOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000_000)] = 100,
) -> None:
    """List stored facts, newest articles first."""
    from archive.db import open_archive, session_scope
    from archive.queries import FactFilter, list_facts
    from pipelines.metrics.units import canonical_unit

    config = settings()
    open_archive(config.database_url)
    filters = FactFilter(
        metric=metric,
        subject=subject,
        unit=canonical_unit(unit) if unit else None,  # '%' is percent, 'yuan' CNY, …
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    with session_scope(config.database_url) as session:
        facts = list_facts(session, filters, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
        return
    table = fitted_table("article", "published", "value", "unit", "kind", "period", "metric",
                         "subject", wrap=["metric", "subject"])
    for f in facts:
        table.add_row(
            str(f["article_id"]),
            f["published"] or "-",
            human(f["value"]),
            f["unit"],
            f["kind"],
            f["period"] or "-",
            f["metric"] or "-",
            f["subject"] or "-",
        )
    out.print(table)
    out.print(f"{len(facts)} fact(s)")


@metrics_app.command("reextract")
def metrics_reextract(
    outdated: Annotated[
        bool,
        typer.Option(
            "--outdated", help="Only articles whose facts came from another extractor version."
        ),
    ] = False,
) -> None:
    """Re-run the current extractor over the stored articles."""
    from archive.db import open_archive
    from pipelines.metrics import EXTRACTOR_VERSION
    from pipelines.reextract import reextract

    config = settings()
    open_archive(config.database_url)
    result = reextract(config.database_url, outdated_only=outdated)
    out.print(
        f"re-extracted {result['articles']} article(s) with extractor "
        f"{EXTRACTOR_VERSION}: {result['facts']} fact(s)"
    )


def register(app: typer.Typer) -> None:
    """Add the `metrics` group (other modules may add commands to `metrics_app`)."""
    app.add_typer(metrics_app, name="metrics")
