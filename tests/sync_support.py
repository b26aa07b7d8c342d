"""Sync in tests: interviews as calendar apps store them, the user's app, the real engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import niquests
from icalendar import Calendar, Event

from followup.engine.caldav.apply import SyncReport, SyncRequest, run_sync
from followup.engine.config import Config, parse_config
from followup.engine.model import Plan
from followup.engine.pipeline import default_window, make_plan, read_objects
from followup.engine.sources import parse
from followup.rules.model import RuleSet
from tests.caldav_server import PASSWORD, USER, CalDAVServer
from tests.conftest import default_rules

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZONE)


def account(url: str) -> str:
    """The URL with the user name in it, as a user would pass it to --from."""
    return url.replace("://", f"://{USER}@", 1)


def request(
    source: str,
    target: str | None = None,
    *,
    rules: RuleSet | None = None,
    now: datetime = NOW,
    force: bool = False,
    dry_run: bool = False,
    config: Config | None = None,
    target_name: str | None = None,
) -> SyncRequest:
    config = config or parse_config("")
    return SyncRequest(
        source=parse(account(source) if source.startswith("http") else source, config),
        target=account(target) if target and target.startswith("http") else target,
        rules=rules or default_rules(),
        now=now,
        window=default_window(now),
        force=force,
        dry_run=dry_run,
        config=config,
        target_name=target_name,
        timeout=10,
    )


def sync(source: str, target: str | None = None, **options: object) -> SyncReport:
    return run_sync(request(source, target, **options))  # type: ignore[arg-type]


def expected_plan(
    objects: list[tuple[str, bytes]], *, rules: RuleSet | None = None, now: datetime = NOW
) -> Plan:
    """What the planner makes of these interviews, without any server."""
    rules = rules or default_rules()
    reading = read_objects(objects, rules=rules, now=now, window=default_window(now))
    return make_plan(rules, reading, now)


def counts(report: SyncReport) -> tuple[int, int, int, int, int]:
    """(created, updated, removed, kept, failed)."""
    return (
        len(report.created),
        len(report.updated),
        len(report.removed),
        len(report.kept),
        len(report.failed),
    )


def interview(
    uid: str,
    start: datetime,
    *,
    company: str = "ACME",
    minutes: int = 60,
    notes: str = "",
    status: str | None = None,
    cancelled: bool = False,
) -> bytes:
    """One interview as a calendar app would store it: one VEVENT in one VCALENDAR."""
    cal = Calendar()
    cal.add("prodid", "-//a calendar app//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("UTC")))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", f"Interview with {company}")
    lines = [f"Company: {company}"]
    if notes:
        lines.append(notes)
    if status:
        lines.append(f"Status: {status}")
    event.add("description", "\n".join(lines))
    if cancelled:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()


@dataclass
class CalendarApp:
    """The user's calendar app (or another client): plain HTTP against the same server."""

    server: CalDAVServer

    def __post_init__(self) -> None:
        self.http = niquests.Session()
        self.auth = (USER, PASSWORD)

    def request(self, method: str, url: str, **kwargs: Any) -> niquests.Response:
        response = self.http.request(method, url, auth=self.auth, timeout=10, **kwargs)
        return response

    def make_calendar(self, name: str) -> str:
        url = self.server.calendar_url(name)
        assert self.request("MKCALENDAR", url).status_code == 201
        return url

    def put(self, url: str, data: bytes, etag: str | None = None) -> str | None:
        headers = {"Content-Type": "text/calendar"}
        if etag:
            headers["If-Match"] = etag
        response = self.request("PUT", url, data=data, headers=headers)
        assert response.status_code in (200, 201, 204), response.text
        return response.headers.get("ETag")

    def add(self, calendar: str, name: str, data: bytes) -> str:
        url = calendar + name + ".ics"
        self.put(url, data)
        return url

    def get(self, url: str) -> tuple[Calendar, str]:
        response = self.request("GET", url)
        assert response.status_code == 200, url
        return Calendar.from_ical(response.content), str(response.headers.get("ETag"))

    def delete(self, url: str) -> None:
        assert self.request("DELETE", url).status_code in (200, 204)

    def items(self, calendar: str) -> dict[str, Calendar]:
        """Every object in the calendar, by URL (a PROPFIND, then a GET each)."""
        body = b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>'
        response = self.request(
            "PROPFIND",
            calendar,
            data=body,
            headers={"Depth": "1", "Content-Type": "text/xml"},
        )
        from followup.engine.dav.protocol import parse_multistatus

        entries, _ = parse_multistatus(response.content or b"")
        base = self.server.base
        path = calendar.removeprefix(base)
        return {
            base + e.href: self.get(base + e.href)[0]
            for e in entries
            if e.href.rstrip("/") != path.rstrip("/")
        }

    def followups(self, calendar: str) -> dict[str, Any]:
        """followup's items in the calendar: UID -> the VEVENT/VTODO."""
        found = {}
        for cal in self.items(calendar).values():
            for component in cal.subcomponents:
                if component.name in ("VEVENT", "VTODO") and "X-FOLLOWUP-RULE" in component:
                    found[str(component["UID"])] = component
        return found

    def url_of(self, calendar: str, uid: str) -> str:
        for url, cal in self.items(calendar).items():
            for component in cal.subcomponents:
                if str(component.get("UID", "")) == uid:
                    return url
        raise KeyError(uid)


FIRST_INTERVIEW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def interview_calendars(app: CalendarApp, count: int) -> tuple[str, str, dict[str, bytes]]:
    """A calendar of ``count`` interviews a day apart from 23 November (href -> data), and an
    empty one for the follow-ups."""
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    objects = {}
    for n in range(count):
        data = interview(
            f"i{n}@example.com", FIRST_INTERVIEW + timedelta(days=n), company=f"Company {n}"
        )
        objects[app.add(work, f"i{n}", data)] = data
    return work, target, objects


def one_past_one_ahead(app: CalendarApp) -> tuple[str, str]:
    """A calendar with an interview yesterday (Initech) and one in two days (Globex), and an
    empty one for the follow-ups."""
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    app.add(work, "i0", interview("i0@x", NOW - timedelta(days=1), company="Initech"))
    app.add(work, "i1", interview("i1@x", NOW + timedelta(days=2), company="Globex"))
    return work, target
