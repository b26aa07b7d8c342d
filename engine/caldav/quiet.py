"""A scheduled sync with nothing to do, answered in one question per calendar.

A timer runs ``followup sync`` every few minutes, and almost every run finds
nothing to do. After such a run, followup keeps a *quiet note* in the cache
folder: a digest of everything on this machine the run depended on (the
options, the config file, the rules file, the marks, the interviews file, the
calendar copies and sync state, followup's own code), the planning day, each
calendar's sync token, and what the run printed.

The next run with the same digest on the same day asks each calendar one
question, a sync-collection REPORT with the kept token (RFC 6578), over the
standard library's HTTP client, without loading the CalDAV, iCalendar or
planning code; when every calendar answers "nothing changed since" with the
same token, it prints the same answer again. Anything else (a change, a new
token, an unexpected answer, a password scheme other than Basic or Bearer, no
answer within the time allowed, a damaged note) takes the full path, which
decides as it always does. The check only reads: it never writes to a server.
It goes through the proxy HTTPS_PROXY / HTTP_PROXY name, unless NO_PROXY names
the server, as the full path does (engine/proxies.py).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import ssl
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from followup.engine.caldav.copies import mirror_path
from followup.engine.caldav.hints import notes_path, recalled
from followup.engine.caldav.state import KEY_FILE, target_state_path
from followup.engine.dav.protocol import normalise_href, parse_multistatus, sync_collection_body
from followup.engine.errors import WriteError
from followup.engine.folders import cache_dir, read_json_object, state_dir
from followup.engine.installed import code_stamp
from followup.engine.proxies import route
from followup.engine.sources.link import deadline

if TYPE_CHECKING:
    from followup.engine.caldav.apply import Prepared

FORMAT = 1
MAX_ANSWER = 256 * 1024
"""A "nothing changed" answer is a few hundred bytes; a longer one is taken as changes."""
MAX_WAIT = 10.0
"""Seconds the whole check may take per calendar before the full path takes over."""
MAX_NOTE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Watched:
    """One calendar of a quiet note: where it is, whose it is, the token it had, and how
    to ask it (never the password: only where it comes from, ``env:NAME`` or none)."""

    url: str
    username: str | None
    token: str
    password_from: str | None
    scheme: str | None
    verify: bool | str
    timeout: float

    def password(self) -> str | None:
        """The password, read again from where it came from; ValueError when that is not
        an environment variable (a command or the keyring: the full path asks those)."""
        if self.password_from is None:
            return None
        if not self.password_from.startswith("env:"):
            raise ValueError("the password comes from a command or the keyring")
        name = self.password_from.removeprefix("env:")
        value = os.environ.get(name)
        if value is None and name != "FOLLOWUP_PASSWORD":
            raise ValueError(f"{name} is not set")
        return value or None


@dataclass(frozen=True, slots=True)
class Answer:
    """What the run printed: as text, and as JSON for --json."""

    text: str
    json: str


@dataclass(frozen=True, slots=True)
class QuietNote:
    """What a run with nothing to do depended on, and what it printed."""

    inputs: str
    """The digest of the invocation and of ``files``' bytes (see ``inputs_digest``)."""
    files: tuple[Path, ...]
    """The local files the run read: config, rules, interviews file, marks, the calendar
    copies and sync state. Where they are follows from the invocation and the config
    file, both in the digest."""
    day: str
    timezone: str
    calendars: tuple[Watched, ...]
    answer: Answer


def answer(invocation: Sequence[str | None], day_in: Callable[[str], str]) -> Answer | None:
    """What to print when nothing changed since the last quiet run called the same way:
    the same local inputs (``invocation`` and the note's files), the same planning day
    (``day_in`` gives today's date in a timezone), and every calendar answering "nothing
    changed". None when the full path must decide."""
    note = load_note(note_path(invocation))
    if note is None or inputs_digest(invocation, note.files) != note.inputs:
        return None
    if day_in(note.timezone) != note.day:
        return None
    if not all(_at_once(unchanged, note.calendars)):
        return None
    return note.answer


