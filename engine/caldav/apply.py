"""``followup sync``: read the interviews, plan, diff against the target calendar, apply.

Two steps, so that ``--dry-run`` and the real run share everything but the
writes: ``prepare`` reads both calendars and decides (``engine.caldav.syncplan``);
``apply`` carries the actions out one by one, re-reading and re-deciding an
item the server reports as changed under our feet, and then saves what the
next run needs (``engine.caldav.state``, ``engine.caldav.copies``).
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from icalendar import Calendar

from followup.engine.caldav.calendars import source_calendar, target_calendar
from followup.engine.caldav.copies import Mirror, drop_mirror, load_mirror, save_mirror
from followup.engine.caldav.hints import note, recalled
from followup.engine.caldav.mirror import Needs, record_write, refresh
from followup.engine.caldav.state import (
    LOCK_WAIT,
    fingerprint_key,
    load_fingerprints,
    load_target_state,
    save_fingerprints,
    save_target_state,
    target_lock,
    target_state_path,
)
from followup.engine.caldav.syncplan import (
    Action,
    Create,
    Delete,
    Desired,
    Keep,
    Remote,
    TargetState,
    Update,
    Write,
    adoptions,
    decide,
    desire,
    diff,
    read_remote,
    remote_facts,
    remote_from_facts,
    settle,
)
from followup.engine.config import CalendarRef, Config, Endpoint, plain_text_warning
from followup.engine.dav.protocol import Fetched
from followup.engine.dav.session import CalDAVSession
from followup.engine.dav.transport import CalendarMissing, ConnectionLost, NotCalDAV
from followup.engine.dav.writes import Conflict, WriteFailed
from followup.engine.errors import ServerError
from followup.engine.installed import code_stamp
from followup.engine.model import Plan, Window
from followup.engine.sources import Calendars, Source
from followup.engine.sources.dav import CalDAV, is_own_object
from followup.engine.write.render import RenderOptions, render_object

if TYPE_CHECKING:
    from followup.rules.model import RuleSet

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SyncRequest:
    """One sync: where from (``--from`` parsed once, see ``engine.sources.parse``), where
    to, with which rules and clock."""

    source: Source
    target: str | None
    rules: RuleSet
    now: datetime
    window: Window
    config: Config = field(default_factory=Config)
    target_name: str | None = None
    render: RenderOptions = field(default_factory=RenderOptions)
    force: bool = False
    dry_run: bool = False
    timeout: float | None = None
    username: str | None = None
    lock_wait: float = LOCK_WAIT
    """How long to wait for another run writing to the same calendar."""
    wall_now: bool = False
    """``now`` is a time of day in the zone of the plan (--now without an offset)."""


@dataclass
class Outcome:
    """What became of one write."""

    action: Action
    ok: bool
    error: str | None = None


@dataclass
class SyncReport:
    """What a run did (or, with --dry-run, would do)."""

    calendar: str
    interviews: int
    followups: int
    unchanged: int
    outcomes: list[Outcome]
    kept: list[Keep]
    dry_run: bool = False
    stopped: str | None = None
    warnings: tuple[str, ...] = ()
    """The plan's warnings, as `followup plan` prints them."""

    def _done(self, kind: type[Action]) -> list[Action]:
        return [o.action for o in self.outcomes if o.ok and isinstance(o.action, kind)]

    @property
    def created(self) -> list[Action]:
        return self._done(Create)

    @property
    def updated(self) -> list[Action]:
        return self._done(Update)

    @property
    def removed(self) -> list[Action]:
        return self._done(Delete)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def writes(self) -> int:
        return sum(1 for o in self.outcomes if o.ok)


