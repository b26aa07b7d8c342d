"""Answers read within limits: a size cap, no decompression bombs, a deadline per exchange.

A CalDAV server is not trusted to be small, fast or honest. ``BoundedSession``
is the HTTP session under the caldav library's ``DAVClient``, so every
exchange goes through it, the library's own (finding calendars, negotiating
authentication) included:

- The body is streamed and counted after decoding; an answer larger than
  ``Limits.answer_bytes`` is refused, however well it compresses.
- Only gzip and deflate are asked for, and decoded here in bounded steps
  (``zlib``'s ``max_length``); any other encoding is refused.
- Each exchange, headers and body, must end within the request deadline
  (``--timeout``), and all of them within ``Limits.per_run``: a server that
  sends one byte every half second never trips a read timeout, so the
  exchange runs in a worker thread that is waited for no longer than that.
  A worker left waiting on such a server is a daemon thread: it does not
  keep the program alive, and it ends with the connection.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import niquests

from followup.engine.errors import ServerError

CHUNK = 64 * 1024
ACCEPTED_ENCODINGS = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a server may send and how long it may take."""

    answer_bytes: int = 64 * 1024 * 1024
    """One answer, decoded. The largest real answers are listings of a big calendar's ETags
    (about 300 bytes an object) and multiget batches of 200 objects."""
    per_run: float = 15 * 60.0
    """All exchanges with one server in one run."""


class ConnectionLost(ServerError):
    """The server stopped answering: unreachable, timed out, or the connection dropped."""


class AnswerRefused(ServerError):
    """An answer too large, or in an encoding that was not asked for."""


_THREAD = threading.local()


class BoundedSession(niquests.Session):
    """A niquests session whose every exchange is streamed, capped and given a deadline."""

    def __init__(self, host: str, timeout: float, limits: Limits) -> None:
        super().__init__()
        self.followup_host = host
        self.followup_timeout = timeout
        self.followup_limits = limits
        self._run_started: float | None = None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if getattr(_THREAD, "inside", False):  # a redirect or retry inside one exchange
            return self._exchange(method, url, *args, **kwargs)
        now = time.monotonic()
        if self._run_started is None:
            self._run_started = now
        left_in_run = self._run_started + self.followup_limits.per_run - now
        if left_in_run <= 0:
            raise self._run_over()
        wait = min(self.followup_timeout, left_in_run)
        run_ends = wait < self.followup_timeout
        result: list[Any] = []

        def work() -> None:
            _THREAD.inside = True
            _THREAD.deadline = time.monotonic() + wait
            try:
                result.append(self._exchange(method, url, *args, **kwargs))
            except BaseException as err:  # handed to the waiting thread
                result.append(err)

        worker = threading.Thread(target=work, name="followup-http", daemon=True)
        worker.start()
        worker.join(wait)
        if not result and run_ends:
            raise self._run_over()
        if not result:
            raise ConnectionLost(
                f"cannot reach {self.followup_host}: no answer within the timeout "
                f"({wait:g} s for the whole answer)",
                hint="check the URL and your connection, or allow more with --timeout; "
                "a re-run picks up where this one stopped",
            )
        if isinstance(result[0], BaseException):
            raise result[0]
        return result[0]

    def _run_over(self) -> ConnectionLost:
        return ConnectionLost(
            f"{self.followup_host} took more than "
            f"{self.followup_limits.per_run / 60:g} min in all; stopped",
            hint="run followup again: it picks up where this run stopped",
        )

    def _exchange(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        kwargs["stream"] = True
        headers = dict(kwargs.get("headers") or {})
        headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        kwargs["headers"] = headers
        response = super().request(method, url, *args, **kwargs)
        try:
            body = read_body(
                response.raw,
                response.headers.get("Content-Encoding", ""),
                limit=self.followup_limits.answer_bytes,
                host=self.followup_host,
                deadline=getattr(_THREAD, "deadline", None),
            )
        except BaseException:
            # Hang up: closing the response would read the rest to reuse the connection.
            if response.raw is not None:
                response.raw.close()
            raise
        response.close()
        # What ``Response.content`` returns from now on (niquests reads it lazily).
        response._content = body
        response._content_consumed = True
        return response


def _decoder(encoding: str, host: str) -> Callable[[bytes, int], bytes] | None:
    """A bounded decoder for the Content-Encoding, None for identity."""
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return None
    if coding in ("gzip", "x-gzip"):
        state = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif coding == "deflate":
        state = zlib.decompressobj()
    else:
        raise AnswerRefused(
            f"{host} answered in an encoding that was not asked for ({encoding[:40]})",
            hint="the server may be misconfigured; tell its administrator",
        )

    def decode(data: bytes, room: int) -> bytes:
        out = [state.decompress(data, room + 1)]
        size = len(out[0])
        while state.unconsumed_tail and size <= room:
            more = state.decompress(state.unconsumed_tail, room + 1 - size)
            if not more:
                break
            out.append(more)
            size += len(more)
        return b"".join(out)

    return decode


def read_body(raw: Any, encoding: str, *, limit: int, host: str, deadline: float | None) -> bytes:
    """The whole body, decoded, refused beyond ``limit`` bytes or past ``deadline``."""
    if raw is None:
        return b""
    decode = _decoder(encoding, host)
    parts: list[bytes] = []
    size = 0
    while True:
        if deadline is not None and time.monotonic() > deadline:
            raise ConnectionLost(f"{host} did not finish answering in time")
        try:
            chunk = raw.read1(CHUNK, decode_content=False)
        except Exception as err:  # urllib3's errors are not all OSErrors (IncompleteRead)
            raise ConnectionLost(
                f"cannot reach {host}: the answer was cut short ({type(err).__name__})",
                hint="check your connection; a re-run picks up where this one stopped",
            ) from None
        if not chunk:
            break
        try:
            data = decode(chunk, limit - size) if decode is not None else chunk
        except zlib.error as err:
            raise AnswerRefused(f"{host} sent a damaged compressed answer ({err})") from None
        size += len(data)
        if size > limit:
            raise AnswerRefused(
                f"{host} sent an answer larger than {limit // (1024 * 1024)} MB; refused",
                hint="the server may be misbehaving; if the calendar really is that large, "
                "sync a smaller one",
            )
        parts.append(data)
    return b"".join(parts)
