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

Then it reads the labelled calendars of one recognition set
(tests/data/recognition/NAME/, see its README.md; ``--set``, default dev) as
``plan`` reads them (the default rules in each calendar's zone, its owner's
addresses, a window from October 2026 to February 2027) and prints, per class
and kind and per language: interviews counted / asked / missed, look-alikes
counted (false counts) / asked / ignored, and whether the company, the address
a thank-you goes to (write_to) and the timeline's last day (where labelled)
were read right, against the goals: interviews counted >= 95%, counted or
asked 100%, false counts <= 2% of look-alikes, company, write_to >= 95%,
timeline >= 90%. Only totals are printed unless ``--misses`` is given.

    python bench/facts.py [--set NAME] [--misses] [--check] [--check-set] [--no-scaling]

``--misses`` lists every wrong or missed value; ``--check`` exits 1 when a
goal of the labelled facts is not met, ``--check-set`` when one of the
recognition set is not.
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

from followup.engine.model import Interview, Window  # noqa: E402
from followup.engine.pipeline import load_rules, matcher_for, read_ics  # noqa: E402
from followup.engine.plan.timeline import parse_timeline, region_date_order, unread_warning  # noqa: E402
from followup.engine.plan.timing import WorkCalendar  # noqa: E402
from followup.engine.read.facts import (  # noqa: E402
    Organizer,
    company_from_title,
    extract_facts,
    read_description,
)

LABELLED = ROOT / "tests" / "data" / "labelled"
RECOGNITION = ROOT / "tests" / "data" / "recognition"
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


# --- recognition sets: whole labelled calendars ---------------------------------------------

SET_WINDOW = Window(
    since=datetime(2026, 10, 1, tzinfo=ZoneInfo("UTC")),
    until=datetime(2027, 3, 1, tzinfo=ZoneInfo("UTC")),
)
"""The window of tests/data/recognition/README.md: October 2026 to February 2027."""
SET_NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
GOALS = {
    "counted": 0.95,
    "counted or asked": 1.0,
    "false counts": 0.02,
    "company": 0.95,
    "write_to": 0.95,
    "timeline": 0.90,
}
_RANK = {"missed": 0, "ignored": 0, "asked": 1, "counted": 2}


@dataclass
class Tally:
    """Counts for one group of labelled events (a class and kind, a language, all)."""

    interviews: int = 0
    counted: int = 0
    asked: int = 0
    missed: int = 0
    lookalikes: int = 0
    false_counts: int = 0
    lookalikes_asked: int = 0
    ignored: int = 0
    company: list[bool] = field(default_factory=list)
    write_to: list[bool] = field(default_factory=list)
    timeline: list[bool] = field(default_factory=list)


@dataclass
class SetResult:
    groups: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    calendars: int = 0
    unlabelled: int = 0

    def tally(self, name: str) -> Tally:
        return self.groups.setdefault(name, Tally())


def _norm(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split()).strip(" .,;:").casefold()
    return text or None


# The legal forms a company label leaves out (tests/data/recognition/README.md, "How a
# company is labelled"), written without dots and spaces: "S.p.A." is "spa", "sp. z o.o." "spzoo".
_LEGAL_FORMS = frozenset(
    [
        "inc",
        "corp",
        "corporation",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "co",
        "gmbh",
        "ag",
        "kg",
        "ug",
        "se",
        "sa",
        "sas",
        "sarl",
        "sl",
        "slu",
        "spa",
        "srl",
        "bv",
        "nv",
        "vof",
        "oy",
        "oyj",
        "ab",
        "as",
        "aps",
        "asa",
        "kk",
        "pty",
        "pvt",
        "lda",
        "ltda",
        "spzoo",
    ]
)


def _company(value: object) -> str | None:
    """A company name compared in any case, with a legal form at its end dropped."""
    text = _norm(value)
    if text is None:
        return None
    words = text.replace(",", " ").split()
    for cut in (3, 2, 1):  # "sp. z o.o." is three words, "s.p.a." one
        if len(words) > cut and "".join(words[-cut:]).replace(".", "") in _LEGAL_FORMS:
            words = words[:-cut]
            break
    while len(words) > 1 and words[-1] in ("&", "and", "+"):
        words = words[:-1]  # "Fennimore & Co." is "Fennimore"
    return " ".join(words).strip(" .") or text


