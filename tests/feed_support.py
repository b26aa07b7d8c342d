"""What the feed tests share: a real server on a free loopback port, a plain HTTP client,
and feed inputs the test controls."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from followup.engine.errors import FollowupError
from followup.engine.feed.build import AgendaEntry, Build, FeedState
from followup.engine.feed.cache import FeedCache
from followup.engine.feed.server import FeedApp, FeedServer, FeedSite

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

FEED_HEAD = (
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//followup tests//EN",
    "X-WR-CALNAME:Interview follow-ups",
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
)
"""The head of a feed that a strict client accepts."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Response:
    """One request over a fresh connection; no decompression, no redirects followed."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        given = {name.lower() for name in headers or {}}
        connection.putrequest(method, path, skip_host="host" in given, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()


@contextmanager
def serving(app: FeedApp) -> Iterator[str]:
    """Serve ``app`` with waitress on 127.0.0.1, a free port; yield its base URL."""
    server = FeedServer(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.close()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the server did not stop"


def calendar_bytes(items: dict[str, str], *, stamp: str = "20261201T080000Z") -> bytes:
    """A small valid feed: one event per (uid, summary)."""
    lines = list(FEED_HEAD)
    for uid, summary in items.items():
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            "DTSTART:20261202T090000Z",
            "DTEND:20261202T093000Z",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


@dataclass
class ControlledInputs:
    """Feed inputs whose version, content and failures the test sets by hand."""

    items: dict[str, str] = field(default_factory=lambda: {"a@followup": "Thank Acme"})
    current_version: Hashable | None = 1
    failure: Exception | None = None
    version_failure: FollowupError | None = None
    gate: threading.Event | None = None
    """When set, builds wait for it: lets a test hold a build open while others arrive."""
    started: threading.Event = field(default_factory=threading.Event)
    builds: int = 0

    def version(self, now: datetime) -> Hashable | None:
        if self.version_failure is not None:
            raise self.version_failure
        return self.current_version

    def build(self, now: datetime) -> Build:
        self.builds += 1
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(timeout=10)
        if self.failure is not None:
            raise self.failure
        agenda = tuple(
            AgendaEntry(
                uid=uid,
                start=NOW + timedelta(days=1, hours=1),
                end=NOW + timedelta(days=1, hours=1, minutes=30),
                all_day=False,
                kind="event",
                company=summary.split()[-1],
                step=summary,
            )
            for uid, summary in self.items.items()
        )
        return Build(calendar_bytes(self.items), agenda, "Europe/Berlin")

    def change(self, **items: str) -> None:
        self.items = {f"{uid}@followup": summary for uid, summary in items.items()}
        self.current_version = (self.current_version or 0, "changed", len(self.items), id(items))


def cache_for(inputs: ControlledInputs, **kwargs: object) -> FeedCache:
    """A cache that looks at its inputs on every request, with the clock pinned."""
    return FeedCache(
        inputs,
        clock=lambda: NOW,
        check_every=timedelta(0),
        **kwargs,  # type: ignore[arg-type]
    )


def looked(cache: FeedCache) -> FeedState:
    """What requests see once the look at the inputs that a request starts has finished
    (it runs in the background, see FeedCache.current)."""
    cache.current()
    return cache.settle(timeout=30)


def fetch_settled(cache: FeedCache, url: str, headers: dict[str, str] | None = None) -> Response:
    """A request made after an earlier one has started a look at the inputs and it finished.

    Waits for any look already under way first, and for the one this request
    starts after it, so that the test goes on with nothing running."""
    cache.settle(timeout=30)
    fetch(url)
    cache.settle(timeout=30)
    response = fetch(url, headers=headers)
    cache.settle(timeout=30)
    return response


def site(**kwargs: object) -> FeedSite:
    values: dict[str, object] = {
        "calendar_name": "Interview follow-ups",
        "profile": "common",
        "refresh": timedelta(hours=1),
    }
    values.update(kwargs)
    return FeedSite(**values)  # type: ignore[arg-type]
