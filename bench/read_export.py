"""How long reading a real-sized calendar export takes, against parsing it whole.

Builds a Google-style export (X-WR-TIMEZONE, UTC single events, weekly
series in several zones with EXDATEs and moved instances, all-day events,
alarms, attendees) of --events events of which --interviews are interviews,
then measures in the same run:

- the floor: ``icalendar.Calendar.from_ical`` on the whole file;
- the scan floor: one bytes regex over the file for the SUMMARY lines that
  say "interview", the VEVENT around each found with ``bytes.rfind``/``find``,
  and icalendar on those alone (no structure check, no series, no zones: what
  a scan cannot do with less), alternating with ``read_ics``;
- ``read_ics`` (the scan, then icalendar on the candidates only);
- ``followup plan --from FILE --now ...`` as a user runs it (a subprocess).

It checks that ``read_ics`` gives exactly the interviews a full parse gives,
and prints the times and the ratios to the floor (goal: at most 0.5) and
to the scan floor (goal: ``followup plan`` at most 2.0x), and the import
time of ``cli.main``.

    python bench/read_export.py [--events 20000] [--interviews 30] [--repeat 3]

Every time is the median, with the lowest and highest run, of --repeat runs.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from icalendar import Calendar  # noqa: E402

from followup.engine.model import Window  # noqa: E402
from followup.engine.read.reader import Matcher, read_calendar, read_ics  # noqa: E402

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
T = TypeVar("T")

ZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "-1SU", 3, "-1SU", 10),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "2SU", 3, "1SU", 11),
    "Europe/London": ("+0000", "+0100", "GMT", "BST", "-1SU", 3, "-1SU", 10),
}
EVERYDAY = [
    "Team standup",
    "1:1 with Sam",
    "Dentist",
    "Gym",
    "Lunch with Alex",
    "Sprint planning",
    "Book club",
    "Call mom",
    "Flight to Lisbon",
    "Yoga",
    "Quarterly review",
    "Birthday party",
    "Dinner: talk about interviews",
]
COMPANIES = ["ACME", "Globex", "Initech", "Hooli", "Umbrella", "Contoso", "Fabrikam", "Stark"]


def vtimezone(tzid: str) -> list[str]:
    std, dst, std_name, dst_name, dst_day, dst_month, std_day, std_month = ZONES[tzid]
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        f"X-LIC-LOCATION:{tzid}",
        "BEGIN:DAYLIGHT",
        f"TZOFFSETFROM:{std}",
        f"TZOFFSETTO:{dst}",
        f"TZNAME:{dst_name}",
        f"DTSTART:1970{dst_month:02d}08T020000",
        f"RRULE:FREQ=YEARLY;BYMONTH={dst_month};BYDAY={dst_day}",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        f"TZOFFSETFROM:{dst}",
        f"TZOFFSETTO:{std}",
        f"TZNAME:{std_name}",
        f"DTSTART:1970{std_month:02d}01T020000",
        f"RRULE:FREQ=YEARLY;BYMONTH={std_month};BYDAY={std_day}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def fold(line: str) -> list[str]:
    parts, rest = [line[:75]], line[75:]
    while rest:
        parts.append(" " + rest[:74])
        rest = rest[74:]
    return parts


def event(
    uid: str,
    summary: str,
    start: str,
    end: str,
    rnd: random.Random,
    extra: tuple[str, ...] = (),
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        start,
        end,
        *extra,
        "DTSTAMP:20261120T101500Z",
        f"UID:{uid}",
        "CREATED:20190110T081200Z",
        f"DESCRIPTION:{'Agenda and notes for the meeting. ' * rnd.randint(0, 6)}",
        "LAST-MODIFIED:20261110T081200Z",
        f"LOCATION:{rnd.choice(['', 'Office', 'Google Meet', 'Room 4.12, Building B'])}",
        f"SEQUENCE:{rnd.randint(0, 3)}",
        "STATUS:CONFIRMED",
        f"SUMMARY:{summary}",
        "TRANSP:OPAQUE",
    ]
    if rnd.random() < 0.3:
        lines.append(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
            f"CN=person{rnd.randint(1, 99)}@example.com;X-NUM-GUESTS=0:"
            f"mailto:person{rnd.randint(1, 99)}@example.com"
        )
    if rnd.random() < 0.4:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:This is an event reminder",
            "TRIGGER:-P0DT0H10M0S",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return [part for line in lines for part in fold(line)]


def stamp(day: date, hour: int, minute: int = 0) -> str:
    return f"{day:%Y%m%d}T{hour:02d}{minute:02d}00"


def make_export(events: int, interviews: int, seed: int = 7) -> bytes:
    """A Google-style export of ``events`` VEVENTs, ``interviews`` of them interviews."""
    rnd = random.Random(seed)
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:alex.candidate@gmail.com",
        "X-WR-TIMEZONE:Europe/Berlin",
    ]
    for tzid in ZONES:
        lines += vtimezone(tzid)
    first = date(2019, 1, 1)
    span = (date(2027, 6, 1) - first).days
    # Interviews, spread over the last months and the months ahead: single
    # events, a weekly series, and overrides titled "Interview" of other series.
    series_uids: list[tuple[str, str, date]] = []
    written = 0
    interview_slots = set(rnd.sample(range(events), interviews))
    for index in range(events):
        uid = f"{rnd.getrandbits(80):020x}@google.com"
        kind = rnd.random()
        if index in interview_slots:
            company = rnd.choice(COMPANIES)
            day = date(2026, 10, 1) + timedelta(days=rnd.randint(0, 150))
            hour = rnd.randint(8, 17)
            shape = rnd.random()
            if shape < 0.2 and series_uids:
                # An existing series' instance, moved and renamed.
                master_uid, tzid, master_day = rnd.choice(series_uids)
                weeks = rnd.randint(0, 10)
                original = master_day + timedelta(weeks=weeks)
                lines += event(
                    master_uid,
                    f"Interview with {company}",
                    f"DTSTART;TZID={tzid}:{stamp(original + timedelta(days=1), hour)}",
                    f"DTEND;TZID={tzid}:{stamp(original + timedelta(days=1), hour + 1)}",
                    rnd,
                    (f"RECURRENCE-ID;TZID={tzid}:{stamp(original, 9)}",),
                )
            elif shape < 0.3:
                lines += event(
                    uid,
                    f"{company} interview loop",
                    f"DTSTART;TZID=Europe/Berlin:{stamp(day, hour)}",
                    f"DTEND;TZID=Europe/Berlin:{stamp(day, hour, 45)}",
                    rnd,
                    (
                        "RRULE:FREQ=WEEKLY;COUNT=4",
                        f"EXDATE;TZID=Europe/Berlin:{stamp(day + timedelta(weeks=1), hour)}",
                    ),
                )
            else:
                start = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
                lines += event(
                    uid,
                    rnd.choice(
                        [f"Interview with {company}", f"{company} phone interview", "Interview"]
                    ),
                    f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                    f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
                    rnd,
                )
            written += 1
            continue
        day = first + timedelta(days=rnd.randint(0, span))
        hour = rnd.randint(7, 20)
        summary = rnd.choice(EVERYDAY)
        if kind < 0.08:
            tzid = rnd.choice(list(ZONES))
            lines += event(
                uid,
                summary,
                f"DTSTART;TZID={tzid}:{stamp(day, 9)}",
                f"DTEND;TZID={tzid}:{stamp(day, 9, 30)}",
                rnd,
                (
                    f"RRULE:FREQ=WEEKLY;BYDAY={day.strftime('%a')[:2].upper()}"
                    + (f";UNTIL={day + timedelta(weeks=rnd.randint(4, 200)):%Y%m%d}T235959Z")
                    * (rnd.random() < 0.7),
                    f"EXDATE;TZID={tzid}:{stamp(day + timedelta(weeks=2), 9)}",
                ),
            )
            series_uids.append((uid, tzid, day))
        elif kind < 0.12 and series_uids:
            master_uid, tzid, master_day = rnd.choice(series_uids)
            original = master_day + timedelta(weeks=rnd.randint(1, 5))
            lines += event(
                master_uid,
                summary,
                f"DTSTART;TZID={tzid}:{stamp(original, 10)}",
                f"DTEND;TZID={tzid}:{stamp(original, 11)}",
                rnd,
                (f"RECURRENCE-ID;TZID={tzid}:{stamp(original, 9)}",),
            )
        elif kind < 0.2:
            lines += event(
                uid,
                summary,
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                rnd,
            )
        else:
            start = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
            lines += event(
                uid,
                summary,
                f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                f"DTEND:{start + timedelta(minutes=rnd.choice([30, 60, 90])):%Y%m%dT%H%M%SZ}",
                rnd,
            )
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


_INTERVIEW_SUMMARY = re.compile(rb"^SUMMARY[^:\r\n]*:[^\r\n]*interview", re.M | re.I)


def scan_floor(data: bytes) -> int:
    """The candidates' VEVENTs found by one regex and parsed by icalendar: the events found."""
    found = 0
    for match in _INTERVIEW_SUMMARY.finditer(data):
        start = data.rfind(b"BEGIN:VEVENT", 0, match.start())
        end = data.find(b"END:VEVENT", match.end())
        if start < 0 or end < 0:
            continue
        text = b"BEGIN:VCALENDAR\r\n" + data[start:end] + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        found += len(Calendar.from_ical(text).walk("VEVENT"))
    return found


