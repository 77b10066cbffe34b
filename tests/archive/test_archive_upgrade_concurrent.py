"""Several processes finding an old archive at once upgrade it once, one after the other."""

from __future__ import annotations

import subprocess
import sys

from archive.db import current_revision, dispose_all, head_revision

UPGRADE = "import sys; from archive.db import ensure_schema; ensure_schema(sys.argv[1])"


def _upgrade_together(url: str, processes: int = 4) -> list[subprocess.CompletedProcess]:
    children = [subprocess.Popen([sys.executable, "-c", UPGRADE, url], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    return results


def test_concurrent_upgrades_of_one_archive_all_succeed(db_url: str) -> None:
    results = _upgrade_together(db_url)
    assert [r.returncode for r in results] == [0] * len(results), [r.stderr for r in results]
    assert current_revision(db_url) == head_revision()
    dispose_all()
