"""`parkwatch parks list|show|alias|merge|split|relink` in this process (the command's own
main()), over small archives written by the real storage functions."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from archive.db import session_scope
from archive.models import EntityRelink, Fact
from pipelines.storage import write_batch
from tests.docs.sandbox import in_process

from .stored import STORIES, build, item

LAKESIDE = ("http://ls.example/d/2023-07-23/5.html", "Lakeside hub posts growth",
            "In the first half of 2023, Lakeside Hub's industrial output value reached 12.5 "
            "billion yuan.", "2023-07-23", "en")


@pytest.fixture
def archive(tmp_path, db_url):
    source = build(db_url, [*STORIES, LAKESIDE])
    config = tmp_path / "parkwatch.toml"
    config.write_text("")
    env = {"PARKWATCH_DATABASE_URL": db_url, "PARKWATCH_CONFIG": str(config),
           "PARKWATCH_HOME": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "200"}

    def run(*args: str):
        return in_process(list(args), env, tmp_path)

    run.url, run.source = db_url, source
    return run


def entities_of(url: str, words: str) -> set[str | None]:
    with session_scope(url) as session:
        return set(session.scalars(select(Fact.entity_id).where(Fact.sentence.contains(words))))


def test_list_and_show_a_park(archive) -> None:
    listed = json.loads(archive("parks", "list", "--json").stdout)
    ids = {p["id"]: p for p in listed}
    assert ids["etdz:harbin"]["articles"] == 3 and ids["htz:daqing"]["articles"] == 1
    assert "city:harbin" not in ids  # no figure of its own: only with --all
    assert any(p["id"] == "city:harbin" for p in
               json.loads(archive("parks", "list", "--all", "--json").stdout))
    shown = json.loads(archive("parks", "show", "etdz:harbin", "--json").stdout)
    assert shown["name_zh"] and shown["name_en"] and shown["parent"]["id"]
    assert len(shown["articles"]) == 3
    level = [s for s in shown["series"] if s["measure"] == "industrial_output_value"
             and s["kind"] == "level"]
    assert len(level) == 1 and level[0]["unit"] == "CNY"
    h1 = [p for p in level[0]["points"] if len(p["sources"]) == 2]
    assert h1 and not h1[0]["conflict"]  # the Chinese and the English H1 report: one point
    table = archive("parks", "show", "etdz:harbin")
    assert table.exit_code == 0 and "industrial_output_value" in table.output


@pytest.mark.parametrize("args", [["show", "nope:none"], ["alias", "nope:none", "X"],
                                  ["merge", "htz:daqing", "htz:daqing"],
                                  ["alias", "htz:daqing", "   "],
                                  ["merge", "nope:a", "htz:daqing"]])
def test_bad_input_is_one_line_and_a_non_zero_exit(archive, args) -> None:
    result = archive("parks", *args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_corrections_are_applied_and_survive_relinking(archive) -> None:
    assert entities_of(archive.url, "Lakeside") == {None}
    assert archive("parks", "alias", "htz:daqing", "Lakeside Hub").exit_code == 0
    assert archive("parks", "relink").exit_code == 0
    assert entities_of(archive.url, "Lakeside") == {"htz:daqing"}
    # merge: moved at once, and kept by a relink; new stories follow it too
    assert archive("parks", "merge", "htz:daqing", "etdz:harbin").exit_code == 0
    assert entities_of(archive.url, "Lakeside") == {"etdz:harbin"}
    assert entities_of(archive.url, "410.3") == {"etdz:harbin"}
    assert archive("parks", "relink", "--restart").exit_code == 0
    assert entities_of(archive.url, "410.3") == {"etdz:harbin"}
    with session_scope(archive.url) as session:
        series = set(session.scalars(select(Fact.series_id).where(Fact.series_id.is_not(None))))
    assert all(s.startswith("etdz:harbin|") for s in series)
    # split: figures named "Harbin Economic Development Zone" become a park of their own
    result = archive("parks", "split", "etdz:harbin", "Harbin Economic Development Zone")
    assert result.exit_code == 0, result.output
    split = entities_of(archive.url, "65.02 billion")
    assert len(split) == 1 and next(iter(split)).startswith("etdz:harbin/")
    assert entities_of(archive.url, "326.5") == {"etdz:harbin"}
    assert archive("parks", "relink", "--restart").exit_code == 0
    assert entities_of(archive.url, "65.02 billion") == split
    later = item("http://ls.example/d/2023-07-30/6.html", "Lakeside Hub hires",
                 "In the first half of 2023, Lakeside Hub's industrial output value reached "
                 "12.6 billion yuan.", "2023-07-30", "en")
    write_batch(archive.url, archive.source, [later])
    assert entities_of(archive.url, "12.6 billion") == {"etdz:harbin"}


def test_an_interrupted_relink_resumes_after_its_last_batch(archive) -> None:
    with session_scope(archive.url, write=True) as session:
        session.execute(update(Fact).values(entity_id=None, series_id=None, status=None,
                                            measure=None))
        session.add(EntityRelink(last_article_id=2, articles=2, facts=0))
    result = archive("parks", "relink", "--batch", "1")
    assert "resumed after article #2" in result.output, result.output
    with session_scope(archive.url) as session:
        linked = dict(session.execute(select(Fact.article_id, Fact.status)).all())
    assert linked[1] is None and linked[2] is None and linked[3] == "outcome"
    assert archive("parks", "relink").exit_code == 0  # finished: a new one from the start
    with session_scope(archive.url) as session:
        assert None not in set(session.scalars(select(Fact.status)))


def test_metrics_series_by_park_gives_one_section_per_series(archive) -> None:
    got = json.loads(archive("metrics", "series", "--park", "etdz:harbin", "--json").stdout)
    assert got and len({s["series_id"] for s in got}) == len(got)
    assert all(s["entity_id"] == "etdz:harbin" for s in got)
    by_measure = json.loads(archive("parks", "series", "--measure", "industrial_output_value",
                                    "--json").stdout)
    assert {s["entity_id"] for s in by_measure} == {"etdz:harbin", "htz:daqing"}
    table = archive("metrics", "series", "--park", "htz:daqing")
    assert table.exit_code == 0 and "htz:daqing|industrial_output_value|level" in table.output
    csv_out = archive("metrics", "series", "--park", "htz:daqing", "--csv").stdout
    assert csv_out.splitlines()[0].startswith("series_id,entity_id,measure")
    assert archive("metrics", "series", "--park", "nope:none").exit_code == 2
    assert archive("metrics", "series").exit_code == 2
    assert archive("metrics", "series", "output value").exit_code == 0  # as before


def test_relink_on_two_cores_links_what_one_does(archive) -> None:
    more = [item(f"http://many.example/{n}.html", f"大庆高新区第{n}期简报",
                 f"今年上半年，大庆高新区规上工业总产值完成{400 + n}.5亿元。", "2023-07-22", "zh")
            for n in range(12)]
    write_batch(archive.url, archive.source, more)
    with session_scope(archive.url) as session:
        before = dict(session.execute(select(Fact.id, Fact.series_id)).all())
    with session_scope(archive.url, write=True) as session:
        session.execute(update(Fact).values(entity_id=None, series_id=None, status=None))
    result = archive("parks", "relink", "--batch", "2", "--workers", "2")
    assert result.exit_code == 0 and "2 process(es) linking" in result.output, result.output
    with session_scope(archive.url) as session:
        after = dict(session.execute(select(Fact.id, Fact.series_id)).all())
        run = session.scalars(select(EntityRelink).order_by(EntityRelink.id.desc())).first()
    assert after == before and run.finished_at is not None and run.articles == 17


def test_an_article_whose_linking_fails_stops_no_relink(archive, monkeypatch) -> None:
    from pipelines.entities import stored

    real = stored.link_article

    def flaky(title, text, *args, **kwargs):
        if "大庆" in title:
            raise RuntimeError("a linking bug")
        return real(title, text, *args, **kwargs)

    monkeypatch.setattr(stored, "link_article", flaky)
    result = archive("parks", "relink", "--restart", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert entities_of(archive.url, "410.3") == {"htz:daqing"}  # its former link kept
    assert entities_of(archive.url, "326.5") == {"etdz:harbin"}
