"""The docs' workspace: the sample sites behind their proxy (one per test process) and the
demo's archive (crawled once per test run, whichever process asks first)."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs.sandbox import SampleSites, build_archive


@pytest.fixture(scope="session")
def sample_sites() -> Iterator[SampleSites]:
    sites = SampleSites()
    try:
        yield sites
    finally:
        sites.stop()


@pytest.fixture(scope="session")
def demo_archive(sample_sites: SampleSites, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive after `make demo`, built once and shared by the xdist workers (each copies
    it; every worker serves the same sample sites at the same addresses)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this run
    root, built = base / "docs-workspace", base / "docs-workspace.built"
    with (base / "docs-workspace.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            shutil.rmtree(root, ignore_errors=True)
            build_archive(root, sample_sites)
            built.touch()
    return root
