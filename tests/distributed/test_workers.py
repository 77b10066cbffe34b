"""Two real `parkwatch worker`s share one run: each article fetched once in all, the archive a
single-process crawl would store, and nothing missing after one worker is killed with -9."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from parkwatch.samplesite import generate_records
from tests.distributed.cluster import FAST, Cluster, projection, wait_for
from tests.support.sites import CRAWLED, PROFILE, article_path, article_requests, serve
from tests.support.workspace import Workspace

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(300)]


@pytest.fixture
def cluster(tmp_path, postgres_url, redis_url):
    (tmp_path / "cluster").mkdir()
    (tmp_path / "single").mkdir()
    cluster = Cluster(tmp_path / "cluster", postgres_url, redis_url)
    try:
        yield cluster
    finally:
        cluster.stop()


def distributed_crawl(cluster: Cluster, *settings: str, timeout: float = 240):
    return subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "crawl", "--source", "e-my399", "--distributed",
         *FAST, *settings], cwd=cluster.root, env=cluster.env(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 240) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"crawl --distributed exited {proc.returncode}:\n{out}\n{err}"
    return out + err


def test_two_workers_fetch_each_article_once_and_store_what_one_process_stores(
        tmp_path, cluster) -> None:
    site = serve()
    try:
        cluster.point(site.url)
        shared = ("-s", "PARKWATCH_HOST_RATE=40")  # one bucket for both workers
        cluster.start_worker(*shared)
        cluster.start_worker(*shared)
        output = finish(distributed_crawl(cluster))
        fetched = Counter(article_requests(site))
        assert f"{len(CRAWLED)} new" in output
        assert "drained on 2 worker(s)" in output  # both workers took part
        assert sorted(fetched) == sorted(article_path(r) for r in CRAWLED)
        assert set(fetched.values()) == {1}, "an article page was fetched twice"
        distributed = projection(cluster.articles())
    finally:
        site.stop()
    runs = cluster.run("runs", "--json", check=True).stdout
    assert '"status": "succeeded"' in runs and f'"new": {len(CRAWLED)}' in runs
    # Only the host limits remain (they expire by themselves).
    assert [k for k in cluster.redis_keys() if ":host:" not in k] == [], "a run left keys behind"

    reference_site = serve()
    try:
        single = Workspace(tmp_path / "single", f"sqlite:///{tmp_path / 'single.db'}")
        single.point(reference_site.url)
        single.crawl()
        reference = projection(single.articles())
    finally:
        reference_site.stop()
    # The same pages on another port: compare URLs by path.
    def by_path(rows: dict[str, dict]) -> dict[str, dict]:
        port = re.compile(r"http://127\.0\.0\.1:\d+")
        return {port.sub("", k): {f: (port.sub("", v) if isinstance(v, str) else v)
                                  for f, v in row.items()} for k, row in rows.items()}

    # Known limit (see docs/scaling.md): when the two copies of a near-duplicate pair are
    # stored in another order, which one is the original can differ, so the pair is compared
    # as linked, not by direction; everything else must be equal.
    def linked(rows: dict[str, dict]) -> set[frozenset[str]]:
        return {frozenset((url, row["duplicate_of"])) for url, row in rows.items()
                if row["duplicate_of"]}

    def unlinked(rows: dict[str, dict]) -> dict[str, dict]:
        return {url: {f: v for f, v in row.items() if f not in ("duplicate_of", "similarity")}
                for url, row in rows.items()}

    ours, theirs = by_path(distributed), by_path(reference)
    assert linked(ours) == linked(theirs) and linked(ours), "near-duplicates linked alike"
    assert unlinked(ours) == unlinked(theirs)


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path, cluster) -> None:
    records = generate_records(120, seed=7)
    expected = sorted(article_path(r) for r in records if r["section"] in PROFILE.sections)
    site = serve(records=records)
    try:
        cluster.point(site.url)
        # A shared limit of 20 requests/s keeps the crawl going for seconds; a worker whose
        # heartbeat is 3 s old is dead.
        limits = ("-s", "PARKWATCH_HOST_RATE=20", "-s", "PARKWATCH_WORKER_TTL=3")
        doomed = cluster.start_worker(*limits)
        cluster.start_worker(*limits)
        crawl = distributed_crawl(cluster)
        wait_for(lambda: len(article_requests(site)) >= len(expected) // 4, 180,
                 "a quarter of the articles to be fetched")
        cluster.kill_group(doomed)
        output = finish(crawl)
        fetched = Counter(article_requests(site))
    finally:
        site.stop()
    requeued = int(re.search(r"(\d+) request\(s\) re-queued", output).group(1))
    assert requeued > 0, output
    missing = sorted(set(expected) - set(fetched))
    assert sorted(fetched) == expected, (  # every article was fetched …
        f"never fetched: {missing}\n--- crawl\n{output}\n--- workers\n"
        + "\n".join(line for line in cluster.logs().splitlines()
                    if any(m.rsplit("/", 1)[-1] in line for m in missing)
                    or "ERROR" in line or "re-queued" in line or "Traceback" in line)[-20000:])
    stored = [a["url"] for a in cluster.articles()]
    paths = sorted(re.sub(r"^http://[^/]+", "", u) for u in stored)
    assert paths == expected  # … and stored once
    # Only the pages the dead worker held were fetched again.
    assert sum(fetched.values()) - len(expected) <= requeued