@dataclass
class Prepared:
    """Everything ``apply`` needs: the sessions, the copies, the state and the actions."""

    request: SyncRequest
    sessions: Sessions
    target: CalendarRef
    target_url: str | None
    plan: Plan
    desired: dict[str, Desired]
    remote: list[Remote]
    state: TargetState
    mirrors: dict[str, Mirror]
    actions: list[Action]
    warnings: list[str] = field(default_factory=list)
    """Said before the writes: a password sent over plain http://, say."""
    key: bytes = b""
    """The key of followup's stamps (``engine.caldav.fingerprint``)."""
    stamp: str | None = None
    quiet: tuple[int, int] | None = None
    """(interviews, follow-ups) when nothing changed since the last run that found nothing
    to do: the plan was not made again (see ``_stamp``)."""
    source: CalendarRef | None = None
    """The interviews' calendar, when they come from CalDAV."""

    @property
    def session(self) -> CalDAVSession:
        return self.sessions.get(self.target.endpoint)


class Sessions:
    """One HTTP session per server and user, shared by the source and the target."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, str | None], CalDAVSession] = {}
        self._held = ExitStack()
        self._locked: set[tuple[str | None, ...]] = set()

    def lock(self, target: CalendarRef, *, wait: float) -> None:
        """Take the lock of a target calendar until the sessions close (the end of the run);
        once per target, however often a run prepares."""
        about = (*target.endpoint.key, target.url, target.name)
        if about not in self._locked:
            self._held.enter_context(target_lock(target.label, *about, wait=wait))
            self._locked.add(about)

    def get(self, endpoint: Endpoint) -> CalDAVSession:
        session = self._open.get(endpoint.key)
        if session is None:
            hint = recalled("auth", *endpoint.key)
            session = self._open[endpoint.key] = CalDAVSession(endpoint, auth_hint=hint)
        return session

    def close(self) -> None:
        """Close every session, noting the authentication scheme each server took."""
        for key, session in self._open.items():
            scheme = session.auth_scheme()
            if scheme is not None and session.endpoint.auth == "auto":
                note(scheme, "auth", *key)
            session.close()
        self._open.clear()
        self._held.close()
        self._locked.clear()


@contextmanager
def open_sessions() -> Iterator[Sessions]:
    sessions = Sessions()
    try:
        yield sessions
    finally:
        sessions.close()


# -- prepare ---------------------------------------------------------------------------------


def prepare(request: SyncRequest, sessions: Sessions) -> Prepared:
    """Read the interviews and the target calendar, plan, and decide every action, in four
    steps: locate the calendars, refresh their copies, plan (unless nothing changed since
    the last run that found nothing to do), diff the plan against the target."""
    calendars = _locate(request, sessions)
    link = _refresh(request, sessions, calendars)
    if link is not None:  # the interviews' address is a calendar file, not a DAV calendar
        return prepare(replace(request, source=link), sessions)
    stamp = _stamp(request, calendars.mirrors, calendars.source_url, calendars.target_url)
    quiet = _quiet(request, sessions, calendars, stamp)
    if quiet is not None:
        return quiet
    source_url = calendars.source_url
    plan = _plan(request, calendars.mirrors[source_url] if source_url is not None else None)
    return _diff(request, sessions, calendars, plan, stamp)


@dataclass
class _Calendars:
    """The calendars of one run: the interviews' (when they come from CalDAV) and the
    follow-ups', their URLs once located, and the copies of them this run refreshed."""

    source: CalendarRef | None
    target: CalendarRef
    source_url: str | None
    target_url: str | None
    mirrors: dict[str, Mirror] = field(default_factory=dict)


def _locate(request: SyncRequest, sessions: Sessions) -> _Calendars:
    """Which calendars the run reads and writes, and where they are; the target's lock is
    taken first, so that two runs never both create it."""
    source = _source_ref(request)
    target = _target_ref(request, source)
    sessions.lock(target, wait=request.lock_wait)
    source_url = _url_of(sessions, source, create=None) if source is not None else None
    target_url = _url_of(sessions, target, create=not request.dry_run)
    return _Calendars(source, target, source_url, target_url)


def _refresh(request: SyncRequest, sessions: Sessions, calendars: _Calendars) -> Source | None:
    """Bring the copies of both calendars up to date (into ``calendars.mirrors``). The
    link the interviews' address turned out to be, when it answered as a calendar file
    rather than as DAV; None otherwise."""
    _refresh_target(request, sessions, calendars)
    return _refresh_source(request, sessions, calendars)


