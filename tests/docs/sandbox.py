"""Where the docs' commands run: the demo's sample sites at the addresses the docs give them
(one local proxy answers for all), an archive crawled from them, and a shell that runs each
shown command as a reader would, in this process where it can."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from parkwatch.samplesite import SiteServer
from parkwatch.samplesite.sites import SITES
from tests.docs.examples import REPO, Command

BIN = Path(sys.executable).parent  # the virtualenv's bin: `parkwatch`, `scrapy`
# The sample sites, at the addresses the docs use. hulan-kfq is not configured: it is the
# README's "Adding a site" (a portal of the binbei-kfq shape). .example names never resolve,
# so a request that missed the proxy would fail rather than leave the machine.
ADDRESSES = {
    "http://e.my399.example": "e-my399",
    "http://www.binbei-kfq.example": "binbei-kfq",
    "http://riverside-times.example": "riverside-times",
    "http://www.hulan-kfq.example": "binbei-kfq",
}
CONFIG = """\
# The demo's three sources, as a reader has them after `make demo`.
[scrapy]                        # the sample sites are local: no politeness delay
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = false

[sources.e-my399]
base_url = "http://e.my399.example"

[sources.binbei-kfq]
base_url = "http://www.binbei-kfq.example"
language = "zh"

[sources.riverside-times]
base_url = "http://riverside-times.example"
language = "en"
"""
# What the test puts in place of a shown address or option, and why (docs/README.md).
API_ADDRESS = "127.0.0.1:8000"  # `parkwatch api`'s default: the test serves the app itself
RECEIVER_HOST = "alerts.example"  # a watch's json:// target: a local receiver
UNPAUSED = re.compile(r"^(parkwatch sources (?:add|check)\b)")  # politeness pauses skipped
# Commands that cannot run in this process: a Twisted reactor runs once per process.
IN_CHILD = {"crawl", "demo", "serve", "worker", "api", "web"}
TIMEOUT = 90.0
# `echo TEXT | parkwatch …` runs in this process with TEXT on its stdin (no bash needed).
ECHO_PIPE = re.compile(r"^echo (?P<text>'[^']*'|\"[^\"$`\\]*\") "
                       r"\| (?P<command>parkwatch [^|;&<>$`]*)$")


class SampleSites:
    """Every sample site on its own local server, and one HTTP proxy in front that answers
    for their addresses (and refuses any other host)."""

    def __init__(self) -> None:
        self.servers: dict[str, SiteServer] = {}
        for address, name in ADDRESSES.items():
            server = SiteServer().start()
            server.pages.update(SITES[name].pages(base_url=address))
            self.servers[urlsplit(address).netloc] = server
        self.proxy = ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(self.servers))
        self.proxy.daemon_threads = True
        self.thread = threading.Thread(target=self.proxy.serve_forever, daemon=True)
        self.thread.start()

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy.server_address[1]}"

    def stop(self) -> None:
        self.proxy.shutdown()
        self.proxy.server_close()
        for server in self.servers.values():
            server.stop()


def _proxy_handler(servers: Mapping[str, SiteServer]) -> type[BaseHTTPRequestHandler]:
    hop_by_hop = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                  "proxy-authorization", "te", "upgrade"}

    class Forward(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            target = urlsplit(self.path)
            server = servers.get(target.netloc)
            if server is None:
                self.send_error(502, f"not a sample site: {target.netloc or self.path}")
                return
            path = (target.path or "/") + (f"?{target.query}" if target.query else "")
            headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop}
            upstream = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            try:
                upstream.request(self.command, path, headers=headers)
                answer = upstream.getresponse()
                body = answer.read()
            finally:
                upstream.close()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in hop_by_hop | {"content-length", "server", "date"}:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_HEAD = _forward  # noqa: N815 - http.server's names

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Forward


def shell_env(root: Path, proxy_url: str) -> dict[str, str]:
    """The reader's shell after the README's quick start, in a workspace at `root`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PARKWATCH_") and k.lower() not in
           ("http_proxy", "https_proxy", "no_proxy", "all_proxy")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", PWD=str(root),
        PARKWATCH_HOME=str(root / "demo-data"), PARKWATCH_PARSE_WORKERS="0",
        XDG_CONFIG_HOME=str(root / ".config"), XDG_DATA_HOME=str(root / ".local" / "share"),
        http_proxy=proxy_url, https_proxy=proxy_url, HTTP_PROXY=proxy_url,
        HTTPS_PROXY=proxy_url, no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost",
        NO_COLOR="1", COLUMNS="200")
    return env


