"""Benchmark: plan and render N interviews against icalendar building the same components.

    python bench/plan_render.py               # N = 10,000
    python bench/plan_render.py --n 1000 --n 10000 --n 100000

The floor is the cost of building and serialising, directly with icalendar,
the same number of equivalent VEVENTs (same properties, a VALARM each, one
VTIMEZONE) from values computed beforehand. The engine does that plus
planning (conditions, timelines, offsets, templates). Both are measured in
the same run; the ratio is what matters, not the seconds.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Alarm, Calendar, Event

from engine.model import Facts, Interview
from engine.pipeline import make_plan
from engine.write.render import describe, render_calendar
from rules.loader import parse_rules, shipped_rules

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=ZONE)


def interviews(n: int) -> list[Interview]:
    out = []
    for i in range(n):
        start = datetime(2026, 12, 1, 9, 0, tzinfo=ZONE) + timedelta(hours=(i * 7) % (24 * 200))
        facts = Facts(
            company=f"Company {i}",
            role="Backend Engineer",
            recruiter_name=f"Dana {i}",
            recruiter_email=f"dana{i}@example.com",
            timeline="2 weeks" if i % 2 else None,
            status="rejected" if i % 10 == 0 else None,
        )
        out.append(
            Interview(
                f"iv-{i}@example.com",
                None,
                f"Interview with Company {i}",
                start,
                start + timedelta(hours=1),
                facts=facts,
            )
        )
    return out


def engine_run(rules: object, items: list[Interview]) -> tuple[int, int]:
    plan = make_plan(rules, items, NOW)  # type: ignore[arg-type]
    data = render_calendar(plan)
    return len(plan.followups), len(data)


def floor_run(values: list[dict[str, object]]) -> int:
    cal = Calendar()
    cal.add("prodid", "-//bench//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    for v in values:
        event = Event()
        event.add("uid", v["uid"])
        event.add("dtstamp", v["dtstamp"])
        event.add("dtstart", v["start"])
        event.add("dtend", v["end"])
        event.add("transp", "TRANSPARENT")
        event.add("summary", v["summary"])
        event.add("description", v["description"])
        event.add("categories", v["categories"])
        event.add("related-to", v["related"])
        event.add("x-followup-rule", v["rule"])
        event.add("x-followup-interview", v["related"])
        if v["url"]:
            event.add("url", v["url"])
        if v["alarm"] is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", v["alarm"])
            alarm.add("description", v["summary"])
            event.add_component(alarm)
        cal.add_component(event)
    cal.add_missing_timezones(
        first_date=datetime(2025, 1, 1).date(), last_date=datetime(2029, 1, 1).date()
    )
    return len(cal.to_ical())


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, action="append", help="interviews (repeatable); default 10000"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = args.n or [10_000]
    text, name = shipped_rules()
    rules = parse_rules(text.replace("timezone: local", "timezone: Europe/Berlin"), name)
    print(
        f"{'interviews':>10} {'follow-ups':>10} {'engine s':>9} {'floor s':>9} {'ratio':>6} {'follow-ups/s':>13} {'us/interview':>12}"
    )
    per_item = []
    for n in sizes:
        items = interviews(n)
        plan = make_plan(rules, items, NOW)
        values = [
            {
                "uid": f.uid,
                "dtstamp": NOW.astimezone(UTC),
                "start": f.start,
                "end": f.end,
                "summary": f.title,
                "description": describe(f),
                "categories": list(f.categories),
                "related": f.interview.uid,
                "rule": f.rule_id,
                "url": f.email.mailto() if f.email else None,
                "alarm": -f.alarm_before if f.alarm_before is not None else None,
            }
            for f in plan.followups
        ]
        count = len(plan.followups)
        engine_s = best(lambda items=items: engine_run(rules, items), args.repeat)
        floor_s = best(lambda values=values: floor_run(values), args.repeat)
        per_item.append(engine_s / n * 1e6)
        print(
            f"{n:>10} {count:>10} {engine_s:>9.3f} {floor_s:>9.3f} {engine_s / floor_s:>6.2f} {count / engine_s:>13,.0f} {engine_s / n * 1e6:>12.1f}"
        )
    if len(per_item) > 1:
        print(
            f"growth: time per interview at the largest N is {per_item[-1] / per_item[0]:.2f}x that at the smallest (1.00 = linear)"
        )


if __name__ == "__main__":
    main()