def _refresh_target(request: SyncRequest, sessions: Sessions, calendars: _Calendars) -> None:
    target, url = calendars.target, calendars.target_url
    if url is None or url == calendars.source_url:
        return  # nothing to read yet, or read once as the source
    try:
        calendars.mirrors[url] = _catch_up(sessions, target, url, Needs(ours=True))
    except CalendarMissing:  # the calendar followup found last time has gone
        _forget(sessions, target, url)
        calendars.target_url = url = _find(sessions, target, create=not request.dry_run)
        if url is not None:
            calendars.mirrors[url] = _catch_up(sessions, target, url, Needs(ours=True))


def _refresh_source(
    request: SyncRequest, sessions: Sessions, calendars: _Calendars
) -> Source | None:
    source, url = calendars.source, calendars.source_url
    if source is None or url is None:
        return None
    needs = Needs(window=request.window, ours=url == calendars.target_url)
    try:
        calendars.mirrors[url] = _catch_up(sessions, source, url, needs)
    except CalendarMissing:
        if source.url is not None or url == calendars.target_url:
            raise
        _forget(sessions, source, url)  # renamed or moved since: look again
        calendars.source_url = url = _find(sessions, source, create=None) or ""
        calendars.mirrors[url] = _catch_up(sessions, source, url, needs)
    except NotCalDAV as err:
        # Not a calendar server: maybe a calendar file at an address that does not say so.
        spec = request.source.spec
        if url == calendars.target_url or spec.startswith("@"):
            raise
        from followup.engine.sources.link import read_as_link

        # A calendar file, or one message saying what both answers were.
        read_as_link(spec, err, config=request.config)
        link = request.source.learn() if isinstance(request.source, CalDAV) else None
        if link is None:  # not remembered: no second try
            raise
        return link
    return None


def _quiet(
    request: SyncRequest, sessions: Sessions, calendars: _Calendars, stamp: str | None
) -> Prepared | None:
    """A run with nothing to do, when its stamp is that of the last run that found nothing
    to do (see ``_stamp``): no plan is made; None when the plan must be made."""
    target_url = calendars.target_url
    last = recalled("quiet", target_url, calendars.target.endpoint.username) if stamp else None
    if stamp is None or last is None or not last.startswith(stamp + " "):
        return None
    interviews, followups = (int(n) for n in last.split()[1:3])
    quiet_plan = Plan(request.now, request.rules.timezone, (), ())
    return Prepared(
        request, sessions, calendars.target, target_url, quiet_plan, {}, [], TargetState(),
        calendars.mirrors, [], stamp=stamp, quiet=(interviews, followups),
        source=calendars.source,
    )  # fmt: skip


def _diff(
    request: SyncRequest, sessions: Sessions, calendars: _Calendars, plan: Plan, stamp: str | None
) -> Prepared:
    """The plan's follow-ups against followup's objects in the target: every action."""
    target, target_url, mirrors = calendars.target, calendars.target_url, calendars.mirrors
    key = fingerprint_key()
    desired = _desired(plan, request.render, target, target_url, key)
    remote = _remote(mirrors[target_url], key) if target_url else []
    if target_url is not None:
        save_mirror(mirrors[target_url])  # with what was read from new objects
    state = load_target_state(target_url, target.endpoint.username) if target_url else TargetState()
    actions = diff(
        desired.values(),
        remote,
        state,
        collection=sessions.get(target.endpoint).path(target_url) if target_url else "/",
        scope=request.window,
        deletions_seen=mirrors[target_url].continuous if target_url else False,
        force=request.force,
    )
    prepared = Prepared(
        request, sessions, target, target_url, plan, desired, remote, state, mirrors, actions,
        stamp=stamp, source=calendars.source,
    )  # fmt: skip
    prepared.key = key
    prepared.actions = [_with_data(prepared, a) for a in actions]
    refs = (calendars.source, target)
    endpoints = {ref.endpoint.key: ref.endpoint for ref in refs if ref is not None}
    prepared.warnings = [
        text for e in endpoints.values() if (text := plain_text_warning(e)) is not None
    ]
    return prepared


