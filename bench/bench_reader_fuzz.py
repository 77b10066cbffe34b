"""The reader's long fuzz run: parse_article over many generated and mutated hostile pages
(tests/support/pagegen.py, the suite's strategies), and over a directory of saved pages as
they are and mutated; counts what each page came to and every exception by kind.

    python bench/bench_reader_fuzz.py                         # 10,000 generated/mutated pages
    python bench/bench_reader_fuzz.py --pages 20000 --seed 7
    python bench/bench_reader_fuzz.py --dir SAVED_PAGES --mutations 4   # real-world pages

"escaped" counts exceptions that got past parse_article (anything but ParseError): the
page boundary lets none through. "read errors" counts the failures it caught (ReadError):
each is a reader bug to fix; the first page of each kind is written to --keep for replay.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from crawler.parsing.article import ParseError, ReadError, parse_article  # noqa: E402
from foundation.profile import Profile  # noqa: E402
from foundation.settings import load_settings  # noqa: E402
from tests.support.pagegen import Page, hostile_pages  # noqa: E402

PROFILES = [Profile(name="file", base_url="http://localhost"),
            load_settings().source("e-my399")]


class Tally:
    """Outcomes by kind, and where the first page of each failure kind was kept."""

    def __init__(self, keep: Path) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.keep = keep
        self.kept: dict[str, Path] = {}
        self.slowest = (0.0, "")

    def read(self, page: Page, profile: Profile) -> None:
        start = time.perf_counter()
        try:
            parse_article(page.body, page.url, profile, page.charset)
            self.counts["article"] += 1
        except ReadError as exc:
            self.counts["read errors"] += 1
            self._keep(f"read-{exc.kind}", page, str(exc))
        except ParseError:
            self.counts["refused"] += 1
        except BaseException as exc:  # noqa: BLE001 - what the boundary must never let out
            self.counts["escaped"] += 1
            self._keep(f"escaped-{type(exc).__name__}", page, repr(exc))
        took = time.perf_counter() - start
        self.counts["pages"] += 1
        if took > self.slowest[0]:
            self.slowest = (took, page.origin)

    def _keep(self, kind: str, page: Page, reason: str) -> None:
        self.counts[kind] += 1
        if kind not in self.kept:
            self.keep.mkdir(parents=True, exist_ok=True)
            path = self.keep / f"{kind}.html"
            path.write_bytes(page.body)
            self.kept[kind] = path
            print(f"  {kind}: {reason[:160]} ({page.origin}, charset {page.charset!r}) "
                  f"-> {path}", flush=True)

    def report(self, label: str, seconds: float) -> None:
        pages = self.counts["pages"]
        print(f"{label}: {pages} pages in {seconds:.0f} s ({pages / max(seconds, 1e-9):.0f}/s),"
              f" slowest {self.slowest[0] * 1000:.0f} ms ({self.slowest[1]})")
        for name in ("article", "refused", "read errors", "escaped"):
            print(f"  {name:12} {self.counts[name]}")
        for name, count in sorted(self.counts.items()):
            if name.startswith(("read-", "escaped-")):
                print(f"    {name:30} {count}")


def generated(pages: int, at_seed: int, tally: Tally) -> None:
    @seed(at_seed)
    @given(page=hostile_pages(), profile=st.sampled_from(PROFILES))
    @settings(max_examples=pages, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    def run(page: Page, profile: Profile) -> None:
        tally.read(page, profile)

    run()


def saved(directory: Path, mutations: int, at_seed: int, tally: Tally) -> None:
    """Each page of the directory as it is, then `mutations` mutated copies of it."""
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    rng = random.Random(at_seed)
    for path in files:
        body = path.read_bytes()
        tally.read(Page(body, path.as_uri(), None, f"saved {path.name}"), PROFILES[0])
        for _ in range(mutations):
            tally.read(Page(_mutate(body, rng), path.as_uri(), None, f"mutated {path.name}"),
                       rng.choice(PROFILES))


def _mutate(body: bytes, rng: random.Random) -> bytes:
    """The strategies' mutations, drawn from a seeded generator (Hypothesis' `example()` is not
    meant for loops); the same kinds of damage."""
    at = rng.randrange(len(body) + 1)
    end = min(len(body), at + rng.randrange(4000))
    kind = rng.choice(["comment", "pi", "cut", "repeat", "truncate", "flip", "nul", "angles"])
    if kind == "comment":
        return b"<!-- x -->".join(body.split(b">"))[:len(body) * 3]
    if kind == "pi":
        return body[:at] + b"<?php echo $x; ?><!--><![CDATA[x]]></div></p>" + body[at:]
    if kind == "cut":
        return body[:at] + body[end:]
    if kind == "repeat":
        return body[:end] + body[at:end] * rng.randrange(1, 50) + body[end:]
    if kind == "truncate":
        return body[:at]
    if kind == "flip":
        flipped = bytearray(body)
        for _ in range(20):
            if flipped:
                flipped[rng.randrange(len(flipped))] ^= rng.randrange(1, 256)
        return bytes(flipped)
    if kind == "nul":
        return body[:at] + b"\x00" * rng.randrange(1, 64) + body[at:]
    return body[:at] + body[at:end].replace(b"<", b">").replace(b"/", b"<") + body[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="generated/mutated pages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, help="saved pages to read as they are and mutated"
                        " (instead of generated pages)")
    parser.add_argument("--mutations", type=int, default=4, help="mutated copies per saved page")
    parser.add_argument("--keep", type=Path, default=Path("/tmp/reader-fuzz"),
                        help="where the first page of each failure kind is written")
    args = parser.parse_args()
    tally = Tally(args.keep)
    start = time.perf_counter()
    if args.dir:
        saved(args.dir, args.mutations, args.seed, tally)
        tally.report(f"saved pages of {args.dir} (+{args.mutations} mutations each)",
                     time.perf_counter() - start)
    else:
        generated(args.pages, args.seed, tally)
        tally.report(f"generated and mutated pages (seed {args.seed})",
                     time.perf_counter() - start)
    return 1 if tally.counts["escaped"] or tally.counts["read errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
