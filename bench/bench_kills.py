"""Kill -9 a slow crawl at random moments, then run it once normally: articles lost (must be
0), duplicates, runs left `running`, `PRAGMA integrity_check`. Each kill is triggered by
observed progress, not a timer: half by the server's request log reaching a random count,
half by the archive reaching a random number of stored articles (a kill mid-write); each
crawl after a kill resumes what the last one left. Run by hand:
`.venv/bin/python bench/bench_kills.py [KILLS] [ARTICLES] [DELAY_SECONDS] [SEED]`."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parkwatch.samplesite import SiteServer, build_site, generate_records  # noqa: E402

SECTIONS = ["business/parks", "business/industries", "news"]


def command(root: Path) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKWATCH_")}
    env.update(PARKWATCH_CONFIG=str(root / "parkwatch.toml"), NO_COLOR="1",
               PARKWATCH_DATABASE_URL=f"sqlite:///{root / 'archive.db'}",
               PARKWATCH_HOME=str(root))
    return ([sys.executable, "-m", "parkwatch", "crawl", "--source", "e-my399", "--quiet",
             "--wait", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "LOG_LEVEL=ERROR"], env)


def crawl_killed_after(root: Path, server: SiteServer, requests: int,
                       articles: int | None = None) -> bool:
    """A crawl SIGKILLed when the server has answered `requests` GETs of it (or, given
    `articles`, when the archive holds that many); False when it finished first."""
    server.reset_log()
    argv, env = command(root)
    proc = subprocess.Popen(argv, cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    killed = threading.Event()

    def watch() -> None:
        while proc.poll() is None:
            if (stored(root / "archive.db") >= articles if articles is not None else
                    sum(1 for m, _, _ in server.requests if m == "GET") >= requests):
                os.kill(proc.pid, signal.SIGKILL)
                killed.set()
                return
            killed.wait(0.002)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    proc.wait()
    thread.join()
    return killed.is_set()


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.Error:
            return 0


def main() -> None:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.01
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    records = generate_records(count, sections=SECTIONS, seed=3)
    expected = {f"/{r['section']}/{r['url_date']}/{r['id']}.html" for r in records}
    with tempfile.TemporaryDirectory() as tmp, SiteServer(delay=delay) as server:
        root = Path(tmp)
        server.pages.update(build_site(records, per_page=10, base_url=server.url))
        sections = ", ".join(f'"{s}"' for s in SECTIONS)
        (root / "parkwatch.toml").write_text(
            f'[sources.e-my399]\nbase_url = "{server.url}"\nsections = [{sections}]\n')
        started = time.perf_counter()
        done = attempts = finished_first = 0
        stored_so_far: list[int] = []  # articles in the archive after each killed crawl
        while done < kills and attempts < kills * 3:
            attempts += 1
            # Half the kills at a random request of the crawl, half once a random number of
            # its articles are stored (mid-write: batches, state rows, the FTS index).
            have = stored(root / "archive.db")
            at = rng.randint(have + 1, count - 1) if attempts % 2 and have < count - 1 else None
            if crawl_killed_after(root, server, rng.randint(2, 60), at):
                done += 1
            else:
                finished_first += 1
            stored_so_far.append(stored(root / "archive.db"))
        db = sqlite3.connect(root / "archive.db")
        before = db.execute("select count(*) from articles").fetchone()[0]
        db.close()
        server.reset_log()
        argv, env = command(root)
        final = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
        db = sqlite3.connect(root / "archive.db")
        urls = [row[0].removeprefix(server.url) for row in db.execute("select url from articles")]
        running = db.execute("select count(*) from crawl_runs where status = 'running'"
                             ).fetchone()[0]
        integrity = db.execute("pragma integrity_check").fetchone()[0]
        db.close()
    print(f"{count} articles over {len(SECTIONS)} sections, 10 per listing page, "
          f"{delay * 1000:.0f} ms per answer")
    print(f"kills: {done} (crawls that finished before their kill moment: {finished_first}); "
          f"stored before the normal run: {before}")
    print(f"stored after each kill: {', '.join(map(str, stored_so_far))}")
    print(f"normal run exit {final.returncode}: {final.stdout.strip()[:160]} "
          f"{final.stderr.strip()[-300:]}")
    print(f"articles lost: {len(expected - set(urls))}")
    print(f"duplicates: {len(urls) - len(set(urls))}")
    print(f"runs left running: {running}")
    print(f"integrity_check: {integrity}")
    print(f"total time: {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