def _stamp(
    request: SyncRequest, mirrors: dict[str, Mirror], source_url: str | None, target_url: str | None
) -> str | None:
    """What the plan and the diff depend on, hashed: both calendars as their ETags (the
    interviews' copy was just caught up with its sync token), the rules, the marks, the
    planning day and window, and the code that plans and renders. A run whose stamp equals
    that of the last run that found nothing to do has nothing to do either. None (always
    plan) for a forced or dry run, standard input, or a source that is not a plain file.
    """
    if request.force or request.dry_run or target_url not in mirrors:
        return None
    digest = hashlib.sha256()

    def add(*parts: str | bytes | None) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else (part or "").encode())
            digest.update(b"\x00")

    for url in (source_url, target_url):
        mirror = mirrors.get(url) if url is not None else None
        if mirror is not None:
            add(url, mirror.mode, *(f"{h} {s.etag}" for h, s in sorted(mirror.items.items())))
            if any(s.etag is None for s in mirror.items.values()):
                return None  # an object without an ETag cannot be told unchanged
    if source_url is None:
        path = Path(request.source.spec)
        if request.source.kind == "stdin" or not path.is_file():
            return None
        add(path.read_bytes())
    from followup.engine.answers import answers_path
    from followup.engine.marks import marks_path

    for path in (
        marks_path(),
        answers_path(),
        target_state_path(str(target_url), mirrors[str(target_url)].username),
    ):
        with suppress(OSError):
            add(path.read_bytes())
    add(request.rules.model_dump_json(), repr(request.render), request.target_name)
    add(request.now.date().isoformat(), str(request.now.tzinfo))
    add(request.window.since.date().isoformat(), request.window.until.date().isoformat())
    add(_renderer(request.render, fingerprint_key()))
    return digest.hexdigest()[:32]


def _catch_up(sessions: Sessions, ref: CalendarRef, url: str, needs: Needs) -> Mirror:
    """Bring the local copy of a calendar up to date, and keep it for the next run."""
    username = ref.endpoint.username
    mirror = refresh(sessions.get(ref.endpoint), load_mirror(url, username), url, needs)
    save_mirror(mirror)
    return mirror


def _source_ref(request: SyncRequest) -> CalendarRef | None:
    return source_calendar(
        request.source, request.config, username=request.username, timeout=request.timeout
    )


def _target_ref(request: SyncRequest, source: CalendarRef | None) -> CalendarRef:
    return target_calendar(
        request.target,
        request.config,
        source,
        name=request.target_name,
        username=request.username,
        timeout=request.timeout,
    )


def _url_of(sessions: Sessions, ref: CalendarRef, *, create: bool | None) -> str | None:
    """A calendar's URL: without a request when it was used last time, else found (or
    created, see ``_find``)."""
    known = ref.url or recalled("calendar", *ref.endpoint.key, ref.name)
    if known is not None and load_mirror(known, ref.endpoint.username) is not None:
        return known
    return _find(sessions, ref, create=create)


def _forget(sessions: Sessions, ref: CalendarRef, url: str) -> None:
    if ref.url is None:
        note(None, "calendar", *ref.endpoint.key, ref.name)
    drop_mirror(url, ref.endpoint.username)