def _outcome(found: list[Interview]) -> tuple[str, Interview | None]:
    """The best outcome among an event's occurrences (a series: any day counted counts)."""
    best, chosen = "missed", None
    for iv in found:
        outcome = iv.verdict.outcome if iv.not_counted is None else "asked"
        if iv.not_counted is not None and iv.verdict.outcome == "ignored":
            outcome = "ignored"
        if chosen is None or _RANK[outcome] > _RANK[best]:
            best, chosen = outcome, iv
    return best, chosen


def _timeline_last_day(iv: Interview, zone: ZoneInfo, order: str) -> str | None:
    rules_order = order if order in ("DMY", "MDY", "YMD") else region_date_order(zone)
    timeline = parse_timeline(
        iv.facts.timeline,
        iv.end,
        zone,
        WORKWEEK,
        date_order=rules_order,  # type: ignore[arg-type]
    )
    if timeline is None:
        return None
    last = timeline.deadline.astimezone(zone) - timedelta(microseconds=1)
    return last.date().isoformat()


def _titles(data: bytes) -> dict[tuple[str, str | None], str]:
    """Each event's SUMMARY as written, by (UID, RECURRENCE-ID value), for --misses."""
    from followup.engine.read.scan import name_of, scan, unescape, value_of

    titles: dict[tuple[str, str | None], str] = {}
    for block in scan(data, "set").events():
        rid = next((value_of(t) for t in block.texts() if name_of(t) == "RECURRENCE-ID"), None)
        if block.uid is not None and block.summaries:
            titles[(block.uid, rid)] = unescape(block.summaries[0])
    return titles


def score_set(name: str) -> SetResult:
    """Read every labelled calendar of a recognition set as ``plan`` reads it."""
    folder = RECOGNITION / name
    if not folder.is_dir():
        raise SystemExit(f"no recognition set {name!r}: expected a folder {folder}")
    result = SetResult()
    base = load_rules()
    for labels_path in sorted(folder.glob("*.yaml")):
        ics = labels_path.with_suffix(".ics")
        if not ics.is_file():
            continue
        labels = YAML(typ="safe").load(labels_path.read_text(encoding="utf-8"))
        calendar = labels.get("calendar") or {}
        zone_name = str(calendar.get("zone") or DEFAULT_ZONE)
        zone = ZoneInfo(zone_name)
        owners = [str(a) for a in calendar.get("owner") or []]
        rules = base.model_copy(update={"timezone": zone_name})
        found = read_ics(
            ics.read_bytes(),
            rules=rules,
            now=SET_NOW,
            window=SET_WINDOW,
            name=ics.name,
            owners=owners,
        )
        result.calendars += 1
        titles = _titles(ics.read_bytes())
        by_uid: dict[tuple[str, str | None], list[Interview]] = {}
        for iv in found.events:
            by_uid.setdefault((iv.uid, iv.recurrence_id), []).append(iv)
            if iv.recurrence_id is not None:  # a series' master label stands for every day
                by_uid.setdefault((iv.uid, None), []).append(iv)
        overridden = {
            (str(e["uid"]), str(e["recurrence_id"]))
            for e in labels.get("events") or []
            if e.get("recurrence_id")
        }
        for event in labels.get("events") or []:
            uid = str(event["uid"])
            rid = str(event["recurrence_id"]) if event.get("recurrence_id") else None
            occurrences = [
                iv
                for iv in by_uid.get((uid, rid), [])
                if rid is not None or (uid, iv.recurrence_id) not in overridden
            ]
            title = titles.get((uid, rid)) or titles.get((uid, None)) or "?"
            _score_event(result, labels_path.stem, event, occurrences, zone, rules, title)
    return result


