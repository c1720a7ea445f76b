"""Concurrent web sessions (issue 9) and the scaled setup (issue 10) under the same load.

N sessions, each a socket.io client speaking Chainlit's protocol as the web page does (its own
session and thread id), connect at once and each send five scripted turns back to back, with no
pause to read (a closed loop: the worst case for the server). Each session seeds markers that only
it can legitimately see: a made-up customer reference in its messages, and a request date of its
own, which makes its erasure verdict ("hier <deadline>") and its draft ("ontvangen op <date>")
unique. A session that receives anything carrying another session's marker is a leak.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.procs import KOMPAS, ROOT, free_port, kompas_env
from bench.stats import peak_rss_mb, summary_ms

SESSIONS = (10, 25, 50)
SCALED_SESSIONS = (25, 50)
TURNS_PER_SESSION = 5
# Deadlines are computed from "today": fixed, so that every run asks and expects the same dates.
TODAY = "2026-11-30"
TURN_TIMEOUT_S = 60.0
READY_TIMEOUT_S = 180.0
CHROMA = str(Path(sys.executable).with_name("chroma"))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
# The first 28 days of August and September: distinct request dates whose deadlines (the same
# day a month later) are distinct too.
REQUEST_DATES = [dt.date(2026, month, day) for month in (8, 9) for day in range(1, 29)]
METHOD = (
    "N socket.io clients (Chainlit's web protocol, own session and thread id each) connect at once, "
    "then each sends 5 turns back to back without think time (register question, its facts, an "
    "erasure request with facts, 'waarom?', 'maak een antwoord'); latency is send → the assistant "
    "message of that session; a turn ends at Chainlit's task_end, after which the client fetches "
    "the turn's inline text elements and Markdown files as the page does; errors are timeouts "
    f"({TURN_TIMEOUT_S:.0f} s), disconnects, failed connects and replies without the expected "
    "content; throughput is completed turns / wall time of the level; one untimed warm-up "
    "conversation per instance after /healthz reports ready; the clients run in the bench process "
    "on the same CPUs as the server"
)


def _nl(day: dt.date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def _letters(index: int) -> str:
    # No digits: a number in a message could be read as a head count or a date.
    return chr(ord("A") + index // 26 % 26) + chr(ord("A") + index % 26)


@dataclass(frozen=True)
class Script:
    """The five turns of one session and the markers only that session may see."""

    index: int
    tag: str = "Q"

    @property
    def marker(self) -> str:
        """A made-up customer reference that appears in this session's messages only."""
        return f"Zorbiq{self.tag}{_letters(self.index)}x"

    @property
    def request(self) -> dt.date:
        """The date of this session's erasure request (unique within a level)."""
        return REQUEST_DATES[self.index % len(REQUEST_DATES)]

    @property
    def verdict_phrase(self) -> str:
        """How the erasure verdict states this session's deadline (one calendar month later)."""
        deadline = self.request.replace(month=self.request.month + 1)
        return f"hier {_nl(deadline)}"

    @property
    def draft_phrase(self) -> str:
        """How the drafted reply states this session's request date."""
        return f"ontvangen op {_nl(self.request)}"

    @property
    def markers(self) -> tuple[str, str, str]:
        """Everything that identifies this session's facts, verdict and draft."""
        return (self.marker, self.verdict_phrase, self.draft_phrase)

    def turns(self) -> list[tuple[str, str]]:
        """Return (message, phrase its reply must contain) for the five turns."""
        request = f"{self.request.day} {MONTHS_NL[self.request.month - 1]}"
        return [
            (
                f"Moet ik als bakkerij (dossier {self.marker}) een verwerkingsregister bijhouden?",
                "heb ik nog dit nodig",
            ),
            (f"We zijn met {3 + self.index % 20} werknemers en hebben een klantenbestand.", "register"),
            (
                f"Klant {self.marker} vroeg op {request} om gewist te worden, het is zeker hem. "
                "We hebben zijn CRM-fiche en een factuur van 2024.",
                self.verdict_phrase,
            ),
            ("waarom?", self.verdict_phrase),
            (f"maak een antwoord voor klant {self.marker}", self.draft_phrase),
        ]


@dataclass
class SessionResult:
    """What one session measured and saw."""

    script: Script
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    draft_keys: list[str] = field(default_factory=list)


