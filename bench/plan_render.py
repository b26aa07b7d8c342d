"""Benchmark: plan and render N interviews against icalendar building the same components.

    python bench/plan_render.py               # N = 10,000, 5 runs
    python bench/plan_render.py --n 1000 --n 10000 --runs 5

The floor is the cost of building and serialising, directly with icalendar,
the same number of equivalent VEVENTs (same properties, a VALARM each, one
VTIMEZONE) from values computed beforehand. The engine does that plus
planning (conditions, timelines, offsets, templates). Both are measured in
the same run, alternately, --runs times; the median and the spread (lowest
to highest) of each are printed, and of the ratio of each run's pair. The
ratio is what matters, not the seconds.

The interviews are as a job search has them: about three rounds per company
(so later rounds supersede earlier chains), some with a timeline, some
rejected, and the rules skip Berlin's public holidays on business-day steps.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Alarm, Calendar, Event

from followup.engine.model import Facts, Interview, Reading
from followup.engine.pipeline import make_plan
from followup.engine.write.render import describe, render_calendar
from followup.rules.loader import parse_rules, shipped_rules

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=ZONE)


ROUNDS = 3
"""Interviews per company: the later rounds supersede the chains of the earlier ones."""
HOLIDAYS = "holidays: { country: DE, subdivision: BE }\n"


def interviews(n: int) -> list[Interview]:
    out = []
    companies = max(1, n // ROUNDS)
    for i in range(n):
        start = datetime(2026, 12, 1, 9, 0, tzinfo=ZONE) + timedelta(hours=(i * 7) % (24 * 200))
        company = i % companies
        facts = Facts(
            company=f"Company {company}",
            role="Backend Engineer",
            recruiter_name=f"Dana {company}",
            recruiter_email=f"dana{company}@example.com",
            timeline="2 weeks" if i % 2 else None,
            status="rejected" if i % 10 == 0 else None,
        )
        out.append(
            Interview(
                f"iv-{i}@example.com",
                None,
                f"Interview with Company {company}",
                start,
                start + timedelta(hours=1),
                facts=facts,
            )
        )
    return out


def engine_run(rules: object, items: list[Interview]) -> tuple[int, int]:
    plan = make_plan(rules, Reading(interviews=tuple(items)), NOW)  # type: ignore[arg-type]
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


def timed(fn: object) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t0


def spread(values: list[float], digits: int = 2) -> str:
    """The median, and the lowest and highest value: '1.23 (1.10-1.40)'."""
    med = statistics.median(values)
    return f"{med:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, action="append", help="interviews (repeatable); default 10000"
    )
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs per N (default 5)")
    args = parser.parse_args()
    sizes = args.n or [10_000]
    text, name = shipped_rules()
    text = text.replace("timezone: local", "timezone: Europe/Berlin") + HOLIDAYS
    rules = parse_rules(text, name)
    assert rules.holidays is not None
    print(f"median (lowest-highest) of {args.runs} runs each, engine and floor alternately")
    print(
        f"{'interviews':>10} {'follow-ups':>10} {'engine s':>20} {'floor s':>20} "
        f"{'ratio':>17} {'follow-ups/s':>13} {'ms/interview':>12} {'floor ms/item':>13}"
    )
    per_item = []
    for n in sizes:
        items = interviews(n)
        plan = make_plan(rules, Reading(interviews=tuple(items)), NOW)
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
        engines: list[float] = []
        floors: list[float] = []
        for run in range(args.runs):
            pair = [
                (engines, lambda items=items: engine_run(rules, items)),
                (floors, lambda values=values: floor_run(values)),
            ]
            for into, fn in pair if run % 2 == 0 else pair[::-1]:
                into.append(timed(fn))
        ratios = [e / f for e, f in zip(engines, floors, strict=True)]
        engine_s, floor_s = statistics.median(engines), statistics.median(floors)
        per_item.append((engine_s / n, floor_s / count))
        print(
            f"{n:>10} {count:>10} {spread(engines, 3):>20} {spread(floors, 3):>20} "
            f"{spread(ratios):>17} {count / engine_s:>13,.0f} {engine_s / n * 1e3:>12.2f} "
            f"{floor_s / count * 1e3:>13.3f}"
        )
    if len(per_item) > 1:
        print(
            "growth from the smallest to the largest N, per item (1.00 = linear): "
            f"engine {per_item[-1][0] / per_item[0][0]:.2f}x, "
            f"floor {per_item[-1][1] / per_item[0][1]:.2f}x"
        )


if __name__ == "__main__":
    main()