def runs_of(repeat: int, run: Callable[[], T]) -> tuple[list[float], T]:
    """The time of every run, and the last run's result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(repeat):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    assert result is not None
    return times, result


def spread(values: list[float], digits: int = 3) -> str:
    """The median, and the lowest and highest value: '1.234 (1.100-1.400)'."""
    med = statistics.median(values)
    return f"{med:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--interviews", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data = make_export(args.events, args.interviews)
    home = ZoneInfo("Europe/Berlin")
    window = Window(NOW - timedelta(days=60), NOW + timedelta(days=366))
    matcher = Matcher()
    print(f"export: {args.events} events, {args.interviews} interviews, {len(data) / 1e6:.1f} MB")

    floors, calendar = runs_of(args.repeat, lambda: Calendar.from_ical(data))
    floor = statistics.median(floors)
    reference = list(read_calendar(calendar, matcher=matcher, home=home, window=window).interviews)
    tooks, found = runs_of(
        args.repeat,
        lambda: read_ics(data, matcher=matcher, home=home, window=window, name="export.ics"),
    )
    found = [iv for iv in found.events if iv.not_counted is None]  # events listed as not counted
    scans: list[float] = []
    pairs: list[float] = []
    for run in range(args.repeat):  # the scan floor and read_ics alternately
        order = ["floor", "read"] if run % 2 == 0 else ["read", "floor"]
        took: dict[str, float] = {}
        for which in order:
            began = time.perf_counter()
            if which == "floor":
                scan_floor(data)
            else:
                read_ics(data, matcher=matcher, home=home, window=window, name="export.ics")
            took[which] = time.perf_counter() - began
        scans.append(took["floor"])
        pairs.append(took["read"] / took["floor"])
    scan_median = statistics.median(scans)
    assert found == reference, "the scan and a full parse disagree"
    assert [str(i.start.tzinfo) for i in found] == [str(i.start.tzinfo) for i in reference]
    print(f"interview occurrences in the window: {len(found)} (identical to a full parse)")
    print(f"median (lowest-highest) of {args.repeat} runs each")
    print(f"floor  icalendar.Calendar.from_ical, whole file: {spread(floors)} s")
    ratios = [t / f for t, f in zip(tooks, floors, strict=True)]
    print(f"       read_ics: {spread(tooks)} s, ratio {spread(ratios)}")
    print(
        f"scan floor (one regex, icalendar on the candidates): {spread(scans)} s; "
        f"read_ics against it, each run's pair: {spread(pairs)}"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.ics"
        path.write_bytes(data)
        command = [
            sys.executable,
            "-m",
            "followup.cli.main",
            "plan",
            "--from",
            str(path),
            "--now",
            NOW.isoformat(),
        ]
        probe = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            plans = [timed_subprocess(command) for _ in range(max(args.repeat, 1))]
            print(
                f"       followup plan (a process, start to end): {spread(plans)} s, "
                f"ratio to the median floor {spread([p / floor for p in plans])}, "
                f"to the median scan floor {spread([p / scan_median for p in plans])}"
            )
        else:
            print(f"followup plan failed ({probe.returncode}): {probe.stderr.strip()[:200]}")

    imports = [
        timed_subprocess([sys.executable, "-c", "import followup.cli.main"]) for _ in range(5)
    ]
    bare = [timed_subprocess([sys.executable, "-c", "pass"]) for _ in range(5)]
    print(
        f"python -c 'import followup.cli.main': {spread(imports)} s (a bare interpreter: {spread(bare)} s)"
    )
    print(
        "goals: read_ics and followup plan at most 0.5 of the floor; "
        "followup plan at most 2.0x the scan floor"
    )


def timed_subprocess(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - began


if __name__ == "__main__":
    main()