class Session:
    """One browser tab: a socket.io connection with its own session and thread id."""

    def __init__(self, url: str, script: Script, http: Any) -> None:
        import socketio

        self.url = url
        self.http = http
        self.result = SessionResult(script)
        self.session_id = str(uuid.uuid4())
        self.thread_id = str(uuid.uuid4())
        self.events: list[tuple[str, Any]] = []
        self.connected = False
        self._changed = asyncio.Event()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("*", self._on_event)
        self.sio.on("disconnect", self._on_disconnect)

    async def _on_event(self, event: str, *args: Any) -> None:
        self.events.append((event, args[0] if len(args) == 1 else list(args)))
        self._changed.set()

    async def _on_disconnect(self, *_: Any) -> None:
        self.connected = False
        self._changed.set()

    async def connect(self) -> None:
        """Open the socket as the web page does."""
        auth = {
            "clientType": "webapp",
            "sessionId": self.session_id,
            "threadId": self.thread_id,
            "userEnv": "{}",
        }
        await self.sio.connect(self.url, socketio_path="/ws/socket.io", auth=auth, transports=["websocket"])
        self.connected = True
        await self.sio.emit("connection_successful")

    async def _wait(self, found: Any, deadline: float) -> int | None:
        """Wait until ``found(start)`` returns an event index; None on timeout or disconnect."""
        loop = asyncio.get_running_loop()
        while True:
            index: int | None = found()
            if index is not None:
                return index
            if not self.connected:
                return None
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=remaining)

    def _first(self, start: int, event: str, kind: str | None = None) -> int | None:
        for i in range(start, len(self.events)):
            name, data = self.events[i]
            if name == event and (kind is None or (isinstance(data, dict) and data.get("type") == kind)):
                return i
        return None

    async def _fetch_texts(self, start: int, end: int) -> list[str]:
        """Fetch the turn's inline text elements and Markdown files, as the page shows them."""
        texts = []
        for name, data in self.events[start:end]:
            if name != "element" or not isinstance(data, dict) or not data.get("chainlitKey"):
                continue
            if data.get("type") != "text" and data.get("mime") != "text/markdown":
                continue
            if data.get("mime") == "text/markdown":
                self.result.draft_keys.append(str(data["chainlitKey"]))
            status, body = await self.fetch(str(data["chainlitKey"]), self.session_id)
            if status != 200:
                raise RuntimeError(f"element {data.get('name')!r}: HTTP {status}")
            texts.append(body)
        return texts

    async def fetch(self, key: str, session_id: str) -> tuple[int, str]:
        """GET an element's content with the given session id; return the status and the text."""
        async with self.http.get(f"{self.url}/project/file/{key}", params={"session_id": session_id}) as r:
            return int(r.status), await r.text()

    async def turn(self, message: str, expected: str) -> None:
        """Send one message, time the reply, wait for the end of the turn, check its content."""
        loop = asyncio.get_running_loop()
        start = len(self.events)
        step = {
            "id": str(uuid.uuid4()),
            "threadId": self.thread_id,
            "name": "User",
            "type": "user_message",
            "output": message,
            "createdAt": dt.datetime.now(dt.UTC).isoformat(),
        }
        sent = time.perf_counter()
        deadline = loop.time() + TURN_TIMEOUT_S
        await self.sio.emit("client_message", {"message": step, "fileReferences": None})
        reply = await self._wait(lambda: self._first(start, "new_message", "assistant_message"), deadline)
        if reply is None:
            self.result.errors.append("disconnected" if not self.connected else "timeout")
            return
        self.result.latencies.append(time.perf_counter() - sent)
        end = await self._wait(lambda: self._first(reply + 1, "task_end"), deadline)
        if end is None:
            self.result.errors.append("disconnected" if not self.connected else "timeout (task_end)")
            return
        try:
            texts = await self._fetch_texts(start, end)
        except Exception as exc:  # a failed fetch is an error of the turn, not of the benchmark
            self.result.errors.append(f"element fetch: {exc}")
            return
        seen = "\n".join([json.dumps(data, ensure_ascii=False) for _, data in self.events[start:end]] + texts)
        self.result.received.append(seen)
        if expected not in seen:
            reply_text = str(self.events[reply][1].get("output", ""))[:120]
            self.result.errors.append(f"unexpected reply to turn {len(self.result.received)}: {reply_text!r}")

    async def run(self) -> None:
        """Connect and play the script; every failure is recorded, none is raised."""
        try:
            await self.connect()
        except Exception as exc:
            self.result.errors += [f"connect: {type(exc).__name__}"] * TURNS_PER_SESSION
            return
        for message, expected in self.result.script.turns():
            if not self.connected:
                self.result.errors.append("disconnected")
                continue
            await self.turn(message, expected)

    async def close(self) -> None:
        """Disconnect; everything before it has been recorded."""
        # Whatever arrived after the last turn ended is scanned for leaks too.
        self.result.received.append("\n".join(json.dumps(d, ensure_ascii=False) for _, d in self.events))
        with contextlib.suppress(Exception):
            await self.sio.disconnect()


