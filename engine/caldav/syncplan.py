"""Sync planning, pure: what followup wants in a calendar, what is there -> the actions.

``diff(desired, remote, state)`` decides item by item (one UID at a time) and
does no I/O; ``--dry-run`` prints its result, and ``engine.caldav.apply``
carries it out. The rules it applies:

- Only objects with followup's marks are ever written: a UID ending in
  ``@followup`` and an ``X-FOLLOWUP-RULE`` property. Anything else in the
  calendar is not even an input.
- An object whose content no longer has the fingerprint followup stamped
  on it was changed by someone else: it is kept as it is and reported
  (edited, completed, dismissed), whatever the plan says. Stamps are keyed
  with a secret of this installation: an object stamped by anyone else is
  someone else's, unless it holds exactly what the plan wants.
- An object followup wrote that has since disappeared was deleted by the
  user: it is not re-created (the state file remembers it). Only when the
  listing proves the deletion, though; when it cannot (a new cache, an
  expired sync token), the follow-up is re-created, never lost.
- An unchanged object that the plan no longer wants is removed, but only
  if its interview is within the planning window: follow-ups of interviews
  that have aged out of the window stay as they are.
- If every follow-up in the calendar would be removed and none would take
  their place, the plan is refused without ``force``: an empty source or a
  wrong rules file must not wipe the calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from urllib.parse import quote

from icalendar import Calendar

from followup.engine.caldav.fingerprint import RULE_PROP, fingerprint, main_item, stamp, stamped
from followup.engine.errors import UnsafeChange
from followup.engine.model import FollowUp, Window, is_followup_uid

INTERVIEW_START_PROP = "X-FOLLOWUP-INTERVIEW-START"
UTC_FORMAT = "%Y%m%dT%H%M%SZ"

KeepReason = Literal["edited", "completed", "dismissed", "deleted"]


@dataclass(frozen=True, slots=True)
class Desired:
    """A follow-up as followup wants it in the calendar: the bytes to write and their fingerprint."""

    uid: str
    data: bytes
    fingerprint: str
    title: str
    start: datetime
    interview_start: datetime | None = None

    def as_written(self, href: str, etag: str | None) -> Remote:
        """The object as it is on the server right after followup wrote it."""
        return Remote(
            href, etag, self.uid, self.fingerprint, self.fingerprint, self.title,
            interview_start=self.interview_start,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Remote:
    """An object of followup's found in the calendar, as it is now."""

    href: str
    etag: str | None
    uid: str
    fingerprint: str
    stamped: str | None
    title: str
    completed: bool = False
    cancelled: bool = False
    interview_start: datetime | None = None
    legacy: bool = False
    """Stamped with the unkeyed fingerprint of older versions, and unchanged since."""

    @property
    def changed_by_user(self) -> bool:
        return self.stamped != self.fingerprint

    @property
    def user_change(self) -> KeepReason:
        if self.completed:
            return "completed"
        if self.cancelled:
            return "dismissed"
        return "edited"


@dataclass(frozen=True, slots=True)
class TargetState:
    """What followup remembers about a target between runs.

    ``known``: UID -> href of followup's objects in the calendar after the
    last run. ``dismissed``: UID -> the day the user deleted that follow-up.
    """

    known: Mapping[str, str] = field(default_factory=dict)
    dismissed: Mapping[str, str] = field(default_factory=dict)
    keyed: bool = True
    """False for a state saved by a version with unkeyed stamps: its ``known`` objects,
    if unchanged, are taken back once and restamped (see ``decide``)."""
    adopted: Mapping[str, str] = field(default_factory=dict)
    """UID -> fingerprint of objects taken as followup's without writing them: their content
    was just what followup wanted, under a stamp of another key (a lost state folder). While
    the content is unchanged they are followup's, to update or remove as the plan says."""


@dataclass(frozen=True, slots=True)
class Create:
    uid: str
    href: str
    data: bytes
    title: str


@dataclass(frozen=True, slots=True)
class Update:
    uid: str
    href: str
    etag: str | None
    data: bytes
    title: str


@dataclass(frozen=True, slots=True)
class Delete:
    uid: str
    href: str
    etag: str | None
    title: str


