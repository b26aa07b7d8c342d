"""What a feed is, built from a plan: profiles, the agenda, the bytes and their validators.

Pure values and functions; ``cache`` decides when to build and ``server`` serves.

Profiles say what each calendar app makes of a subscription: Google Calendar
and Outlook show events only and drop alarms from subscribed calendars, so
their profiles send events without alarms. Apple Calendar and Thunderbird
show to-dos and alarms. The default, ``common``, sends what every app shows
the same way: events, no alarms.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

from followup.engine.errors import FollowupError
from followup.engine.model import FollowUp, ItemKind, Plan
from followup.engine.plan.board import BoardRow
from followup.engine.write.render import RenderOptions

Profile = Literal["common", "google", "apple", "outlook", "thunderbird"]
PROFILE_NAMES: tuple[Profile, ...] = get_args(Profile)
DEFAULT_PROFILE: Profile = "common"


@dataclass(frozen=True, slots=True)
class ProfileSettings:
    """What one calendar app gets: forced item kind, alarms, and a line saying why."""

    force_kind: ItemKind | None
    alarms: bool
    about: str


PROFILES: dict[Profile, ProfileSettings] = {
    "common": ProfileSettings(
        "event", False, "events without alarms, shown the same by every calendar app"
    ),
    "google": ProfileSettings(
        "event", False, "events only: Google Calendar ignores to-dos and alarms in subscriptions"
    ),
    "outlook": ProfileSettings(
        "event", False, "events only: Outlook ignores to-dos and alarms in subscriptions"
    ),
    "apple": ProfileSettings(None, True, "events, to-dos and alarms, as Apple Calendar shows them"),
    "thunderbird": ProfileSettings(
        None, True, "events, to-dos and alarms, as Thunderbird shows them"
    ),
}


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One follow-up as the feed's page lists it."""

    uid: str
    start: datetime
    end: datetime
    all_day: bool
    kind: ItemKind
    company: str
    step: str
    mailto: str | None = None


@dataclass(frozen=True, slots=True)
class Build:
    """What one build of the inputs produced: the calendar bytes and the agenda beside them."""

    ics: bytes
    agenda: tuple[AgendaEntry, ...]
    timezone: str
    warnings: tuple[str, ...] = ()
    board: tuple[BoardRow, ...] = ()
    """The applications, what needs the user first (engine/plan/board.py)."""


@dataclass(frozen=True, slots=True)
class Feed:
    """A built feed, ready to serve: both encodings, validators, and the agenda."""

    ics: bytes
    ics_gzip: bytes
    etag: str
    """Strong entity tag of the plain body, quoted."""
    gzip_etag: str
    """Strong entity tag of the gzip body (a different representation, a different tag)."""
    last_modified: datetime
    """When these bytes were first served, UTC, whole seconds; rises with every change."""
    built_at: datetime
    agenda: tuple[AgendaEntry, ...]
    timezone: str
    warnings: tuple[str, ...] = ()
    board: tuple[BoardRow, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the server shows: the last good feed, and the last build error if any."""

    feed: Feed | None
    error: str | None = None
    error_at: datetime | None = None
    builds: int = 0
    """How many builds were attempted, failed ones included."""
    failure: FollowupError | None = field(default=None, compare=False)
    """The error behind ``error`` when it was one the user can fix (for exit codes)."""


def agenda_from_plan(plan: Plan) -> tuple[AgendaEntry, ...]:
    """The plan's follow-ups as agenda entries, in time order."""
    entries = [_entry(followup) for followup in plan.followups]
    return tuple(sorted(entries, key=lambda e: (e.start, e.company, e.step, e.uid)))


def _entry(followup: FollowUp) -> AgendaEntry:
    facts = followup.interview.facts
    company = facts.company or followup.interview.summary
    return AgendaEntry(
        uid=followup.uid,
        start=followup.start,
        end=followup.due or followup.end,
        all_day=followup.all_day,
        kind=followup.kind,
        company=company,
        step=followup.title,
        mailto=followup.email.mailto() if followup.email is not None else None,
    )


def make_feed(build: Build, *, built_at: datetime, previous: Feed | None) -> Feed:
    """Wrap a build for serving; unchanged bytes keep the previous validators.

    Last-Modified has one-second resolution, so a change within the same
    second as the previous one moves it a second on: a client that only
    sends If-Modified-Since never misses a change.
    """
    digest = hashlib.sha256(build.ics).hexdigest()[:32]
    etag = f'"{digest}"'
    if previous is not None and previous.etag == etag:
        return Feed(
            ics=previous.ics,
            ics_gzip=previous.ics_gzip,
            etag=previous.etag,
            gzip_etag=previous.gzip_etag,
            last_modified=previous.last_modified,
            built_at=built_at,
            agenda=build.agenda,
            timezone=build.timezone,
            warnings=build.warnings,
            board=build.board,
        )
    last_modified = built_at.astimezone(UTC).replace(microsecond=0)
    if previous is not None and last_modified <= previous.last_modified:
        last_modified = previous.last_modified + timedelta(seconds=1)
    return Feed(
        ics=build.ics,
        # mtime=0: the same bytes always compress to the same body.
        ics_gzip=gzip.compress(build.ics, compresslevel=6, mtime=0),
        etag=etag,
        gzip_etag=f'"{digest}-gzip"',
        last_modified=last_modified,
        built_at=built_at,
        agenda=build.agenda,
        timezone=build.timezone,
        warnings=build.warnings,
        board=build.board,
    )


def day_of(now: datetime) -> str:
    """The planning day: the window moves on, and the feed is rebuilt, once a day."""
    return now.date().isoformat()


def render_options(profile: Profile, *, calendar_name: str, refresh: timedelta) -> RenderOptions:
    """How a profile renders the feed."""
    settings = PROFILES[profile]
    return RenderOptions(
        force_kind=settings.force_kind,
        alarms=settings.alarms,
        calendar_name=calendar_name,
        refresh=refresh,
    )