def isolation(results: list[SessionResult]) -> dict[str, Any]:
    """Return every place where a session received another session's marker."""
    owner = {marker: r.script.index for r in results for marker in r.script.markers}
    pattern = re.compile("|".join(re.escape(m) for m in sorted(owner, key=len, reverse=True)))
    leaks = []
    for r in results:
        for text in r.received:
            for found in pattern.finditer(text):
                if owner[found.group()] != r.script.index:
                    leaks.append(f"session {r.script.index} saw {found.group()!r}")
    return {"leaks": len(leaks), "leak_examples": sorted(set(leaks))[:5]}


async def _cross_fetch(sessions: list[Session]) -> int:
    """Ask for the next session's draft with one's own session id; return how many were served."""
    served = 0
    for i, session in enumerate(sessions):
        other = sessions[(i + 1) % len(sessions)]
        for key in other.result.draft_keys[:1]:
            status, _ = await session.fetch(key, session.session_id)
            served += status == 200
    return served


async def load(urls: list[str], n: int, tag: str = "Q") -> dict[str, Any]:
    """Run ``n`` sessions spread round-robin over ``urls``; return latency, errors, isolation."""
    import aiohttp

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)) as http:
        sessions = [Session(urls[i % len(urls)], Script(i, tag), http) for i in range(n)]
        started = time.perf_counter()
        await asyncio.gather(*(s.run() for s in sessions))
        wall = time.perf_counter() - started
        foreign_drafts = await _cross_fetch(sessions)
        await asyncio.gather(*(s.close() for s in sessions))
    results = [s.result for s in sessions]
    latencies = [x for r in results for x in r.latencies]
    errors = [e for r in results for e in r.errors]
    summary: dict[str, Any] = {"p50_ms": None, "p95_ms": None, "mean_ms": None, "max_ms": None}
    if latencies:
        summary = summary_ms(latencies)
    own_drafts = sum(bool(r.draft_keys) for r in results)
    return {
        **summary,
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "sessions": n,
        "turns": len(latencies),
        "wall_s": round(wall, 2),
        "turns_per_s": round(len(latencies) / wall, 2),
        "isolation": {
            **isolation(results),
            "own_drafts": own_drafts,
            "foreign_drafts_served": foreign_drafts,
        },
    }


def _wait_ready(url: str, proc: subprocess.Popen[bytes], deadline: float) -> None:
    """Wait for the page, then for /healthz to report the model and index loaded."""
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as reply:
                if json.loads(reply.read()).get("ready") is True:
                    return
        except (OSError, ValueError):
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"kompas serve at {url} exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not ready within {READY_TIMEOUT_S:.0f}s")
        time.sleep(0.2)