@dataclass(frozen=True, slots=True)
class Keep:
    """An item left alone because of what the user did to it."""

    uid: str
    href: str | None
    reason: KeepReason
    title: str


Action = Create | Update | Delete | Keep
Write = Create | Update | Delete

DISMISSED_FOR = timedelta(days=400)
"""How long a deleted follow-up is remembered: longer than any interview stays in the window."""


class RefusedRemoval(UnsafeChange):
    """The plan would empty the calendar of follow-ups; carries the counts."""

    def __init__(self, removed: int, calendar: str) -> None:
        super().__init__(
            f"refusing to remove all {removed} follow-ups from {calendar}: "
            "the plan has nothing to put in their place",
            hint="check --from and --rules (an empty or unreadable calendar, a wrong rules "
            "file?); run with --force if you do want them gone",
        )
        self.removed = removed
        self.calendar = calendar


MANY_CREATES = 2000
"""Creates in one run that need --force when they would more than ten-fold the follow-ups
already in the calendar: a series expanded far beyond what anyone meant (an interview
that repeats every hour), not a first sync of a real job search (a few hundred)."""


class RefusedFlood(UnsafeChange):
    """The plan would fill the calendar with far more follow-ups than it holds."""

    def __init__(self, created: int, present: int, calendar: str) -> None:
        super().__init__(
            f"refusing to create {created} follow-ups in {calendar}, which holds {present}: "
            "that is far more than a job search makes",
            hint="check the interviews in --from (a series that repeats every hour or day?) "
            "with `followup plan`; run with --force if you do want them all",
        )
        self.created = created
        self.calendar = calendar


# -- building the inputs ---------------------------------------------------------------


def href_for(collection: str, uid: str) -> str:
    """Where followup creates the object for ``uid``: in the collection, named after the UID."""
    return collection.rstrip("/") + "/" + quote(uid, safe="@-._~") + ".ics"


def desire(followup: FollowUp, calendar: Calendar, key: bytes = b"") -> Desired:
    """A rendered follow-up object, marked with its interview's start and its fingerprint."""
    item = main_item(calendar)
    if item is None:
        raise ValueError(f"{followup.uid}: the rendered object has no VEVENT or VTODO")
    if "METHOD" in calendar:
        del calendar["METHOD"]  # not allowed in a CalDAV object (RFC 4791 section 4.1)
    item.pop(INTERVIEW_START_PROP, None)
    item.add(INTERVIEW_START_PROP, followup.interview.start.astimezone(UTC).strftime(UTC_FORMAT))
    value = stamp(calendar, key)
    return Desired(
        uid=followup.uid,
        data=calendar.to_ical(),
        fingerprint=value,
        title=followup.title,
        start=followup.start,
        interview_start=followup.interview.start.astimezone(UTC).replace(microsecond=0),
    )


def _utc(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), UTC_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def is_ours(calendar: Calendar) -> bool:
    """Does this object carry followup's marks (its UID scheme and X-FOLLOWUP-RULE)?"""
    item = main_item(calendar)
    if item is None:
        return False
    return is_followup_uid(str(item.get("UID", ""))) and RULE_PROP in item


def read_remote(href: str, etag: str | None, calendar: Calendar, key: bytes = b"") -> Remote | None:
    """The object as a ``Remote`` if it carries followup's marks, else None.

    Whether followup wrote it is told by its stamp: the fingerprint keyed with ``key``."""
    if not is_ours(calendar):
        return None
    item = main_item(calendar)
    assert item is not None
    status = str(item.get("STATUS", "")).upper()
    interview_start = _utc(str(item.get(INTERVIEW_START_PROP, "")))
    value, stamp_found = fingerprint(calendar, key), stamped(calendar)
    return Remote(
        href=href,
        etag=etag,
        uid=str(item["UID"]),
        fingerprint=value,
        stamped=stamp_found,
        legacy=bool(key)
        and stamp_found is not None
        and stamp_found != value
        and stamp_found == fingerprint(calendar),
        title=str(item.get("SUMMARY", "")),
        completed=status == "COMPLETED" or "COMPLETED" in item,
        cancelled=status == "CANCELLED",
        interview_start=interview_start,
    )


