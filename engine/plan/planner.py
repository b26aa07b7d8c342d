"""The planner: (rules, interviews, now) -> Plan. Pure: no I/O, no clock of its own.

For every interview that is not cancelled, each rule is tried in dependency
order (a rule anchored on another rule comes after it). A rule produces a
follow-up when its conditions hold, it is not superseded by a later round,
and its anchor exists; otherwise its fallback rule, if it names one, is tried
in its place. Every outcome is recorded as a Decision with its reason and the
steps of its time computation, which ``followup explain`` prints.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from engine.model import Decision, EmailDraft, FollowUp, Interview, Plan, StatusKind, followup_uid
from engine.plan.timeline import Timeline, parse_timeline, status_kind
from engine.plan.timing import WorkCalendar, elapsed, resolve_when, show, wall
from engine.read.facts import company_key, recruiter_domain
from rules.model import Condition, Rule, RuleSet
from rules.templates import render
from rules.zones import UTC_NAMES, local_zone_problem, resolve_zone

ANSWERED: frozenset[StatusKind] = frozenset({"replied", "offer", "rejected", "withdrawn"})


@dataclass(frozen=True, slots=True)
class _Known:
    """What the planner has worked out about one interview."""

    interview: Interview
    start: datetime
    end: datetime
    status: StatusKind
    timeline: Timeline | None
    next_round: Interview | None
    context: dict[str, Any]


def make_plan(rules: RuleSet, interviews: Sequence[Interview], now: datetime) -> Plan:
    """Plan every follow-up for ``interviews`` under ``rules``; ``now`` stamps the plan."""
    near_misses = tuple(iv for iv in interviews if iv.not_counted)
    interviews = [iv for iv in interviews if not iv.not_counted]
    zone, zone_notes = planning_zone(rules.timezone, interviews)
    holidays = rules.holidays
    cal = WorkCalendar.build(
        list(rules.workdays),
        holidays.country if holidays else None,
        holidays.subdivision if holidays else None,
    )
    order = _dependency_order(rules)
    rounds = _rounds_by_company(interviews)
    followups: list[FollowUp] = []
    decisions: list[Decision] = []
    warnings: list[str] = list(zone_notes)
    warnings.extend(near_miss_warning(iv, zone) for iv in near_misses)

    for interview in sorted(interviews, key=lambda iv: (iv.start, iv.uid, iv.recurrence_id or "")):
        if interview.cancelled:
            decisions.extend(
                Decision(interview.key, rule.id, False, "the interview is cancelled")
                for rule in order
            )
            continue
        known = _know(rules, interview, rounds, zone, cal, warnings)
        produced: dict[str, FollowUp] = {}
        for rule in order:
            followup, decision = _try(rules, rule, known, produced, zone, cal)
            decisions.append(decision)
            if followup is None and rule.fallback:
                fallback = rules.rule(rule.fallback)
                followup, fb_decision = _try(rules, fallback, known, produced, zone, cal)
                decisions.append(
                    Decision(
                        fb_decision.interview_key,
                        fb_decision.rule_id,
                        fb_decision.produced,
                        f"as the fallback of {rule.id}: {fb_decision.reason}",
                        fb_decision.trace,
                        fb_decision.followup_uid,
                    )
                )
            if followup is not None:
                produced[rule.id] = followup
                if followup.rule_id != rule.id:
                    produced[followup.rule_id] = followup
                followups.append(followup)

    followups.sort(key=lambda f: (f.start, f.interview.start, f.uid))
    return Plan(
        now=now,
        timezone=zone.key,
        interviews=tuple(sorted(interviews, key=lambda iv: (iv.start, iv.key))),
        followups=tuple(followups),
        decisions=tuple(decisions),
        warnings=tuple(dict.fromkeys(warnings)),
        near_misses=near_misses,
    )


def near_miss_warning(interview: Interview, zone: tzinfo) -> str:
    """One line about an event not counted as an interview: which, why, and how to count it."""
    when = interview.start.astimezone(zone)
    return (
        f"{interview.summary}: not counted as an interview ({when:%a %d %b %Y %H:%M}): "
        f"{interview.not_counted}"
    )


def _dependency_order(rules: RuleSet) -> list[Rule]:
    """Rules that run on their own (not only as a fallback), each after the rules it names."""
    by_id = {rule.id: rule for rule in rules.rules}
    fallbacks = rules.fallback_ids()
    done: list[str] = []
    visiting: set[str] = set()

    def add(rule_id: str) -> None:
        if rule_id in done or rule_id in visiting:
            return
        visiting.add(rule_id)
        for _, ref in by_id[rule_id].references():
            add(ref)
            # A fallback-only rule happens when the rule that names it runs.
            for rule in rules.rules:
                if rule.fallback == ref and rule.id != rule_id:
                    add(rule.id)
        done.append(rule_id)

    for rule in rules.rules:
        add(rule.id)
    return [by_id[rule_id] for rule_id in done if rule_id not in fallbacks]


def planning_zone(
    timezone: str, interviews: Sequence[Interview]
) -> tuple[ZoneInfo, tuple[str, ...]]:
    """The zone to plan in, and what to tell the user about it.

    With ``timezone: local`` on a computer set to UTC, while the interviews
    all carry one other zone (Google's X-WR-TIMEZONE, or one TZID), the
    interviews' zone is meant: "09:00" there, not in UTC.
    """
    zone = resolve_zone(timezone)
    notes: list[str] = []
    if timezone != "local":
        return zone, ()
    problem = local_zone_problem()
    if problem:
        notes.append(problem)
    if zone.key not in UTC_NAMES:
        return zone, tuple(notes)
    keys = {
        str(key)
        for iv in interviews
        if not iv.floating
        and not iv.cancelled
        and (key := getattr(iv.start.tzinfo, "key", None)) is not None
    }
    keys -= UTC_NAMES
    if len(keys) == 1:
        (key,) = keys
        notes.append(
            f"planning in {key}, the zone of your interviews, as this computer is set to UTC; "
            f"set timezone: {key} in your rules to say so, or another zone to change it"
        )
        return ZoneInfo(key), tuple(notes)
    return zone, tuple(notes)


def _know(
    rules: RuleSet,
    interview: Interview,
    rounds: dict[str, list[Interview]],
    zone: tzinfo,
    cal: WorkCalendar,
    warnings: list[str],
) -> _Known:
    facts = interview.facts
    start, end = interview.start.astimezone(zone), interview.end.astimezone(zone)
    if interview.all_day:
        # An all-day interview's dates are wall dates: read them where the reader put them.
        first_hour, last_hour = rules.interviews.all_day_hours
        first_day, end_day = interview.start.date(), interview.end.date()
        last_day = end_day - timedelta(days=1) if end_day > first_day else first_day
        start, end = wall(first_day, first_hour, zone), wall(last_day, last_hour, zone)
    status, understood = status_kind(facts.status)
    if not understood:
        warnings.append(
            f"{interview.summary}: status {facts.status!r} not understood; treated as pending"
        )
    timeline = parse_timeline(
        facts.timeline, end, zone, cal, date_order=rules.interviews.date_order
    )
    if timeline is not None and timeline.warning:
        warnings.append(f"{interview.summary}: {timeline.warning}")
    if facts.timeline and timeline is None:
        warnings.append(
            f"{interview.summary}: timeline {facts.timeline!r} not understood; "
            "using the policy's default window"
        )
    next_round = _next_round(interview, rounds)
    recruiter = facts.recruiter_name or facts.recruiter_email
    context: dict[str, Any] = {
        "company": facts.company,
        "role": facts.role,
        "recruiter": recruiter,
        "recruiter_name": facts.recruiter_name,
        "recruiter_first_name": facts.recruiter_name.split()[0] if facts.recruiter_name else None,
        "recruiter_email": facts.recruiter_email,
        "timeline": facts.timeline,
        "status": status,
        "highlights": facts.highlights,
        "fit": facts.fit,
        "note": facts.note,
        "interview_title": interview.summary,
        "interview_date": _day(start.date()),
        "interview_time": None if interview.all_day else f"{start:%H:%M}",
        "location": interview.location,
    }
    return _Known(interview, start, end, status, timeline, next_round, context)


def _rounds_by_company(interviews: Sequence[Interview]) -> dict[str, list[Interview]]:
    """Interviews that are not cancelled, by application, in order of start.

    Two interviews are rounds of one application when their companies match
    once case and legal form are left out ("Acme", "Acme Corp"), or when
    their recruiters write from one company's mail domain. Each interview
    is filed under its own key; keys of linked interviews share one list.
    """
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[key] != root:  # path halving keeps later finds short
            parent[key], key = root, parent[key]
        return root

    members: list[tuple[Interview, list[str]]] = []
    for interview in interviews:
        if interview.cancelled:
            continue
        keys = [f"c:{k}" for k in [company_key(interview.facts.company)] if k]
        keys += [f"d:{d}" for d in [recruiter_domain(interview.facts.recruiter_email)] if d]
        if not keys:
            continue
        for key in keys[1:]:
            parent[find(key)] = find(keys[0])
        members.append((interview, keys))
    groups: dict[str, list[Interview]] = {}
    for interview, keys in members:
        groups.setdefault(find(keys[0]), []).append(interview)
    for group in groups.values():
        group.sort(key=lambda iv: (iv.start, iv.key))
    rounds: dict[str, list[Interview]] = {}
    for interview, keys in members:
        rounds[interview.key] = groups[find(keys[0])]
    return rounds


def _next_round(interview: Interview, rounds: dict[str, list[Interview]]) -> Interview | None:
    """The first later interview of the same application.

    A later instance of the same series counts: the days of a two-day onsite
    are rounds of one application, with one status check after the last.
    """
    group = rounds.get(interview.key)
    if not group:
        return None
    first_later = bisect_right(group, interview.start, key=lambda iv: iv.start)
    return next((iv for iv in group[first_later:] if iv.key != interview.key), None)


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _holds(condition: Condition, known: _Known) -> tuple[bool, str]:
    """Whether every part of a condition holds, and the part that decided it."""
    facts = known.interview.facts
    values = {
        "company": facts.company,
        "role": facts.role,
        "recruiter": facts.recruiter_name or facts.recruiter_email,
        "recruiter_email": facts.recruiter_email,
        "timeline": known.timeline,
        "highlights": facts.highlights,
        "fit": facts.fit,
    }
    for name, value in values.items():
        wanted = getattr(condition, name)
        if wanted is None:
            continue
        present = value is not None
        if present != (wanted == "known"):
            return False, f"{name} is {'known' if present else 'unknown'}"
    statuses = condition.statuses()
    if statuses:
        kinds = {known.status} | ({"answered"} if known.status in ANSWERED else set())
        if not kinds & set(statuses):
            return False, f"status is {known.status}"
        return True, f"status is {known.status}"
    return True, "facts match"


def _try(
    rules: RuleSet,
    rule: Rule,
    known: _Known,
    produced: dict[str, FollowUp],
    zone: tzinfo,
    cal: WorkCalendar,
) -> tuple[FollowUp | None, Decision]:
    interview = known.interview

    def skip(reason: str, trace: tuple[str, ...] = ()) -> tuple[None, Decision]:
        return None, Decision(interview.key, rule.id, False, reason, trace)

    if rule.superseded_by_next_round and known.next_round is not None:
        nxt = known.next_round
        return skip(
            f"superseded by the next round: {nxt.summary} on {show(nxt.start.astimezone(zone))}"
        )
    if rule.if_ is not None:
        holds, why = _holds(rule.if_, known)
        if not holds:
            return skip(f"its condition does not hold: {why}")
    if rule.unless is not None:
        holds, why = _holds(rule.unless, known)
        if holds:
            return skip(f"its 'unless' holds: {why}")

    anchor, anchor_trace = _anchor(rule.when.from_, known, produced)
    if anchor is None:
        return skip(anchor_trace)
    workdays_only = (
        rules.defaults.workdays_only if rule.workdays_only is None else rule.workdays_only
    )
    start, steps = resolve_when(anchor, rule.when, zone, cal, workdays_only)
    trace = [anchor_trace, *steps]
    due: datetime | None = None
    if rule.due is not None:
        due_anchor, due_anchor_trace = _anchor(rule.due.from_, known, produced)
        if due_anchor is None:
            return skip(f"its due time: {due_anchor_trace}", tuple(trace))
        due, due_steps = resolve_when(due_anchor, rule.due, zone, cal, workdays_only)
        trace += [f"due: {due_anchor_trace}", *(f"due: {s}" for s in due_steps)]
        if due < start:
            due = start

    kind = rule.kind or rules.defaults.kind
    if rule.all_day:
        start = wall(start.date(), start.time().replace(hour=0, minute=0), zone)
        end = wall(start.date() + timedelta(days=1), start.time(), zone)
    else:
        end = elapsed(start, (rule.duration or rules.defaults.duration).as_timedelta(), zone)
    context = {
        **known.context,
        "step_date": _day(start.date()),
        "step_time": None if rule.all_day else f"{start:%H:%M}",
        "due_date": _day(due.date()) if due else None,
    }
    title = " ".join(render(rule.title, context).split())
    description = render(rule.description, context)
    email = None
    if rule.email is not None:
        email = EmailDraft(
            to=render(rule.email.to, context) or None,
            subject=" ".join(render(rule.email.subject, context).split()),
            body=render(rule.email.body, context),
        )
    uid = followup_uid(interview.uid, interview.recurrence_id, rule.id)
    followup = FollowUp(
        uid=uid,
        rule_id=rule.id,
        interview=interview,
        kind=kind,
        start=start,
        end=end,
        due=due,
        all_day=rule.all_day,
        title=title,
        description=description,
        categories=tuple(
            rule.categories if rule.categories is not None else rules.defaults.categories
        ),
        alarm_before=rule.alarm.before.as_timedelta() if rule.alarm else None,
        email=email,
        trace=tuple(trace),
    )
    reason = "planned for " + show(start) + (f", due {show(due)}" if due else "")
    return followup, Decision(interview.key, rule.id, True, reason, tuple(trace), uid)


def _anchor(name: str, known: _Known, produced: dict[str, FollowUp]) -> tuple[datetime | None, str]:
    if name == "start":
        return known.start, f"the interview starts {show(known.start)}"
    if name == "end":
        return known.end, f"the interview ends {show(known.end)}"
    if name == "timeline":
        if known.timeline is None:
            said = known.interview.facts.timeline
            if said:
                return None, f"the timeline {said!r} could not be read"
            return None, "no timeline is known"
        return known.timeline.deadline, f"the recruiter's timeline: {known.timeline.explanation}"
    other = produced.get(name)
    if other is None:
        return None, f"rule {name} planned nothing for this interview"
    return other.start, f"{name} is at {show(other.start)}"