@contextlib.contextmanager
def servers(env: dict[str, str], count: int) -> Iterator[list[tuple[subprocess.Popen[bytes], str]]]:
    """Start ``count`` ``kompas serve`` processes on free ports; stop them afterwards."""
    started: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for _ in range(count):
            port = free_port()
            proc = subprocess.Popen(
                [KOMPAS, "serve", "--port", str(port)],
                env={**env, "CHAINLIT_APP_ROOT": str(ROOT), "KOMPAS_TODAY": TODAY},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append((proc, f"http://127.0.0.1:{port}"))
        deadline = time.monotonic() + READY_TIMEOUT_S
        for proc, url in started:
            _wait_ready(url, proc, deadline)
        yield started
    finally:
        for proc, _ in started:
            _stop(proc)


def _stop(proc: subprocess.Popen[Any]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def warm(urls: list[str]) -> None:
    """One untimed conversation per instance: lazy imports and caches are loaded before timing."""
    for url in urls:
        done = asyncio.run(load([url], 1, tag="W"))
        if done["errors"]:
            raise RuntimeError(f"warm-up conversation on {url} failed: {done['error_examples']}")


def cpu_s(pid: int) -> float:
    """Return the CPU time (user + system) a process has used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _levels(
    servers: list[tuple[subprocess.Popen[bytes], str]], levels: tuple[int, ...], say: Any
) -> dict[str, Any]:
    urls = [url for _, url in servers]
    block: dict[str, Any] = {}
    for n in levels:
        say(f"web: {n} sessions x {TURNS_PER_SESSION} turns on {len(urls)} instance(s)")
        before = sum(cpu_s(proc.pid) for proc, _ in servers)
        client_before = time.process_time()
        level = asyncio.run(load(urls, n, tag=f"L{_letters(n)}"))
        used = sum(cpu_s(proc.pid) for proc, _ in servers) - before
        level["client_cpu_share"] = round(
            (time.process_time() - client_before) / level["wall_s"] / (os.cpu_count() or 1), 2
        )
        # Where the CPU went: the server(s) per turn, and how busy they kept the machine's cores.
        level["server_cpu_ms_per_turn"] = round(1000 * used / max(level["turns"], 1), 1)
        level["server_cpu_share"] = round(used / level["wall_s"] / (os.cpu_count() or 1), 2)
        block[str(n)] = level
    return block


def embedded(model: Path, chroma: str, base: Path, say: Any) -> dict[str, Any]:
    """One ``kompas serve`` on the embedded defaults (Chroma folder, SQLite): N = 10, 25, 50."""
    env = kompas_env(base / "web", model, chroma)
    with servers(env, 1) as running:
        warm([url for _, url in running])
        block = _levels(running, SESSIONS, say)
        block["server_rss_mb"] = peak_rss_mb(running[0][0].pid)
    block["method"] = METHOD
    return block


def _postgres_database() -> tuple[str | None, str]:
    """Create a fresh database; return its URL (None when PostgreSQL is unreachable) and a note."""
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    name = f"kompas_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        return None, f"PostgreSQL unreachable at {PG_ADMIN}: {str(exc).strip()[:200]}"
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", name


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def _chroma_server(folder: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    proc = subprocess.Popen(
        [CHROMA, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Chroma server did not come up") from None
                time.sleep(0.2)
        yield proc, url
    finally:
        _stop(proc)


def skipped(note: str) -> dict[str, Any]:
    """Return the scaled block with every number null and the reason."""
    block: dict[str, Any] = {
        str(n): {"p50_ms": None, "p95_ms": None, "errors": None} for n in SCALED_SESSIONS
    }
    block["note"] = note
    return block


def scaled(model: Path, base: Path, say: Any) -> dict[str, Any]:
    """Two ``kompas serve`` sharing a Chroma server and PostgreSQL, sessions round-robin."""
    from bench.indexing import REPORT

    database, name = _postgres_database()
    if database is None:
        return skipped(f"skipped: {name}")
    try:
        with _chroma_server(base / "chroma-server") as (chroma_proc, chroma_url):
            env = kompas_env(base / "scaled", model)
            env.update(KOMPAS_CHROMA_URL=chroma_url, KOMPAS_CHECKPOINTER_URL=database)
            say("web scaled: full index into the Chroma server")
            started = time.perf_counter()
            built = subprocess.run([KOMPAS, "index"], env=env, capture_output=True, text=True, timeout=900)
            index_s = time.perf_counter() - started
            match = REPORT.search(built.stdout)
            if built.returncode != 0 or match is None:
                raise RuntimeError(f"kompas index into the Chroma server failed: {built.stderr[-500:]}")
            with servers(env, 2) as running:
                warm([url for _, url in running])
                block = _levels(running, SCALED_SESSIONS, say)
                block["server_rss_mb"] = [peak_rss_mb(proc.pid) for proc, _ in running]
            block["chroma_rss_mb"] = peak_rss_mb(chroma_proc.pid)
    finally:
        _drop_database(name)
    block["setup"] = (
        f"2 kompas serve instances (ports round-robin), one Chroma server ({match.group(1)} chunks, the "
        f"full corpus, indexed in {index_s:.0f} s), one fresh PostgreSQL database as checkpointer"
    )
    block["index_s"] = round(index_s, 1)
    return block


def pending() -> dict[str, Any]:
    """Return the embedded web block with every number null (for a report without web numbers)."""
    block: dict[str, Any] = {
        str(n): {"p50_ms": None, "p95_ms": None, "errors": None, "turns_per_s": None} for n in SESSIONS
    }
    block["note"] = "not measured"
    return block