def _find(sessions: Sessions, ref: CalendarRef, *, create: bool | None) -> str | None:
    """The URL of a calendar given by URL or display name.

    ``create``: None for a source (it must exist), True to create a missing
    target, False (dry run) to return None for a missing target.
    """
    session = sessions.get(ref.endpoint)
    if ref.url is not None:
        if create is None:
            return ref.url
        info = session.collection_info(session.path(ref.url))
        if info is not None:
            if not info.is_calendar:
                raise ServerError(f"{ref.url} is not a calendar")
            return ref.url
        if not create:
            return None
        session.make_calendar(session.path(ref.url), ref.name or _name_from_url(ref.url))
        return ref.url
    assert ref.name is not None
    for path, display_name in session.calendars():
        if display_name == ref.name:
            url = session.url(path)
            note(url, "calendar", *ref.endpoint.key, ref.name)
            return url
    if create is None:
        raise ServerError(f"there is no calendar named {ref.name!r} at {ref.endpoint.url}")
    if not create:
        return None
    path = session.home_path() + _slug(ref.name) + "/"
    session.make_calendar(path, ref.name)
    url = session.url(path)
    note(url, "calendar", *ref.endpoint.key, ref.name)
    return url


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "followups"


def _name_from_url(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] or "Follow-ups"


def _plan(request: SyncRequest, source: Mirror | None) -> Plan:
    from followup.engine.pipeline import plan_from

    return plan_from(
        request.source if source is None else _through_copy(request.source, source),
        rules=request.rules,
        now=request.now,
        window=request.window,
        config=request.config,
        wall_now=request.wall_now,
    )


def _through_copy(source: Source, mirror: Mirror) -> Source:
    """The interviews' calendar, read as sync's local copy holds it (just caught up with
    its sync token): its objects, without followup's own. The same source, not one made
    again from ``--from``; the request's own is left as it is."""
    assert isinstance(source, CalDAV)
    objects = tuple((h, d) for h, d in mirror.objects() if not is_own_object(d))
    reading = copy.copy(source)
    reading.kept = Calendars(objects=objects)
    return reading


def _renderer(options: RenderOptions, key: bytes) -> str:
    """A version of how follow-ups become objects: the code that reads, plans and renders
    (``engine.installed.code_stamp``), the options and the key of the stamps."""
    digest = hashlib.sha256(repr(options).encode())
    digest.update(hashlib.sha256(key).digest())
    digest.update(code_stamp().encode())
    return digest.hexdigest()[:32]


def _desired(
    plan: Plan, options: RenderOptions, target: CalendarRef, target_url: str | None, key: bytes
) -> dict[str, Desired]:
    """The follow-ups as wanted in the calendar, with their fingerprints.

    A follow-up is a plain value; one that is the same as last run has the
    same fingerprint, so it is not rendered again (its bytes are only needed
    for a write, see ``_with_data``).
    """
    version = _renderer(options, key)
    user = target.endpoint.username
    known = load_fingerprints(target_url, user, version) if target_url else {}
    used: dict[str, str] = {}
    desired: dict[str, Desired] = {}
    for followup in plan.followups:
        name = hashlib.sha256(repr(followup).encode()).hexdigest()[:32]
        value = known.get(name)
        if value is None:
            want = desire(followup, render_object(followup, now=plan.now, options=options), key)
        else:
            start = followup.interview.start.astimezone(UTC).replace(microsecond=0)
            want = Desired(followup.uid, b"", value, followup.title, followup.start, start)
        used[name] = want.fingerprint
        desired[want.uid] = want
    if target_url is not None:
        save_fingerprints(target_url, user, version, used)
    return desired


def _with_data(prepared: Prepared, action: Action) -> Action:
    """The action with the bytes to write, rendering the follow-up if that was skipped."""
    if not isinstance(action, Create | Update) or action.data:
        return action
    want = prepared.desired[action.uid]
    if not want.data:
        followup = next(f for f in prepared.plan.followups if f.uid == action.uid)
        options = prepared.request.render
        calendar = render_object(followup, now=prepared.plan.now, options=options)
        want = prepared.desired[action.uid] = desire(followup, calendar, prepared.key)
    return replace(action, data=want.data)


def _parse(data: bytes) -> Calendar | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Calendar.from_ical(data)
        except ValueError:
            return None