def _score_event(
    result: SetResult,
    calendar: str,
    event: dict[str, Any],
    occurrences: list[Interview],
    zone: ZoneInfo,
    rules: Any,
    written: str,
) -> None:
    klass = str(event.get("class") or "")
    kind = str(event.get("kind") or "other")
    language = str(event.get("language") or "?")
    where = f"{calendar}: {str(event.get('uid'))[-12:]}"
    outcome, iv = _outcome(occurrences)
    title = iv.summary if iv is not None else f"{written} (not read)"
    groups = [
        result.tally("all"),
        result.tally(f"{klass} {kind}"),
        result.tally(f"lang {language}"),
    ]
    if klass == "interview":
        for tally in groups:
            tally.interviews += 1
            if outcome == "counted":
                tally.counted += 1
            elif outcome == "asked":
                tally.asked += 1
            else:
                tally.missed += 1
        if outcome != "counted":
            result.misses.append(f"{where}: interview {outcome}: {title!r}")
        if iv is None:
            return
        checks = [
            ("company", _company(event.get("company")), _company(iv.facts.company)),
            ("write_to", _norm(event.get("write_to")), _norm(iv.facts.recruiter_email)),
        ]
        if event.get("timeline"):
            day = _timeline_last_day(iv, zone, rules.interviews.date_order)
            checks.append(("timeline", _norm(event.get("timeline")), day))
        for fact, expected, got in checks:
            right = expected == got
            for tally in groups:
                getattr(tally, fact).append(right)
            if not right:
                result.misses.append(
                    f"{where}: {fact} expected {expected!r}, read {got!r} ({title!r})"
                )
    elif klass == "look-alike":
        for tally in groups:
            tally.lookalikes += 1
            if outcome == "counted":
                tally.false_counts += 1
            elif outcome == "asked":
                tally.lookalikes_asked += 1
            else:
                tally.ignored += 1
        if outcome == "counted":
            result.misses.append(f"{where}: look-alike {kind} counted: {title!r}")
    else:
        result.unlabelled += 1


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _rate(values: list[bool]) -> str:
    return (
        f"{100 * sum(values) / len(values):5.1f}% of {len(values):<3}" if values else "    -       "
    )


def report_set(name: str, result: SetResult, misses: bool, out: Callable[[str], None]) -> bool:
    """Print the figures of one recognition set; True when every goal is met."""
    out(f"Recognition set {name!r}: {result.calendars} calendars")
    out(
        f"{'group':<26} {'ivs':>4} {'counted':>8} {'asked':>6} {'missed':>6}"
        f" {'looks':>5} {'false':>6} {'asked':>6} {'ignored':>7}"
        f"  {'company':<12} {'write_to':<12} {'timeline':<12}"
    )
    order = sorted(result.groups, key=lambda g: (g != "all", g.startswith("lang"), g))
    for group in order:
        t = result.groups[group]
        out(
            f"{group:<26} {t.interviews:>4} {_share(t.counted, t.interviews):>8}"
            f" {t.asked:>6} {t.missed:>6} {t.lookalikes:>5}"
            f" {_share(t.false_counts, t.lookalikes):>6} {t.lookalikes_asked:>6} {t.ignored:>7}"
            f"  {_rate(t.company):<12} {_rate(t.write_to):<12} {_rate(t.timeline):<12}"
        )
    total = result.groups.get("all", Tally())
    figures = {
        "counted": total.counted / total.interviews if total.interviews else 1.0,
        "counted or asked": (total.counted + total.asked) / total.interviews
        if total.interviews
        else 1.0,
        "false counts": total.false_counts / total.lookalikes if total.lookalikes else 0.0,
        "company": sum(total.company) / len(total.company) if total.company else 1.0,
        "write_to": sum(total.write_to) / len(total.write_to) if total.write_to else 1.0,
        "timeline": sum(total.timeline) / len(total.timeline) if total.timeline else 1.0,
    }
    met_all = True
    for goal, floor in GOALS.items():
        value = figures[goal]
        met = value <= floor if goal == "false counts" else value >= floor
        met_all &= met
        sign = "<=" if goal == "false counts" else ">="
        out(
            f"  {goal:<17} {100 * value:5.1f}%  goal {sign} {100 * floor:.0f}%  "
            f"{'met' if met else 'NOT MET'}"
        )
    if result.unlabelled:
        out(f"  {result.unlabelled} events with a class that is neither interview nor look-alike")
    if misses:
        for line in result.misses:
            out(f"  {line}")
    return met_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--misses", action="store_true", help="list every wrong or missed value")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a goal of the labelled facts is not met"
    )
    parser.add_argument(
        "--check-set",
        action="store_true",
        help="exit 1 when a goal of the recognition set is not met",
    )
    parser.add_argument("--no-scaling", action="store_true", help="skip the work-against-size part")
    parser.add_argument(
        "--set", default="dev", help="the recognition set: tests/data/recognition/NAME/"
    )
    args = parser.parse_args(argv)
    scores, conferencing = run()
    report(scores, conferencing, args.misses, print)
    print("\nUnseen (written after the reader, not used to tune it; no goal is checked):")
    unseen, unseen_conferencing = run("unseen-")
    report(unseen, unseen_conferencing, args.misses, print)
    print()
    set_met = report_set(args.set, score_set(args.set), args.misses, print)
    if not args.no_scaling:
        print()
        scaling(print)
    met = all(score.meets_goal for score in scores.values()) and conferencing.read == 0
    failed = (args.check and not met) or (args.check_set and not set_met)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
