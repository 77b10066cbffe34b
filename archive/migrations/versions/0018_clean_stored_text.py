"""clean stored text: titles, sections, bylines and bodies of articles (and of their former
revisions) hold no control characters, lone surrogates or noncharacters, one-line fields no
bidi overrides, and whitespace is normalised — what the reader stores since this revision

Before it, one article whose title carried a backspace made its watch's Atom feed fail for
every reader, and an escape sequence in a title reached the terminal. Data only: every row is
read in batches of 500 by id and the changed ones rewritten. A body's facts keep pointing at
their figures: their start and end offsets are mapped through the cleaning (each step is a
substitution whose spans are known); the body's hash is computed again as storage computes
it. Near-duplicate signatures are left as they are (a removed control character is no word).
The cleaning here is a frozen copy of foundation.cleantext as of this revision (a migration
never imports live code). The downgrade changes nothing: removed characters are not kept.

Revision ID: 0018
Revises: 0016
"""
import hashlib
import re

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None

BATCH = 500
LIMITS = {"title": 500, "section": 200, "author": 200, "byline_source": 200, "line": 2000}

# --- frozen copy of foundation.cleantext (0018) ------------------------------------------------
_NONCHARACTERS = "".join(f"\\U00{plane:02x}fffe\\U00{plane:02x}ffff" for plane in range(17))
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufdd0-\ufdef"
    f"{_NONCHARACTERS}]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ESCAPES = re.compile("\x1b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?)")
_LINE_BREAK = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c]")
# A body's whitespace, as substitutions: runs within a line, around and between line breaks.
_BODY_STEPS = [(_ESCAPES, ""), (_LINE_BREAK, "\n"), (_UNWANTED, ""),
               (re.compile(r"[^\S\n]+"), " "), (re.compile(r" ?\n[ \n]*"), "\n"),
               (re.compile(r"^[ \n]+|[ \n]+$"), "")]


def clean_line(value, field):
    """A one-line field as foundation.cleantext.clean_text(value, field) made it at 0018."""
    if not value:
        return value
    text = _UNWANTED.sub("", _LINE_BREAK.sub(" ", _ESCAPES.sub("", value)))
    text = " ".join(_BIDI.sub("", text).split())
    limit = LIMITS[field]
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ")
    if space >= limit * 4 // 5:
        head = head[:space]
    return head.rstrip() + "…"


def _substitute(pattern, replacement, text, mapping):
    """`text` with `pattern` replaced, and `mapping` (old offset → offset in `text`) carried on
    to the result: a replaced span's offsets go to where its replacement starts."""
    parts, moved, last, at = [], [0] * (len(text) + 1), 0, 0
    for match in pattern.finditer(text):
        start, end = match.span()
        moved[last:start] = range(at, at + start - last)
        at += start - last
        moved[start:end] = [at] * (end - start)
        parts += [text[last:start], replacement]
        at += len(replacement)
        last = end
    moved[last:] = range(at, at + len(text) - last + 1)
    parts.append(text[last:])
    return "".join(parts), [moved[i] for i in mapping]


def clean_body(text):
    """The body as clean_text made it at 0018 (bodies were within its length already)."""
    for pattern, replacement in _BODY_STEPS:
        text = pattern.sub(replacement, text)
    return text


def body_offsets(text):
    """Old offset → new offset through clean_body (worked out only for a body it changes)."""
    mapping = list(range(len(text) + 1))
    for pattern, replacement in _BODY_STEPS:
        text, mapping = _substitute(pattern, replacement, text, mapping)
    return mapping


def text_hash(text):
    """pipelines.storage.text_hash at 0018: the whitespace- and case-normalised body's hash."""
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().casefold().encode()).hexdigest()
# --------------------------------------------------------------------------------------------


ARTICLES = sa.table("articles", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                    sa.column("text", sa.Text), sa.column("text_hash", sa.String),
                    sa.column("section", sa.String), sa.column("author", sa.String),
                    sa.column("byline_source", sa.String))
REVISIONS = sa.table("revisions", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                     sa.column("text", sa.Text), sa.column("text_hash", sa.String))
FACTS = sa.table("facts", sa.column("id", sa.Integer), sa.column("article_id", sa.Integer),
                 sa.column("sentence", sa.Text), sa.column("start_offset", sa.Integer),
                 sa.column("end_offset", sa.Integer))
LINE_FIELDS = ("title", "section", "author", "byline_source")


def cleaned_row(row, fields):
    """The changed columns of one row (empty when it is clean), and the body's offset map
    when the body changed."""
    changes, mapping = {}, None
    for name in fields:
        value = getattr(row, name)
        if name == "text":
            new = clean_body(value or "")
            if new != (value or ""):
                changes.update(text=new, text_hash=text_hash(new))
                mapping = body_offsets(value)
        elif (new := clean_line(value, name)) != value:
            changes[name] = new if new or name == "title" else None
    return changes, mapping


def _move_facts(connection, article_id, mapping):
    for fact in connection.execute(sa.select(FACTS).where(FACTS.c.article_id == article_id)):
        size = len(mapping) - 1
        start, end = (mapping[min(max(0, o or 0), size)] for o in (fact.start_offset,
                                                                      fact.end_offset))
        sentence = clean_line(fact.sentence, "line")
        connection.execute(FACTS.update().where(FACTS.c.id == fact.id).values(
            start_offset=start, end_offset=max(start, end), sentence=sentence or ""))


def _clean_table(connection, table, fields, facts):
    last, changed = 0, 0
    columns = [table.c.id, *(table.c[name] for name in fields)]
    while True:
        rows = connection.execute(sa.select(*columns).where(table.c.id > last)
                                  .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return changed
        last = rows[-1].id
        for row in rows:
            changes, mapping = cleaned_row(row, fields)
            if not changes:
                continue
            connection.execute(table.update().where(table.c.id == row.id).values(**changes))
            if facts and mapping is not None:
                _move_facts(connection, row.id, mapping)
            changed += 1


def upgrade() -> None:
    connection = op.get_bind()
    _clean_table(connection, ARTICLES, (*LINE_FIELDS, "text"), facts=True)
    _clean_table(connection, REVISIONS, ("title", "text"), facts=False)


def downgrade() -> None:
    pass  # the characters removed are not kept anywhere: nothing to put back