def _at_once(ask: Callable[[Watched], bool], calendars: Sequence[Watched]) -> list[bool]:
    """Ask every calendar at the same time: the wait is the slowest answer, not the sum."""
    answers = [False] * len(calendars)

    def one(index: int) -> None:
        answers[index] = ask(calendars[index])

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(calendars))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def inputs_digest(parts: Sequence[str | None], files: Iterable[Path]) -> str:
    """The digest of a run's local inputs: ``parts`` (options, environment, folder) and the
    bytes of ``files`` (a missing file counts as missing), with followup's code."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), *parts, code_stamp()):
        digest.update(b"-" if part is None else b"+" + part.encode("utf-8", "surrogateescape"))
        digest.update(b"\x00")
    for path in files:
        digest.update(os.fsencode(path))
        try:
            digest.update(b"+" + hashlib.sha256(path.read_bytes()).digest())
        except FileNotFoundError:
            digest.update(b"-")
        except OSError:
            digest.update(os.urandom(16))  # unreadable: never equal, always the full path
        digest.update(b"\x00")
    return digest.hexdigest()


def remember(
    invocation: Sequence[str | None], prepared: Prepared, said: Answer, files: Sequence[Path]
) -> None:
    """Keep a quiet note after a run that found nothing to do (``files``: the config, rules,
    interviews and marks files it read). No note when a calendar cannot be asked cheaply
    (no sync token, a password from a command or the keyring): those runs take the full
    path, which is still spared the planning by the stamp (``engine.caldav.apply``)."""
    calendars: list[Watched] = []
    read = [*files, notes_path(), state_dir() / KEY_FILE]
    for url, mirror in sorted(prepared.mirrors.items()):
        ref = prepared.target if url == prepared.target_url else prepared.source
        if ref is None or mirror.mode != "sync" or mirror.token is None:
            forget_note(invocation)
            return
        endpoint = ref.endpoint
        if endpoint.password is not None and not (endpoint.password_from or "").startswith("env:"):
            forget_note(invocation)
            return
        scheme = scheme_for(url, endpoint.username, endpoint.auth)
        calendars.append(
            Watched(
                url,
                mirror.username,
                mirror.token,
                endpoint.password_from if endpoint.password is not None else None,
                scheme,
                endpoint.verify,
                endpoint.timeout,
            )
        )
        read += [mirror_path(url, mirror.username), target_state_path(url, mirror.username)]
    if not calendars:
        return
    request = prepared.request
    note = QuietNote(
        inputs_digest(invocation, read),
        tuple(read),
        request.now.date().isoformat(),
        request.rules.timezone,
        tuple(calendars),
        said,
    )
    save_note(invocation, note)


def note_path(invocation: Sequence[str | None]) -> Path:
    """One note per way of calling sync (options and environment), so two timers syncing
    different calendars keep one each."""
    digest = hashlib.sha256("\x00".join(p or "" for p in invocation).encode()).hexdigest()
    return cache_dir() / "quiet" / f"{digest[:24]}.json"


def save_note(invocation: Sequence[str | None], note: QuietNote) -> None:
    """Keep the note; a cache that cannot be written is no error."""
    from followup.engine.folders import write_own

    data = {
        "format": FORMAT,
        "inputs": note.inputs,
        "files": [os.fsdecode(p) for p in note.files],
        "day": note.day,
        "timezone": note.timezone,
        "calendars": [
            [c.url, c.username, c.token, c.password_from, c.scheme, c.verify, c.timeout]
            for c in note.calendars
        ],
        "text": note.answer.text,
        "json": note.answer.json,
    }
    key = _key()
    if key is None:
        return
    data["seal"] = _seal(key, data)
    path = note_path(invocation)
    with contextlib.suppress(OSError, WriteError):
        write_own(path, json.dumps(data).encode())


def _key() -> bytes | None:
    """The secret of followup's stamps, from the state folder (``state.fingerprint_key``
    makes it); None when there is none yet."""
    from followup.engine.folders import read_own

    raw = read_own(state_dir() / KEY_FILE, limit=4096)  # never a key someone else planted
    try:
        key = bytes.fromhex((raw or b"").decode("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        return None
    return key if len(key) >= 32 else None


def _seal(key: bytes, data: dict[str, Any]) -> str:
    """A note says where to send a password: it is sealed with the secret in the state
    folder, so that a note written by anyone else (the cache folder is less guarded than the
    state folder) is never followed."""
    fields = {k: v for k, v in data.items() if k != "seal"}
    body = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, b"quiet note\x00" + body, hashlib.sha256).hexdigest()


def forget_note(invocation: Sequence[str | None]) -> None:
    with contextlib.suppress(OSError):
        note_path(invocation).unlink(missing_ok=True)


def load_note(path: Path) -> QuietNote | None:
    """The note, or None when there is none to trust (missing, damaged, foreign)."""
    data = read_json_object(path, limit=MAX_NOTE)
    if data is None or data.get("format") != FORMAT:
        return None
    key, seal = _key(), data.get("seal")
    if key is None or not isinstance(seal, str):
        return None
    if not hmac.compare_digest(seal, _seal(key, data)):
        return None
    texts = [data.get(k) for k in ("inputs", "day", "timezone", "text", "json")]
    calendars, files = data.get("calendars"), data.get("files")
    if not all(isinstance(t, str) for t in texts) or not isinstance(calendars, list):
        return None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    watched = [w for entry in calendars if (w := _watched(entry)) is not None]
    if not watched or len(watched) != len(calendars):
        return None
    inputs, day, timezone, text, as_json = (str(t) for t in texts)
    return QuietNote(
        inputs, tuple(Path(f) for f in files), day, timezone, tuple(watched), Answer(text, as_json)
    )


def _watched(entry: object) -> Watched | None:
    if not (isinstance(entry, list) and len(entry) == 7):
        return None
    url, username, token, password_from, scheme, verify, timeout = entry
    if not (isinstance(url, str) and isinstance(token, str)):
        return None
    if not all(v is None or isinstance(v, str) for v in (username, password_from, scheme)):
        return None
    if not isinstance(verify, bool | str) or isinstance(timeout, bool):
        return None
    if not isinstance(timeout, int | float) or not 0 < timeout < 86400:
        return None
    return Watched(url, username, token, password_from, scheme, verify, float(timeout))


def scheme_for(url: str, username: str | None, configured: str) -> str | None:
    """How the server takes the password: as configured, else as it did last time (the note
    the full path keeps), else None."""
    if configured != "auto":
        return configured
    parts = urlsplit(url)
    return recalled("auth", f"{parts.scheme}://{parts.netloc}".lower(), username)


def unchanged(watched: Watched) -> bool:
    """Does the calendar answer "nothing changed since this token", with the same token?

    False for any other answer and any failure: the full path then decides."""
    try:
        password = watched.password()
        if watched.scheme not in (None, "basic", "bearer"):
            return False  # digest takes a round trip of its own: the full path speaks it
        # No scheme: the server never asked for the password, and is not sent it (a 401
        # now sends the run down the full path, which asks the server how).
        status, body = _report(watched, password)
    except (OSError, http.client.HTTPException, ValueError):
        return False
    if status != 207:
        return False
    try:
        entries, token = parse_multistatus(body)
    except ValueError:
        return False
    path = normalise_href(watched.url)
    for entry in entries:
        if entry.href.rstrip("/") != path.rstrip("/") or entry.status == 507:
            return False  # an object changed or went, or the answer is cut short
    return token == watched.token


def _report(watched: Watched, password: str | None) -> tuple[int, bytes]:
    parts = urlsplit(watched.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not a web address")
    timeout = min(watched.timeout, MAX_WAIT)
    context: ssl.SSLContext | None = None
    if parts.scheme == "https":
        context = ssl.create_default_context(
            cafile=watched.verify if isinstance(watched.verify, str) else None
        )
        if watched.verify is False:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
    # the proxy the environment names, as the full path's CalDAV client uses it (a
    # ProxyProblem is a ValueError: the full path then decides, and says what is wrong)
    way = route(parts, parts.hostname, timeout=timeout, context=context)
    connection = way.connection
    headers = {
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "User-Agent": "followup",
        "Depth": "0",
        "Content-Type": "text/xml",
        **way.headers,
    }
    if password is not None and watched.scheme == "basic":
        pair = f"{watched.username or ''}:{password}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    elif password is not None and watched.scheme == "bearer":
        headers["Authorization"] = f"Bearer {password}"
    with deadline(connection, timeout) as expired:
        connection.request(
            "REPORT",
            way.target,
            body=sync_collection_body(watched.token).encode(),
            headers=headers,
        )
        response = connection.getresponse()
        body = bytearray()
        while len(body) <= MAX_ANSWER:
            chunk = response.read1(65536)
            if expired.is_set():
                raise TimeoutError("no answer in time")
            if not chunk:
                return response.status, bytes(body)
            body += chunk
        raise ValueError("a longer answer than nothing changed")
