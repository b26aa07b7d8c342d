"""How well followup reads calendars as people write them: recall and precision per fact.

Reads the labelled sets in tests/data/labelled (titles.yaml: is it an
interview, company, role; notes.yaml: company, role, recruiter name and email,
the timeline's last day) and runs the same code ``plan`` runs on each entry:

- is an interview: the default policy's `interviews:` matcher on the title;
- company, role: from the title (titles.yaml: interviews and near misses only)
  and from title, notes and organizer together (notes.yaml);
- recruiter name, recruiter email, timeline: from the notes and organizer.

For each fact it prints how many entries a person labels with it, how many
followup read, how many of those are right, recall (right / labelled) and
precision (right / read). A value read where the label is null, or a wrong
value, counts against precision; a wrong value also counts against recall.
Values are compared after casefolding and trimming spaces and ``.,;:``.
It also counts facts read from text that conferencing apps wrote (Zoom,
Teams, Meet, Webex blocks): the goal is none.

Goal: recall >= 95% and precision >= 99% for every fact.

The same is printed for unseen-titles.yaml and unseen-notes.yaml: entries
written after the reader and not used to tune it, an estimate for calendars
followup has not seen (no goal is checked on them).

Then it measures work against size: the inputs that made the old title and
HTML readers cubic and quadratic (long runs of spaces, "<br" without ">",
"(" without ")", addresses without a domain), at 25, 100 and 400 KB, and
prints the time per size and the ratio for each fourfold step (linear: about
4; quadratic: about 16).

    python bench/facts.py [--misses] [--check] [--no-scaling]

``--misses`` lists every wrong or missed value; ``--check`` exits 1 when a
goal is not met.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.pipeline import load_rules, matcher_for  # noqa: E402
from engine.plan.timeline import parse_timeline, unread_warning  # noqa: E402
from engine.plan.timing import WorkCalendar  # noqa: E402
from engine.read.facts import (  # noqa: E402
    Organizer,
    company_from_title,
    extract_facts,
    read_description,
)

LABELLED = ROOT / "tests" / "data" / "labelled"
RECALL_GOAL = 0.95
PRECISION_GOAL = 0.99
INTERVIEW_DAY = date(2026, 12, 1)
INTERVIEW_START, INTERVIEW_END = time(10, 0), time(11, 0)
DEFAULT_ZONE = "Europe/Berlin"
WORKWEEK = WorkCalendar(frozenset(range(5)))
# Lines only conferencing apps write: an entry holding one has boilerplate in it.
CONFERENCING_MARKS = (
    "Microsoft Teams",
    "Join Zoom Meeting",
    "Join with Google Meet",
    "Webex meeting",
)


@dataclass
class Score:
    """Counts for one fact over the labelled set."""

    labelled: int = 0
    read: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, where: str, expected: str | None, got: str | None) -> None:
        if expected is not None:
            self.labelled += 1
        if got is not None:
            self.read += 1
        if expected is not None and got is not None and _same(expected, got):
            self.right += 1
        elif expected is not None or got is not None:
            self.misses.append(f"{where}: expected {expected!r}, read {got!r}")

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.read if self.read else 1.0

    @property
    def meets_goal(self) -> bool:
        return self.recall >= RECALL_GOAL and self.precision >= PRECISION_GOAL


def _same(expected: str, got: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(text.split()).strip(" .,;:").casefold()

    return norm(expected) == norm(got)


def _load(name: str) -> list[dict[str, Any]]:
    data = YAML(typ="safe").load((LABELLED / name).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SystemExit(f"{name}: expected a list of entries")
    return data


def _label(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return None if value is None else str(value)


def _timeline_day(
    text: str | None, zone: ZoneInfo, date_order: str
) -> tuple[str | None, str | None]:
    """The last day of the recruiter's timeline, as the labels write it, and any warning."""
    end = datetime.combine(INTERVIEW_DAY, INTERVIEW_END, zone)
    order = date_order if date_order in ("DMY", "MDY", "YMD") else "auto"
    timeline = parse_timeline(text, end, zone, WORKWEEK, date_order=order)  # type: ignore[arg-type]
    if timeline is None:
        # A sentence about the decision that cannot be read: plan warns about it.
        return None, ("unread-timeline" if text and unread_warning(text) else None)
    last = timeline.deadline.astimezone(zone) - timedelta(microseconds=1)
    warning = "ambiguous-date" if timeline.warning else None
    return last.date().isoformat(), warning


def score_titles(entries: Iterable[dict[str, Any]], scores: dict[str, Score]) -> None:
    matcher = matcher_for(load_rules())
    for entry in entries:
        title = str(entry["title"])
        where = f"title {title!r}"
        expected = "yes" if entry["interview"] else None
        got = "yes" if matcher.matches(title, ()) else None
        scores["is an interview"].add(where, expected, got)
        if entry["interview"] or entry.get("near_miss"):
            company, role = company_from_title(title)
            scores["company"].add(where, _label(entry, "company"), company)
            scores["role"].add(where, _label(entry, "role"), role)