def _remote(mirror: Mirror, key: bytes) -> list[Remote]:
    """followup's objects in the target calendar; everything else is not looked at again.

    What an object holds is read once, when it is fetched, and kept with it (for the
    key it was checked with: the facts of a copy made under another key are read again).
    """
    key_id = hashlib.sha256(key).hexdigest()[:16]
    found: list[Remote] = []
    for href, stored in sorted(mirror.items.items()):
        if stored.data is None:
            continue
        if stored.facts is None or (stored.facts and stored.facts.get("key") != key_id):
            calendar = _parse(stored.data) if b"@followup" in stored.data else None
            item = read_remote(href, stored.etag, calendar, key) if calendar else None
            stored.facts = {**remote_facts(item), "key": key_id} if item is not None else {}
        if stored.facts:
            found.append(remote_from_facts(href, stored.etag, stored.facts))
    return found


# -- apply -----------------------------------------------------------------------------------


WRITERS = 4
"""Writes in flight at once. Each item is still written on its own, with its own
precondition; a few at a time hide the round trips (a first sync of 1,000 items
takes half the time against Radicale on the same machine, more over a network)."""


def apply(prepared: Prepared, progress: Progress | None = None) -> SyncReport:
    """Carry out the writes, each on its own; then remember what the next run needs."""
    if prepared.quiet is not None:
        interviews, followups = prepared.quiet
        calendar = prepared.target_url or prepared.target.label
        return SyncReport(calendar, interviews, followups, followups, [], [])
    writes = [a for a in prepared.actions if not isinstance(a, Keep)]
    kept = [a for a in prepared.actions if isinstance(a, Keep)]
    outcomes: list[Outcome] = []
    stopped: str | None = None
    if not prepared.request.dry_run:
        results, stopped = _write_all(prepared, writes, progress)
        for done, more_kept in results:
            outcomes += done
            kept += more_kept
        _remember(prepared, outcomes, kept, caught_up=stopped is None)
        if prepared.stamp is not None and not writes and not kept:
            counts = f"{len(prepared.plan.interviews)} {len(prepared.plan.followups)}"
            note(f"{prepared.stamp} {counts}", "quiet", prepared.target_url, _user(prepared))
    else:
        outcomes = [Outcome(action, True) for action in writes]
    touched = {o.action.uid for o in outcomes} | {k.uid for k in kept}
    return SyncReport(
        calendar=prepared.target_url or prepared.target.label,
        interviews=len(prepared.plan.interviews),
        followups=len(prepared.plan.followups),
        unchanged=sum(1 for uid in prepared.desired if uid not in touched),
        outcomes=outcomes,
        kept=kept,
        dry_run=prepared.request.dry_run,
        stopped=stopped,
        warnings=prepared.plan.warnings,
    )


Result = tuple[list[Outcome], list[Keep]]


def _write_all(
    prepared: Prepared, writes: list[Write], progress: Progress | None
) -> tuple[list[Result], str | None]:
    """Every write, a few at a time; all are tried unless the server stops answering."""
    lost = threading.Event()
    reason: list[str] = []

    def attempt(action: Write) -> Result:
        if lost.is_set():
            return [Outcome(action, False, "not tried: " + reason[0])], []
        try:
            return _carry_out(prepared, action)
        except ConnectionLost as err:
            if not lost.is_set():
                reason.append(err.message)
                lost.set()
            return [Outcome(action, False, err.message)], []

    pool = ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="followup-write")
    try:
        futures = [pool.submit(attempt, action) for action in writes]
        for number, _ in enumerate(as_completed(futures), 1):
            if progress is not None:
                progress(number, len(writes))
        return [f.result() for f in futures], (reason[0] if reason else None)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _write(prepared: Prepared, action: Write) -> None:
    session, mirror = prepared.session, _target_mirror(prepared)
    if isinstance(action, Create | Update):
        if isinstance(action, Create):
            etag = session.create(action.href, action.data)
        else:
            etag = session.update(action.href, action.data, action.etag)
        written = prepared.desired[action.uid].as_written(action.href, etag)
        key_id = hashlib.sha256(prepared.key).hexdigest()[:16]
        record_write(
            mirror, action.href, etag, action.data, {**remote_facts(written), "key": key_id}
        )
    elif isinstance(action, Delete):
        session.delete(action.href, action.etag)
        record_write(mirror, action.href, None, None)


