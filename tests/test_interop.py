"""Independent parsers agree with icalendar on every follow-up's UTC instant.

vobject and ical.js (the parser Thunderbird uses, run with node) read the
rendered calendar; for each item, DTSTART and DTEND or DUE must be the same
instants icalendar sees, for interviews in winter and in summer, from UTC,
Outlook's Windows zone names, all-day and floating times, rendered for
Berlin and for New York, as events and as todos.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from followup.engine.pipeline import make_plan, read_ics
from followup.engine.write.render import RenderOptions, render_calendar
from tests.conftest import DATA, ROOT, at, default_rules

INSTANTS_JS = ROOT / "tests" / "js" / "instants.mjs"


def instant(value: object) -> str:
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "follow-ups are never floating"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert isinstance(value, date)
    return value.isoformat()


def by_icalendar(data: bytes) -> dict[str, dict[str, str]]:
    out = {}
    for item in icalendar.Calendar.from_ical(data).walk():
        if item.name in ("VEVENT", "VTODO"):
            entry = {"start": instant(item["DTSTART"].dt)}
            for key in ("DTEND", "DUE"):
                if key in item:
                    entry["end" if key == "DTEND" else "due"] = instant(item[key].dt)
            out[str(item["UID"])] = entry
    return out


def by_vobject(data: bytes) -> dict[str, dict[str, str]]:
    out = {}
    cal = vobject.readOne(data.decode())
    for name in ("vevent", "vtodo"):
        for item in cal.contents.get(name, []):
            entry = {"start": instant(item.dtstart.value)}
            if hasattr(item, "dtend"):
                entry["end"] = instant(item.dtend.value)
            if hasattr(item, "due"):
                entry["due"] = instant(item.due.value)
            out[item.uid.value] = entry
    return out


def by_ical_js(path: Path) -> dict[str, dict[str, str]]:
    result = subprocess.run(
        ["node", str(INSTANTS_JS), str(path)], capture_output=True, text=True, check=True
    )
    out = {}
    for uid, entry in json.loads(result.stdout).items():
        out[uid] = {k: v.replace(".000Z", "Z") for k, v in entry.items()}
    return out


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
@pytest.mark.parametrize("kind", [None, "todo"])
def test_three_parsers_agree_on_every_instant(tmp_path: Path, zone: str, kind: str | None) -> None:
    rules = default_rules(zone)
    now = at(zone, 2027, 1, 5)
    window_data = (DATA / "core" / "seasons.ics").read_bytes()
    from followup.engine.model import Window

    window = Window(since=at(zone, 2027, 1, 1), until=at(zone, 2027, 12, 31))
    plan = make_plan(rules, read_ics(window_data, rules=rules, now=now, window=window), now)
    data = render_calendar(plan, RenderOptions(force_kind=kind))  # type: ignore[arg-type]
    path = tmp_path / "followups.ics"
    path.write_bytes(data)

    mine = by_icalendar(data)
    assert len(mine) == len(plan.followups) >= 25
    months = {entry["start"][5:7] for entry in mine.values()}
    assert {"01", "07"} <= months, "winter and summer are both covered"
    assert by_vobject(data) == mine
    assert by_ical_js(path) == mine


def test_the_instants_are_the_planned_ones() -> None:
    rules = default_rules("America/New_York")
    now = at("America/New_York", 2027, 7, 1)
    plan = make_plan(
        rules, read_ics((DATA / "core" / "seasons.ics").read_bytes(), rules=rules, now=now), now
    )
    tailspin = {
        f.rule_id: f for f in plan.followups if f.interview.uid == "summer-eastern@example.com"
    }
    # 15:00-16:00 EDT in Outlook's "Eastern Standard Time"; timeline "by July 30".
    assert tailspin["appraise"].start == at("America/New_York", 2027, 7, 15, 16, 45)
    # The morning after July 30 is Saturday the 31st: the check waits for Monday.
    assert tailspin["status-check"].start == at("America/New_York", 2027, 8, 2, 9, 0)
    data = by_icalendar(render_calendar(plan))
    assert data[tailspin["appraise"].uid]["start"] == "2027-07-15T20:45:00Z"