def remote_facts(item: Remote) -> dict[str, object]:
    """What ``read_remote`` found, as plain values, to keep with the object's copy."""
    return {
        "uid": item.uid,
        "fingerprint": item.fingerprint,
        "stamped": item.stamped,
        "title": item.title,
        "completed": item.completed,
        "cancelled": item.cancelled,
        "interview_start": item.interview_start.strftime(UTC_FORMAT)
        if item.interview_start
        else None,
        "legacy": item.legacy,
    }


def remote_from_facts(href: str, etag: str | None, facts: Mapping[str, object]) -> Remote:
    start = facts.get("interview_start")
    return Remote(
        href=href,
        etag=etag,
        uid=str(facts["uid"]),
        fingerprint=str(facts["fingerprint"]),
        stamped=str(facts["stamped"]) if facts.get("stamped") is not None else None,
        title=str(facts.get("title", "")),
        completed=bool(facts.get("completed")),
        cancelled=bool(facts.get("cancelled")),
        interview_start=_utc(start) if isinstance(start, str) else None,
        legacy=bool(facts.get("legacy")),
    )


# -- deciding --------------------------------------------------------------------------


def _in_scope(item: Remote, scope: Window | None) -> bool:
    if scope is None or item.interview_start is None:
        return True
    return scope.since <= item.interview_start < scope.until


def decide(
    uid: str,
    want: Desired | None,
    have: Sequence[Remote],
    state: TargetState,
    *,
    collection: str,
    scope: Window | None = None,
    deletions_seen: bool = True,
) -> list[Action]:
    """The actions for one UID: what is wanted, the copies there are, what was known."""
    home = href_for(collection, uid)
    copies = sorted(have, key=lambda r: (r.href != home, r.href))
    actions: list[Action] = []
    for extra in copies[1:]:  # the same UID twice: a crash or another client; keep one
        if extra.changed_by_user:
            actions.append(Keep(uid, extra.href, extra.user_change, extra.title))
        else:
            actions.append(Delete(uid, extra.href, extra.etag, extra.title))
    if not copies:
        if want is None:
            return actions
        if uid in state.dismissed:
            return actions  # deleted by the user on an earlier run: said then, honoured now
        if deletions_seen and uid in state.known:
            return [*actions, Keep(uid, None, "deleted", want.title)]
        return [*actions, Create(uid, home, want.data, want.title)]
    item = copies[0]
    if item.legacy and not state.keyed and state.known.get(uid) == item.href:
        # Written by this installation before stamps were keyed (the state says so) and
        # unchanged since: followup's, once more; rewritten now with a keyed stamp.
        if want is None:
            if _in_scope(item, scope):
                actions.append(Delete(uid, item.href, item.etag, item.title))
            return actions
        return [*actions, Update(uid, item.href, item.etag, want.data, want.title)]
    if want is not None and item.fingerprint == want.fingerprint != item.stamped:
        # The same content, from an .ics import or stamped with another key (a lost state
        # folder, a copy made by hand): adopted as it is. Rewriting it would change nothing
        # but the stamp, and make every other client download it again.
        return actions
    if item.changed_by_user and state.adopted.get(uid) != item.fingerprint:
        return [*actions, Keep(uid, item.href, item.user_change, item.title)]
    if want is None:
        if _in_scope(item, scope):
            actions.append(Delete(uid, item.href, item.etag, item.title))
        return actions
    if want.fingerprint != item.stamped:
        actions.append(Update(uid, item.href, item.etag, want.data, want.title))
    return actions