def score_notes(
    entries: Iterable[dict[str, Any]], scores: dict[str, Score], conferencing: Score
) -> None:
    for index, entry in enumerate(entries, start=1):
        title = str(entry["title"])
        notes = str(entry.get("notes") or "")
        where = f"notes #{index} ({title!r})"
        organizer = entry.get("organizer")
        facts = extract_facts(
            title,
            notes,
            Organizer(organizer.get("name"), organizer.get("email")) if organizer else None,
        )
        zone = ZoneInfo(str(entry.get("zone") or DEFAULT_ZONE))
        day, warning = _timeline_day(facts.timeline, zone, str(entry.get("date_order") or "auto"))
        got: dict[str, str | None] = {
            "company": facts.company,
            "role": facts.role,
            "recruiter name": facts.recruiter_name,
            "recruiter email": facts.recruiter_email,
            "timeline": day,
            "warning": warning,
        }
        boilerplate = any(mark in notes for mark in CONFERENCING_MARKS)
        for fact, value in got.items():
            expected = _label(entry, fact.replace(" ", "_"))
            scores[fact].add(where, expected, value)
            if boilerplate and value is not None and expected is None:
                conferencing.add(where + f" {fact}", None, value)


def run(prefix: str = "") -> tuple[dict[str, Score], Score]:
    facts = (
        "is an interview",
        "company",
        "role",
        "recruiter name",
        "recruiter email",
        "timeline",
        "warning",
    )
    scores = {fact: Score() for fact in facts}
    conferencing = Score()
    score_titles(_load(f"{prefix}titles.yaml"), scores)
    score_notes(_load(f"{prefix}notes.yaml"), scores, conferencing)
    return scores, conferencing


def _percent(value: float) -> str:
    return f"{100 * value:5.1f}%"


def report(
    scores: dict[str, Score], conferencing: Score, misses: bool, out: Callable[[str], None]
) -> None:
    out(
        f"{'fact':<16} {'labelled':>8} {'read':>5} {'right':>5} {'recall':>7} {'precision':>9}  goal"
    )
    for fact, score in scores.items():
        out(
            f"{fact:<16} {score.labelled:>8} {score.read:>5} {score.right:>5} "
            f"{_percent(score.recall):>7} {_percent(score.precision):>9}  "
            f"{'met' if score.meets_goal else 'NOT MET'}"
        )
    out(f"facts read from conferencing text: {conferencing.read} (goal: 0)")
    if misses:
        for fact, score in scores.items():
            for miss in score.misses:
                out(f"  {fact}: {miss}")


HOSTILE: dict[str, Callable[[int], str]] = {
    "title: spaces then no separator": lambda n: "Interview " + " " * n + "x",
    "title: ' - ' repeated": lambda n: "a - " * (n // 4),
    "title: '(' never closed": lambda n: "(" * n,
    "title: ' @ ' repeated": lambda n: "Interview @ " * (n // 12),
    "notes: '<br' never closed": lambda n: "<br" * (n // 3),
    "notes: '<br' then one '>'": lambda n: "<br" * (n // 3) + ">",
    "notes: 'a' * n then '@'": lambda n: "a" * n + "@",
    "notes: short lines": lambda n: ("Company x" * 5 + "\n") * (n // 46),
}


def scaling(out: Callable[[str], None]) -> float:
    """Seconds per input at 25, 100 and 400 KB, and the worst fourfold ratio."""
    import time as clock

    sizes = (25_000, 100_000, 400_000)
    out(f"{'input':<34} " + " ".join(f"{n // 1000:>6} KB" for n in sizes) + "   ratio/4x")
    worst = 0.0
    for name, make in HOSTILE.items():
        read = company_from_title if name.startswith("title") else read_description
        times = []
        for n in sizes:
            text = make(n)
            best = float("inf")
            for _ in range(3):
                started = clock.perf_counter()
                read(text)
                best = min(best, clock.perf_counter() - started)
            times.append(best)
        ratios = [b / a for a, b in pairwise(times) if a > 0]
        worst = max(worst, *ratios)
        out(
            f"{name:<34} "
            + " ".join(f"{t * 1000:7.1f}ms" for t in times)
            + "   "
            + " ".join(f"{r:4.1f}" for r in ratios)
        )
    out(f"worst ratio for 4x the size: {worst:.1f} (linear: about 4)")
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--misses", action="store_true", help="list every wrong or missed value")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is not met")
    parser.add_argument("--no-scaling", action="store_true", help="skip the work-against-size part")
    args = parser.parse_args(argv)
    scores, conferencing = run()
    report(scores, conferencing, args.misses, print)
    print("\nUnseen (written after the reader, not used to tune it; no goal is checked):")
    unseen, unseen_conferencing = run("unseen-")
    report(unseen, unseen_conferencing, args.misses, print)
    if not args.no_scaling:
        print()
        scaling(print)
    met = all(score.meets_goal for score in scores.values()) and conferencing.read == 0
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
