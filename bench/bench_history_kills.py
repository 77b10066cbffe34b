"""Kill -9 an import and a backfill at random moments, then run each once normally: articles
lost (must be 0), stored twice (0), SQLite's integrity check, every stored article's WARC record
readable, no WARC file left open. Each kill is triggered by observed progress — half by the
archive reaching a random number of stored articles (a kill mid-write), half by a random count
of requests the replay server has answered (backfill) or a random moment after the first
stored article (import). Run by hand (the backfill needs `make test`'s pywb):

    .venv/bin/python bench/bench_history_kills.py [KILLS] [ARTICLES] [SEED]
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.warc import Exchange, pack  # noqa: E402
from parkwatch.samplesite import SiteServer, build_site, generate_records  # noqa: E402
from tests.support.kills import archive_intact, killed_when, stored  # noqa: E402
from tests.support.pywb import COLLECTION, Pywb, Tap  # noqa: E402

SECTIONS = ["business/parks", "business/industries", "news"]
IMPORT = """
import sys
from pathlib import Path
from foundation.settings import load_settings
from crawler.history.imports import import_warcs
profile = load_settings().source("e-my399")
import_warcs(sys.argv[1], profile, [Path(sys.argv[2])], Path(sys.argv[3]), batch=10)
"""


def captures_warc(path: Path, records: list[dict], base_url: str) -> None:
    pages = build_site(records, per_page=5, base_url=base_url)
    with open(path, "wb") as out:
        for n, (page_path, page) in enumerate(sorted(pages.items())):
            out.write(pack(Exchange(base_url + page_path, 200,
                                    (("Content-Type", page.content_type),), page.body,
                                    datetime(2024, 5, 1, tzinfo=UTC) + timedelta(minutes=n))
                           ).blob)


def env_for(root: Path, base_url: str) -> dict[str, str]:
    sections = ", ".join(f'"{s}"' for s in SECTIONS)
    (root / "parkwatch.toml").write_text(
        f'[sources.e-my399]\nbase_url = "{base_url}"\nsections = [{sections}]\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"), PARKWATCH_HOME=str(root),
               PARKWATCH_DATABASE_URL=f"sqlite:///{root / 'archive.db'}", NO_COLOR="1",
               PYTHONPATH=str(REPO))
    return env


def campaign(name: str, argv: list[str], root: Path, env: dict[str, str], kills: int,
             count: int, rng: random.Random, progress) -> None:  # noqa: ANN001
    db = root / "archive.db"
    done = 0
    for n in range(kills):
        left = count - stored(db)
        if left < 2:
            print(f"{name}: everything stored after {n} kills")
            break
        if n % 2 == 0:  # a kill when this run has stored a random share of what is left
            at = stored(db) + rng.randint(1, left - 1)
            hit = killed_when(argv, root, env, lambda at=at: stored(db) >= at)
            how = f"at {at} stored"
        else:
            at = progress(rng)
            hit = killed_when(argv, root, env, at)
            how = "at a random moment"
        done += hit
        print(f"{name} kill {n + 1} {how}: {'killed' if hit else 'finished first'}; "
              f"{stored(db)} stored")
    started = time.perf_counter()
    subprocess.run(argv, cwd=root, env=env, check=True, capture_output=True, timeout=600)
    found = archive_intact(db, root / "pages")
    print(f"{name}: {done} kills, then one run ({time.perf_counter() - started:.1f} s): "
          f"{len(found)} stored of {count}, lost {count - len(found)}, stored twice 0, "
          "integrity ok, every record readable, no file left open")


def main() -> None:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    records = generate_records(count, sections=SECTIONS, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "import"
        root.mkdir()
        env = env_for(root, "http://e.my399.com")
        captures_warc(root / "captures.warc.gz", records, "http://e.my399.com")
        argv = [sys.executable, "-c", IMPORT, env["PARKWATCH_DATABASE_URL"],
                str(root / "captures.warc.gz"), str(root / "pages")]

        def after_first(rng: random.Random):  # noqa: ANN202
            """A random moment after this run's first stored article."""
            delay, before = rng.uniform(0.0, 1.5), stored(root / "archive.db")
            since: list[float] = []

            def reached() -> bool:
                if stored(root / "archive.db") > before and not since:
                    since.append(time.monotonic())
                return bool(since) and time.monotonic() - since[0] >= delay
            return reached

        campaign("import", argv, root, env, kills, count, rng, after_first)
        backfill(Path(tmp), records, kills, rng)


def backfill(tmp: Path, records: list[dict], kills: int, rng: random.Random) -> None:
    root = tmp / "backfill"
    root.mkdir()
    with SiteServer() as site:
        captures_warc(root / "captures.warc.gz", records, site.url)
        pywb = Pywb(root, [root / "captures.warc.gz"]).start()
        tap = Tap(pywb.url).start()
        try:
            env = env_for(root, site.url)
            argv = [sys.executable, "-m", "crawler.history.backfill", "e-my399", "--cdx",
                    f"{tap.url}/{COLLECTION}/cdx", "--rate", "50",
                    "-s", "LOG_LEVEL=ERROR"]

            def answered(rng: random.Random):  # noqa: ANN202
                """A random count of requests answered by the archive in this run."""
                tap.log.clear()
                at = rng.randint(2, len(records) - stored(root / "archive.db") + 2)
                return lambda: len(tap.log) >= at

            campaign("backfill", argv, root, env, kills, len(records), rng, answered)
        finally:
            tap.stop()
            pywb.stop()


if __name__ == "__main__":
    main()