def diff(
    desired: Iterable[Desired],
    remote: Iterable[Remote],
    state: TargetState,
    *,
    collection: str,
    scope: Window | None = None,
    deletions_seen: bool = True,
    force: bool = False,
) -> list[Action]:
    """All actions to bring the calendar to the plan, user's changes respected.

    ``remote`` holds followup's objects only (see ``read_remote``);
    ``deletions_seen`` says whether an object missing from it is known to
    have been deleted since the last run (see the module's docstring).
    Raises ``RefusedRemoval`` rather than empty the calendar, unless ``force``.
    """
    wanted = {d.uid: d for d in desired}
    present: dict[str, list[Remote]] = {}
    for item in remote:
        present.setdefault(item.uid, []).append(item)
    actions: list[Action] = []
    for uid in sorted(wanted.keys() | present.keys()):
        actions += decide(
            uid,
            wanted.get(uid),
            present.get(uid, ()),
            state,
            collection=collection,
            scope=scope,
            deletions_seen=deletions_seen,
        )
    if not force:
        _refuse_emptying(actions, present, collection)
        _refuse_flooding(actions, present, collection)
    return actions


def _refuse_flooding(
    actions: Sequence[Action], present: Mapping[str, Sequence[Remote]], collection: str
) -> None:
    created = sum(1 for a in actions if isinstance(a, Create))
    held = sum(len(copies) for copies in present.values())
    if created > MANY_CREATES and created > 10 * held:
        raise RefusedFlood(created, held, collection)


def _refuse_emptying(
    actions: Sequence[Action], present: Mapping[str, Sequence[Remote]], collection: str
) -> None:
    removed = {a.href for a in actions if isinstance(a, Delete)}
    if not removed or any(isinstance(a, Create) for a in actions):
        return
    remaining = [r for copies in present.values() for r in copies if r.href not in removed]
    if not remaining:
        raise RefusedRemoval(len(removed), collection)


# -- remembering -----------------------------------------------------------------------


def adoptions(desired: Mapping[str, Desired], remote: Iterable[Remote]) -> dict[str, str]:
    """UID -> fingerprint of the objects ``decide`` adopts without writing: stamped with
    another key, their content just what followup wants."""
    return {
        r.uid: r.fingerprint
        for r in remote
        if r.stamped is not None
        and r.uid in desired
        and r.fingerprint == desired[r.uid].fingerprint != r.stamped
    }


def settle(
    state: TargetState,
    remote: Iterable[Remote],
    done: Iterable[Action],
    *,
    today: date,
    deletions_seen: bool = True,
    adopted: Mapping[str, str] | None = None,
) -> TargetState:
    """The state after a run: ``remote`` as it was read, plus the writes that went through.

    ``done`` holds the actions that succeeded (and the Keep decisions). A
    failed create is simply not known: if it did reach the server, the next
    run finds it by its UID and adopts it. A known item that has gone, when
    ``deletions_seen``, was deleted by the user: remembered, so that it does
    not come back should the plan want it again. ``adopted`` (see ``adoptions``) joins the
    objects adopted before that are still as they were then.
    """
    remote = list(remote)
    known = {r.uid: r.href for r in remote}
    copies: dict[str, list[str]] = {}
    for r in remote:
        copies.setdefault(r.uid, []).append(r.href)
    dismissed = {
        uid: day
        for uid, day in state.dismissed.items()
        if date.fromisoformat(day) > today - DISMISSED_FOR
    }
    if deletions_seen:
        for uid in state.known.keys() - known.keys():
            dismissed.setdefault(uid, today.isoformat())
    for action in done:
        if isinstance(action, Create):
            known[action.uid] = action.href
            dismissed.pop(action.uid, None)
        elif isinstance(action, Delete):
            left = copies[action.uid] = [h for h in copies.get(action.uid, []) if h != action.href]
            if known.get(action.uid) == action.href:
                if left:  # a second copy removed: the item stays known at the one kept
                    known[action.uid] = left[0]
                else:
                    del known[action.uid]
        elif isinstance(action, Keep) and action.reason == "deleted":
            dismissed.setdefault(action.uid, today.isoformat())
            known.pop(action.uid, None)
    for uid in known:
        dismissed.pop(uid, None)  # back in the calendar (restored by the user)
    now_there = {(r.uid, r.href): r.fingerprint for r in remote}
    written = {a.uid for a in done if isinstance(a, Create | Update | Delete)}
    kept_adopted = {
        uid: value
        for uid, value in {**state.adopted, **(adopted or {})}.items()
        if uid not in written and now_there.get((uid, known.get(uid, ""))) == value
    }
    return replace(state, known=known, dismissed=dismissed, adopted=kept_adopted)
