"""Shared test fixtures. Nothing here touches the network: servers listen on 127.0.0.1 only."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pipeline.demo import LoopbackServer

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
NEWSPIPE = [sys.executable, "-m", "pipeline.cli"]


def newspipe(*args, env=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess."""
    e = {**os.environ, **(env or {})}
    e.pop("NEWSPIPE_DB", None)
    return subprocess.run([*NEWSPIPE, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=kw.pop("cwd", ROOT), env=e, **kw)


def sources_toml(base: str, delay: float | None = None) -> str:
    """A sources file for the demo site at ``base`` (the demo's own four sources)."""
    from pipeline.demo import demo_sources
    out = []
    for s in demo_sources(base):
        out.append("[[sources]]")
        out.append(f'id = "{s.id}"\nname = "{s.name}"\noutlet = "{s.outlet}"\nregion = "{s.region}"')
        out.append(f"feeds = {json.dumps(list(s.feeds))}\nlist_urls = {json.dumps(list(s.list_urls))}")
        out.append(f"article_pattern = '{s.article_pattern}'\nprofile = \"{s.profile}\"")
        if delay is not None:
            out.append(f"crawl_delay = {delay}")
        out.append("")
    return "\n".join(out)


@pytest.fixture()
def demo_site():
    from pipeline.demo import DemoSite
    with DemoSite() as site:
        yield site


class LibreStub(LoopbackServer):
    """A LibreTranslate-compatible HTTP server on 127.0.0.1 (POST /translate, JSON answer).

    Written for these tests. It answers each line with the English of the Korean–English
    news corpus when the line is in it, else with a deterministic English placeholder
    sentence (clearly not a translation) long enough to pass the length check.
    """

    def __init__(self, pairs: dict[str, str] | None = None, prefix: str = "Placeholder"):
        self.pairs = pairs or {}
        self.prefix = prefix
        self.requests: list[str] = []
        # Faults for the next requests, in order: an HTTP status (int), (status, headers), "hang" (answer
        # after 10 s), "merge" (answer with the lines run together: the wrong number of lines), or "garbage"
        # (every line answered with the Korean it was sent: what QA must refuse).
        self.fail_next: list = []
        self.dead_after: int | None = None  # after this many requests, every connection is closed unanswered
        self.latency = 0.0                  # seconds every answer takes
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                q = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    body = parse_qs(self.rfile.read(length).decode())
                    q = q or body.get("q", [""])[0]
                stub.requests.append(q)
                if stub.dead_after is not None and len(stub.requests) > stub.dead_after:
                    self.close_connection = True       # the server "died": no answer at all
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                fault = stub.fail_next.pop(0) if stub.fail_next else None
                time.sleep(stub.latency)
                if fault == "hang":
                    time.sleep(10)
                elif isinstance(fault, (int, tuple)):
                    code, headers = fault if isinstance(fault, tuple) else (fault, {})
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", "25")
                    self.end_headers()
                    self.wfile.write(b'{"error": "stub failure"}')
                    return
                out = "\n".join(line if fault == "garbage" else stub.english(line) for line in q.split("\n"))
                if fault == "merge":
                    out = out.replace("\n", " ")
                data = json.dumps({"translatedText": out}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler)
        self.url = f"http://127.0.0.1:{self.port}/"

    def english(self, line: str) -> str:
        if not line.strip():
            return ""
        if line in self.pairs:
            return self.pairs[line]
        words, h = [], hashlib.sha1(line.encode()).hexdigest()
        while len(" ".join(words)) < max(8, len(line)):
            words.append(f"word{h[len(words) % 40]}")
        return f"{self.prefix} " + " ".join(words) + "."



@pytest.fixture()
def libre():
    with LibreStub() as stub:
        yield stub


@pytest.fixture(scope="session")
def analyzer():
    from nlp.analyze import Analyzer
    return Analyzer()
