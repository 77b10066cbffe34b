"""A new user's first hour (#23): each mistake is one clear line and a non-zero exit, and the
command's own output stays readable; run in this process (tests/support/cli.py)."""

from __future__ import annotations

import pytest

from tests.cli.test_cli_errors import assert_one_line_error
from tests.support.cli import invoke


@pytest.mark.parametrize(("url", "why"), [
    ("http://exa mple.org", "it holds a space"),
    ("https://www.example.org/news page/", "it holds a space"),
    ("http://", "no host name"),
    ("http://example.org:99999", "not a valid URL (Port out of range"),
    ("ftp://example.org", "not an http(s) address"),
])
def test_sources_add_with_a_bad_url_is_one_line(workspace, url: str, why: str) -> None:
    workspace.config.write_text("# mine\n")
    proc = invoke(workspace, "sources", "add", "mysite", url, "--pause", "0")
    assert_one_line_error(proc, "not a site address", why)
    assert proc.returncode == 2
    assert workspace.config.read_text() == "# mine\n"