@contextlib.contextmanager
def environment(env: Mapping[str, str], cwd: Path) -> Iterator[None]:
    """This process's environment and working folder replaced for the duration."""
    with mock.patch.dict(os.environ, env, clear=True), contextlib.chdir(cwd):
        yield


def build_archive(root: Path, sites: SampleSites) -> None:
    """The demo's archive: each sample site crawled once by its address (three crawl
    processes at once, as the service would run them)."""
    (root / "demo-data").mkdir(parents=True)
    (root / "parkwatch.toml").write_text(CONFIG, encoding="utf-8")
    env = shell_env(root, sites.proxy_url)
    upgrade = Shell(root, sites).run_line("parkwatch db upgrade")
    assert upgrade.exit_code == 0, upgrade.output
    crawls = {name: subprocess.Popen(
        [sys.executable, "-m", "parkwatch", "crawl", "--source", name, "--quiet"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for name in ("e-my399", "binbei-kfq", "riverside-times")}
    for name, crawl in crawls.items():
        output, _ = crawl.communicate(timeout=180)
        assert crawl.returncode == 0 and "succeeded" in output, f"crawl of {name}:\n{output}"


def copy_archive(base: Path, root: Path) -> None:
    """A page's own copy of the workspace: its commands change nothing another page sees."""
    shutil.copytree(base, root, ignore=shutil.ignore_patterns("*.serve.lock"))


@dataclass
class Result:
    exit_code: int
    output: str  # stdout and stderr, as a terminal would show them
    stdout: str = ""
    stderr: str = ""


class Shell:
    """Runs shown commands in one workspace, keeping `export`s between them."""

    def __init__(self, root: Path, sites: SampleSites) -> None:
        self.root, self.sites = root, sites
        self.env = shell_env(root, sites.proxy_url)
        self.api: Any = None
        self.receiver: Any = None

    def close(self) -> None:
        from archive.db import dispose_all

        for server in (self.api, self.receiver):
            if server is not None:
                server.stop()
        dispose_all()

    # ------------------------------------------------------------ what the test puts in

    def rewrite(self, text: str) -> str:
        """The shown command as the test runs it (the rewrites docs/README.md lists)."""
        if API_ADDRESS in text:
            text = text.replace(API_ADDRESS, self._api_address())
        if RECEIVER_HOST in text:
            text = text.replace(RECEIVER_HOST, self._receiver_address())
        return UNPAUSED.sub(r"\1 --pause 0", text)

    def unrewrite(self, output: str) -> str:
        if self.api is not None:
            output = output.replace(self._api_address(), API_ADDRESS)
        if self.receiver is not None:
            output = output.replace(self._receiver_address(), RECEIVER_HOST)
        return output

    def _api_address(self) -> str:
        if self.api is None:
            from foundation.settings import load_settings
            from tests.support.desk import AppServer

            with environment(self.env, self.root):
                self.api = AppServer(load_settings()).start()
        return str(self.api.url).removeprefix("http://")

    def _receiver_address(self) -> str:
        if self.receiver is None:
            from tests.support.desk import Receiver

            self.receiver = Receiver().start()
        return f"127.0.0.1:{self.receiver.port}"

    # ------------------------------------------------------------ running

    def run(self, command: Command) -> Result:
        return self.run_line(command.text)

    def run_line(self, text: str) -> Result:
        line = self.rewrite(text)
        words = shlex.split(line, comments=True)
        if words and words[0] == "export":
            for word in words[1:]:
                name, _, value = word.partition("=")
                with environment(self.env, self.root):
                    self.env[name] = os.path.expandvars(value)  # as the shell expands it
            return Result(0, "")
        result = self._dispatch(line, words)
        return Result(result.exit_code, self.unrewrite(result.output), result.stdout)

    def _dispatch(self, line: str, words: list[str]) -> Result:
        piped = ECHO_PIPE.match(line)
        if piped:  # `echo TEXT | parkwatch …`: TEXT on the command's stdin, in this process
            text = shlex.split(piped["text"])
            args = shlex.split(piped["command"], comments=True)[1:]
            return in_process(args, self.env, self.root, stdin=" ".join(text) + "\n")
        assignments = {}
        while words and re.match(r"^[A-Za-z_]\w*=", words[0]):
            name, _, value = words.pop(0).partition("=")
            assignments[name] = value
        shell, redirect = needs_shell(line)
        program = words[0] if words else ""
        if shell or program not in ("parkwatch", "make", "scrapy"):
            return self._child(["bash", "-c", line], self.env)
        env = {**self.env, **assignments}
        if program == "make":
            return self._child(["make", "-n", *words[1:]], env, cwd=REPO)
        if program == "scrapy":
            env["PARKWATCH_CONFIG"] = str(self.root / "parkwatch.toml")
            return self._child([str(BIN / "scrapy"), *words[1:]], env, cwd=REPO)
        args = words[1:]
        if redirect:
            args = args[:args.index(">")]
        if args and args[0] in IN_CHILD and "--queue" not in args and "--help" not in args:
            result = self._child([sys.executable, "-m", "parkwatch", *args], env)
        else:
            result = in_process(args, env, self.root)
        if redirect:
            (self.root / redirect).write_text(result.stdout, encoding="utf-8")
        return result

    def _child(self, argv: list[str], env: Mapping[str, str], cwd: Path | None = None
               ) -> Result:
        try:
            proc = subprocess.run(argv, cwd=cwd or self.root, env=dict(env), text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return Result(-1, f"still running after {TIMEOUT:.0f} s: a command that runs "
                              "until stopped needs `<!-- not run: why -->` above its block")
        return Result(proc.returncode, proc.stdout, proc.stdout)


def needs_shell(line: str) -> tuple[bool, str | None]:
    """Whether a line needs bash (pipes, globs, variables…), and the file a trailing
    `> FILE` (the one piece of shell run here) writes to."""
    quote = ""
    specials: list[int] = []
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            line = line[:i]
            break
        elif char in "|&;<>()$`*?[]{}~\\":
            specials.append(i)
    if not specials:
        return False, None
    if len(specials) == 1 and line[specials[0]] == ">":
        target = line[specials[0] + 1:].split()
        if len(target) == 1:
            return False, target[0]
    return True, None


def in_process(args: list[str], env: Mapping[str, str], cwd: Path, stdin: str | None = None,
               columns: int = 200) -> Result:
    """`parkwatch ARGS` in this process, exactly as the command's own `main()` runs it."""
    from click.testing import CliRunner

    from parkwatch import console
    from parkwatch.cli import main

    runner = CliRunner()
    # The consoles' width is fixed when they are made (from COLUMNS, whatever this process
    # had then): the terminal is `columns` wide here (200, as for the child processes).
    with environment(env, cwd), runner.isolation(input=stdin) as (stdout, stderr, mixed), \
            mock.patch.object(sys, "argv", ["parkwatch", *args]), \
            mock.patch.object(console.out, "_width", columns), \
            mock.patch.object(console.err, "_width", columns):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        output = mixed.getvalue().decode("utf-8", "replace")
        printed = stdout.getvalue().decode("utf-8", "replace")
        errors = stderr.getvalue().decode("utf-8", "replace")
    return Result(code, output, printed, errors)
