"""Chinese search, three ways, on one generated archive (run by hand, prints figures).

    .venv/bin/python bench/bench_search_zh.py [--chinese N] [--english N] [--db PATH]
    PYTHONPATH=/path/to/site-packages-with-jieba .venv/bin/python bench/bench_search_zh.py

Builds a SQLite archive of N generated Chinese articles (our own templates) and N English
ones (parkwatch.samplesite), then compares, for Chinese query words of 1 to 5 characters:
- bigrams (what parkwatch does, migration 0007): search() through the real index;
- FTS5's trigram tokenizer over the same rows: MATCH for 3+ characters, LIKE for fewer;
- jieba (when importable): cut_for_search tokens of each text, searched as a phrase.
Prints index size (dbstat), build time, query p50/p95 and recall / precision against the
truth (the query is a substring of the article; jieba's "misses" are often right: 园区 in
公园区域). English search is measured by bench/bench_queries.py.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.db import ensure_schema, session_scope  # noqa: E402
from archive.models import Article, Source  # noqa: E402
from archive.search import search  # noqa: E402
from parkwatch.samplesite import generate_records  # noqa: E402

PLACES = ["哈尔滨", "松北", "平房", "呼兰", "阿城", "双城", "宾县", "尚志", "五常", "道里",
          "道外", "香坊", "南岗", "大庆", "齐齐哈尔", "牡丹江", "佳木斯", "绥芬河", "黑河"]
ZONES = ["经开区", "高新区", "工业园区", "综合保税区", "产业园", "开发区", "新区", "物流园",
         "自贸区片区", "合作区", "软件园", "示范区"]
INDUSTRIES = ["生物医药", "新材料", "装备制造", "绿色食品", "数字经济", "冰雪装备", "石墨",
              "新能源汽车", "航空航天", "跨境电商", "乳制品", "大豆深加工"]
PARK_SENTENCES = [
    "{place}{zone}今年新签约{ind}项目{n}个，总投资{m}亿元。",
    "{zone}内{ind}企业产值同比增长{p}%，园区管委会表示将继续优化营商环境。",
    "前三季度，{place}{zone}规模以上工业增加值增长{p}%，新投产项目{n}个。",
    "{ind}产业集群加快形成，{zone}已集聚上下游企业{n}家。",
    "园区企业累计享受减税降费{m}亿元，主要用于研发和扩大生产。",
    "{place}{zone}推出“拿地即开工”服务，企业办理施工许可时间缩短一半。",
]
CITY_SENTENCES = [
    "周末，市民来到{place}公园赏花拍照，湿地公园游人如织。",
    "{place}森林公园新开放一条{n}公里步道，沿途设有观景台。",
    "全市居民消费价格同比上涨{q}%，其中食品价格下降{q}%。",
    "{place}地铁新线开通运营，全长{n}公里，设车站{n}座。",
    "公园区域周边道路将实施临时交通管制，请车辆提前绕行。",
    "{place}冰雪大世界开园，园区总面积{m}万平方米。",
]
QUERIES = ["园", "园区", "新区", "公园", "经开区", "开发区", "高新区", "产业园", "工业园区",
           "综合保税区", "生物医药", "管委会", "同比增长", "湿地公园", "哈尔滨", "项目"]


def chinese_text(rng: random.Random) -> tuple[str, str]:
    park = rng.random() < 0.6
    pool = PARK_SENTENCES if park else CITY_SENTENCES
    fields = lambda: {"place": rng.choice(PLACES), "zone": rng.choice(ZONES),  # noqa: E731
                      "ind": rng.choice(INDUSTRIES), "n": rng.randint(2, 60),
                      "m": rng.randint(2, 300), "p": round(rng.uniform(1, 30), 1),
                      "q": round(rng.uniform(0.1, 3), 1)}
    title = rng.choice(pool).format(**fields()).split("，")[0].rstrip("。")[:24]
    body = "".join(rng.choice(pool).format(**fields()) for _ in range(rng.randint(6, 14)))
    return title, body


def build(url: str, chinese: int, english: int) -> list[tuple[int, str, str]]:
    ensure_schema(url)
    rng = random.Random(3)
    rows = [chinese_text(rng) for _ in range(chinese)]
    rows += [(r["title"], "\n".join(r["paragraphs"])) for r in generate_records(english, seed=2)]
    rng.shuffle(rows)
    started = time.perf_counter()
    with session_scope(url) as session:
        session.execute(insert(Source), [{"id": 1, "name": "bench"}])
        batch = []
        for n, (title, body) in enumerate(rows, start=1):
            batch.append({"id": n, "source_id": 1, "url": f"http://x/{n}",
                          "canonical_url": f"http://x/{n}", "title": title, "text": body,
                          "published": date(2020, 1, 1), "topics": [], "topic_terms": {},
                          "text_hash": str(n)})
            if len(batch) >= 5000:
                session.execute(insert(Article), batch)
                batch = []
        if batch:
            session.execute(insert(Article), batch)
    print(f"built {len(rows):,} articles ({chinese:,} Chinese) with the bigram index in "
          f"{time.perf_counter() - started:.1f} s")
    return [(n, t, b) for n, (t, b) in enumerate(rows, start=1)]


def size(conn: sqlite3.Connection, prefix: str) -> float:
    try:
        pages = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?",
                             (prefix + "%",)).fetchone()[0]
    except sqlite3.OperationalError:
        return float("nan")
    return (pages or 0) / 1e6


def p50_p95(times: list[float]) -> str:
    times = sorted(times)
    return (f"p50={statistics.median(times):.1f} ms "
            f"p95={times[min(len(times) - 1, int(len(times) * 0.95))]:.1f} ms")


def score(found: dict[str, set[int]], truth: dict[str, set[int]]) -> str:
    tp = sum(len(found[q] & truth[q]) for q in QUERIES)
    got = sum(len(found[q]) for q in QUERIES)
    want = sum(len(truth[q]) for q in QUERIES)
    return f"recall {tp / max(want, 1):.3f}, precision {tp / max(got, 1):.3f} (vs substring)"


def timed(fn, repeat: int = 3) -> tuple[object, list[float]]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chinese", type=int, default=5000)
    parser.add_argument("--english", type=int, default=20000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir())
                        / "parkwatch-bench" / "zh.db")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{args.db}"
    rows = build(url, args.chinese, args.english)
    truth = {q: {n for n, t, b in rows if q in t or q in b} for q in QUERIES}
    limit = 100_000

    found, times = {}, []
    with session_scope(url) as session:
        for q in QUERIES:
            found[q], t = timed(lambda q=q: {h.id for h in search(session, q, limit=limit)})
            times += timed(lambda q=q: search(session, q, limit=20))[1]
    conn = sqlite3.connect(args.db)
    print(f"bigrams (parkwatch): index {size(conn, 'articles_fts'):.0f} MB; "
          f"search limit 20 {p50_p95(times)}; {score(found, truth)}")

    started = time.perf_counter()
    conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, text, content='articles', "
                 "content_rowid='id', tokenize='trigram')")
    conn.execute("INSERT INTO tri(tri) VALUES ('rebuild')")
    conn.commit()
    build_s = time.perf_counter() - started
    found, short, long_ = {}, [], []
    for q in QUERIES:
        if len(q) >= 3:
            sql, params = "SELECT rowid FROM tri WHERE tri MATCH ?", (f'"{q}"',)
        else:
            sql, params = ("SELECT rowid FROM tri WHERE title LIKE ? OR text LIKE ?",
                           (f"%{q}%", f"%{q}%"))
        found[q], t = timed(lambda s=sql, p=params: {r[0] for r in conn.execute(s, p)})
        (long_ if len(q) >= 3 else short).extend(t)
    print(f"trigram: index {size(conn, 'tri'):.0f} MB, built in {build_s:.1f} s; "
          f"3+ characters (MATCH) {p50_p95(long_)}; 1-2 characters (LIKE, a scan) "
          f"{p50_p95(short)}; {score(found, truth)}")

    try:
        import jieba
    except ImportError:
        print("jieba: not importable (give its site-packages in PYTHONPATH to measure it)")
        return
    started = time.perf_counter()
    jieba.initialize()
    load_s = time.perf_counter() - started
    chinese = [(n, t, b) for n, t, b in rows if any("\u4e00" <= c <= "\u9fff" for c in t + b)]
    started = time.perf_counter()
    tokens = {n: set(jieba.cut_for_search(t + "。" + b)) for n, t, b in chinese}
    per_ms = (time.perf_counter() - started) * 1000 / max(len(chinese), 1)
    found = {q: {n for n, toks in tokens.items()
                 if set(jieba.cut_for_search(q)) <= toks} for q in QUERIES}
    print(f"jieba {jieba.__version__}: dictionary load {load_s:.1f} s, cut_for_search "
          f"{per_ms:.2f} ms per Chinese article; {score(found, truth)}")
    missed = {q: len(truth[q] - found[q]) for q in QUERIES if truth[q] - found[q]}
    print(f"  jieba misses per query: {missed}")


if __name__ == "__main__":
    main()