def _carry_out(prepared: Prepared, action: Write) -> tuple[list[Outcome], list[Keep]]:
    """One write; on a conflict, read the item again, decide again, and try once more."""
    try:
        _write(prepared, action)
        return [Outcome(action, True)], []
    except WriteFailed as err:
        return [Outcome(action, False, err.detail)], []
    except Conflict as err:
        if err.kind == "rejected":
            return [Outcome(action, False, err.detail)], []
        if err.kind == "gone" and isinstance(action, Delete):
            return [Outcome(action, True)], []
        conflict = err
    fresh = _reread(prepared, action, conflict)
    again = decide(
        action.uid,
        prepared.desired.get(action.uid),
        fresh,
        prepared.state,
        collection=prepared.session.path(prepared.target_url or "/"),
        scope=prepared.request.window,
        deletions_seen=True,
    )
    outcomes: list[Outcome] = []
    kept: list[Keep] = []
    for second in (_with_data(prepared, a) for a in again):
        if isinstance(second, Keep):
            kept.append(second)
            continue
        try:
            _write(prepared, second)
            outcomes.append(Outcome(second, True))
        except (Conflict, WriteFailed) as err:
            outcomes.append(Outcome(second, False, f"{err.detail}; run followup sync again"))
    if not again:  # nothing left to do: the object is already as wanted (adopted)
        outcomes.append(Outcome(action, True))
    return outcomes, kept


def _reread(prepared: Prepared, action: Write, conflict: Conflict) -> list[Remote]:
    """The copies of the action's UID as they are now on the server."""
    session, mirror = prepared.session, _target_mirror(prepared)
    found: list[Fetched] = []
    if conflict.kind == "uid":
        if conflict.existing:
            item = session.get(conflict.existing)
            found = [item] if item else []
        else:
            path = session.path(prepared.target_url or "/")
            found = session.query_ours(path, action.uid)
    else:
        item = session.get(action.href)
        found = [item] if item else []
        if item is None:
            record_write(mirror, action.href, None, None)
    remote: list[Remote] = []
    for item in found:
        record_write(mirror, item.href, item.etag, item.data)
        calendar = _parse(item.data)
        parsed = (
            read_remote(item.href, item.etag, calendar, prepared.key)
            if calendar is not None
            else None
        )
        if parsed is not None and parsed.uid == action.uid:
            remote.append(parsed)
    return remote


def _user(prepared: Prepared) -> str | None:
    return prepared.target.endpoint.username


def _target_mirror(prepared: Prepared) -> Mirror:
    assert prepared.target_url is not None
    return prepared.mirrors[prepared.target_url]


def _remember(
    prepared: Prepared, outcomes: list[Outcome], kept: list[Keep], *, caught_up: bool
) -> None:
    """Save the target state, then the calendar copy, caught up with our own writes."""
    if prepared.target_url is None:
        return
    done: list[Action] = [o.action for o in outcomes if o.ok]
    state = settle(
        prepared.state,
        prepared.remote,
        [*done, *kept],
        today=prepared.request.now.date(),
        adopted=adoptions(prepared.desired, prepared.remote),
    )
    # Older stamps are taken back on one complete run; until then the state says unkeyed.
    complete = caught_up and all(o.ok for o in outcomes)
    state = replace(state, keyed=prepared.state.keyed or complete)
    save_target_state(prepared.target_url, prepared.target.endpoint.username, state)
    mirror = _target_mirror(prepared)
    if caught_up and done:
        # Learn the new sync token (and any ETag a PUT did not return). If that fails,
        # the old token still covers our writes: the next run catches up.
        with suppress(ServerError):
            mirror = refresh(prepared.session, mirror, prepared.target_url, Needs(ours=True))
    save_mirror(mirror)


def run_sync(request: SyncRequest, progress: Progress | None = None) -> SyncReport:
    """Prepare and apply in one go, over one set of sessions."""
    with open_sessions() as sessions:
        return apply(prepare(request, sessions), progress)
