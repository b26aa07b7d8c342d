"""Why each follow-up is where it is: a plan's decisions, per interview, as text and as data.

Pure: the planner has already recorded, for every (interview, rule), whether
the rule produced a follow-up, the reason, and the steps of its time
computation. This module arranges them for people (``explanation_text``) and
for scripts (``explanation_data``), and adds where each fact came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from itertools import pairwise
from typing import Any

from followup.engine.model import Decision, Facts, FollowUp, Interview, Plan
from followup.engine.questions import answer_command, question, rules_fix
from followup.rules.zones import resolve_zone

SOURCES = {
    "DESCRIPTION": "from the event's notes",
    "SUMMARY": "from the event's title",
    "ORGANIZER": "from the event's organizer",
    "mark": "recorded with `followup mark`",
}

_ZONE_AT_END = re.compile(r"\d{2}:\d{2} (\S+)$")

_FALLBACK = re.compile(r"^as the fallback of ([a-z][a-z0-9-]*): ")


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    value: str
    source: str | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rule's decision for one interview, with the follow-up it produced."""

    decision: Decision
    followup: FollowUp | None
    fallback_of: str | None
    reason: str
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    interview: Interview
    facts: tuple[Fact, ...]
    outcomes: tuple[Outcome, ...]
    warnings: tuple[str, ...]
    read: tuple[str, ...] = ()
    """What the reader said about this event (a series cut at the cap, say): on standard
    error under the text, as every command shows it, and in the JSON's warnings."""


def explain(plan: Plan, interviews: Sequence[Interview] | None = None) -> list[Explanation]:
    """The explanation of each interview (default: every interview in the plan), in plan order."""
    chosen = {iv.key for iv in (plan.interviews if interviews is None else interviews)}
    by_uid = {f.uid: f for f in plan.followups}
    by_key: dict[str, list[Decision]] = {}
    for decision in plan.decisions:  # one pass: linear in the plan's size
        by_key.setdefault(decision.interview_key, []).append(decision)
    result = []
    for interview in plan.interviews:
        if interview.key not in chosen:
            continue
        outcomes = tuple(
            _outcome(interview, decision, by_uid, plan.timezone)
            for decision in by_key.get(interview.key, ())
        )
        warnings = tuple(w for w in plan.warnings if w.startswith(f"{interview.summary}: "))
        read = tuple(f"{interview.summary}: {w}" for w in interview.warnings)
        result.append(Explanation(interview, facts_of(interview.facts), outcomes, warnings, read))
    return result


def facts_of(facts: Facts) -> tuple[Fact, ...]:
    """The known facts, in the order people think of them, with where each came from."""
    recruiter = facts.recruiter_name
    if facts.recruiter_email:
        recruiter = f"{recruiter} <{facts.recruiter_email}>" if recruiter else facts.recruiter_email
    recruiter_source = facts.source_of("recruiter_name") or facts.source_of("recruiter_email")
    rows = [
        ("company", facts.company, facts.source_of("company")),
        ("role", facts.role, facts.source_of("role")),
        ("recruiter", recruiter, recruiter_source),
        ("timeline", facts.timeline, facts.source_of("timeline")),
        ("status", facts.status, facts.source_of("status")),
        ("highlights", facts.highlights, facts.source_of("highlights")),
        ("fit", facts.fit, facts.source_of("fit")),
        ("note", facts.note, facts.source_of("note")),
        ("interviewers", _people(facts), facts.source_of("interviewers")),
        ("booked by", facts.booked_by, facts.source_of("booked_by")),
        ("language", facts.language, facts.source_of("language")),
    ]
    return tuple(Fact(name, value, source) for name, value, source in rows if value)


def _people(facts: Facts) -> str | None:
    """The interviewers as people read them: "Sam Lee <sam@globex.com>, Kim Park"."""
    shown = [
        f"{p.name} <{p.email}>" if p.name and p.email else p.name or p.email or ""
        for p in facts.interviewers
    ]
    return ", ".join(s for s in shown if s) or None


def _outcome(
    interview: Interview, decision: Decision, by_uid: dict[str, FollowUp], zone: str
) -> Outcome:
    followup = by_uid.get(decision.followup_uid or "")
    fallback = _FALLBACK.match(decision.reason)
    reason = decision.reason[fallback.end() :] if fallback else decision.reason
    if "status is " in reason:
        reason += f" ({_status_origin(interview.facts)})"
    steps = decision.trace
    change = _clock_change(interview, steps, resolve_zone(zone))
    if change:
        steps = (*steps, change)
    return Outcome(decision, followup, fallback.group(1) if fallback else None, reason, steps)


def chain_stop(plan: Plan, interview: Interview) -> str | None:
    """Why an interview's chain ends early (an answer, a next round), or None if it runs on."""
    for decision in plan.decisions:
        if decision.interview_key != interview.key or decision.produced:
            continue
        if decision.reason.startswith("superseded by the next round"):
            return decision.reason
        if decision.reason.startswith("the policy stops here: "):
            return decision.reason.removeprefix("the policy stops here: ")
        if "holds: status is " in decision.reason:
            status = decision.reason.rsplit("status is ", 1)[1]
            return f"the status is {status} ({_status_origin(interview.facts)})"
    return None


def _status_origin(facts: Facts) -> str:
    if facts.status is None:
        return "no Status line in the event"
    if facts.source_of("status") == "mark":
        return "recorded with `followup mark`"
    return f"the event says Status: {facts.status}"


def _clock_change(interview: Interview, steps: tuple[str, ...], zone: tzinfo) -> str | None:
    """A note when daylight saving time starts or ends along a step's computation.

    The zone abbreviations the steps end with (CET, CEST) tell. A timeline
    counts from the end of the interview, so that is where its chain starts.
    """
    changes: list[tuple[str, str]] = []
    for chain in (
        [s for s in steps if not s.startswith("due: ")],
        [s.removeprefix("due: ") for s in steps if s.startswith("due: ")],
    ):
        names = [m.group(1) for step in chain if (m := _ZONE_AT_END.search(step))]
        if chain and chain[0].startswith("the recruiter's timeline"):
            names.insert(0, f"{interview.end.astimezone(zone):%Z}")
        changes += [(a, b) for a, b in pairwise(names) if a != b]
    if not changes:
        return None
    return (
        f"the clocks change in between ({changes[0][0]} -> {changes[0][1]}): "
        "times of day stay on the wall clock"
    )


# ---------------------------------------------------------------- as text ----


def explanation_text(
    plan: Plan,
    explanations: Sequence[Explanation],
    near_misses: Sequence[Interview] = (),
    ignored: Sequence[Interview] = (),
) -> str:
    """For people: each interview, its facts, then every rule's outcome and time steps;
    then the events in ``near_misses``: not counted as interviews, why, how to count them
    and the command that answers; then those in ``ignored`` the user answered no for."""
    missed = _near_misses_text(near_misses, plan.timezone) + _ignored_text(ignored, plan.timezone)
    if not explanations:
        return missed or "No interviews found in the planning window.\n"
    blocks = [_interview_text(e) for e in explanations]
    footer = f"Times in {plan.timezone}; planned as of {plan.now:%a %Y-%m-%d %H:%M %Z}.\n"
    return "\n".join(blocks) + "\n" + footer + ("\n" + missed if missed else "")


def _line(text: str) -> str:
    """``text`` on one line: an event's title or UID with line breaks adds no line that
    reads as followup's own (a fake warning, a command to paste)."""
    return " ".join(text.splitlines())


def _near_misses_text(near_misses: Sequence[Interview], zone: str) -> str:
    if not near_misses:
        return ""
    lines = ["Not counted as interviews:"]
    for iv in near_misses:
        when = iv.start.astimezone(resolve_zone(zone))
        lines.append(_line(f"  {iv.summary} ({when:%a %d %b %Y %H:%M}), UID {iv.key}"))
        lines.append(f"    {iv.not_counted or '; '.join(iv.verdict.reasons)}")
        lines.append(f"    {question(iv)}")
    return "\n".join(lines) + "\n"


def _ignored_text(ignored: Sequence[Interview], zone: str) -> str:
    if not ignored:
        return ""
    lines = ["Ignored, as you answered (not interviews):"]
    for iv in ignored:
        when = iv.start.astimezone(resolve_zone(zone))
        lines.append(_line(f"  {iv.summary} ({when:%a %d %b %Y %H:%M}), UID {iv.key}"))
        lines.append(f"    to be asked again: `{answer_command(iv.uid, 'forget')}`")
    return "\n".join(lines) + "\n"


def _interview_text(explanation: Explanation) -> str:
    iv = explanation.interview
    lines = [_line(iv.summary)]
    start, end = iv.start, iv.end.astimezone(iv.start.tzinfo)
    when = (
        f"{start:%a %d %b %Y} (all day)"
        if iv.all_day
        else f"{start:%a %d %b %Y %H:%M}-{end:%H:%M %Z}"
    )
    lines.append(_line(f"  {when}, UID {iv.key}"))
    if iv.verdict.reasons:
        lines.append(f"  why an interview: {'; '.join(iv.verdict.reasons[:3])}")
    if iv.cancelled:
        lines.append("  cancelled: no follow-ups")
    width = max((len(f.name) for f in explanation.facts), default=0)
    for fact in explanation.facts:
        origin = f"  ({SOURCES.get(fact.source or '', fact.source)})" if fact.source else ""
        value = " / ".join(fact.value.splitlines())
        lines.append(f"  {fact.name:<{width}}  {value}{origin}")
    if not explanation.facts and not iv.cancelled:
        lines.append("  no facts found in the event (add lines such as 'Company: ACME')")
    if iv.verdict.answered:
        lines.append(
            "  counted: you answered that it is an interview "
            f"(`{answer_command(iv.uid, 'forget')}` takes it back)"
        )
        if iv.verdict.fix:
            lines.append(f"  {rules_fix(iv.verdict.fix)}")
    lines.extend(_line(f"  warning: {w.split(': ', 1)[1]}") for w in explanation.warnings)
    if not iv.cancelled:
        lines.append("")
        for outcome in explanation.outcomes:
            lines.extend(_outcome_text(outcome))
    return "\n".join(lines) + "\n"


def _outcome_text(outcome: Outcome) -> list[str]:
    rule = outcome.decision.rule_id
    label = f"{rule} (fallback of {outcome.fallback_of})" if outcome.fallback_of else rule
    verdict = outcome.reason if outcome.decision.produced else f"not planned: {outcome.reason}"
    lines = [f"  {label}: {verdict}"]
    lines.extend(f"      {step}" for step in outcome.steps)
    return lines


# ---------------------------------------------------------------- as data ----


def explanation_data(plan: Plan, explanations: Sequence[Explanation]) -> dict[str, Any]:
    """For scripts: the same content as plain JSON-ready values."""
    return {
        "now": plan.now.isoformat(),
        "timezone": plan.timezone,
        "interviews": [_interview_data(e) for e in explanations],
    }


def _interview_data(explanation: Explanation) -> dict[str, Any]:
    iv = explanation.interview
    return {
        "key": iv.key,
        "uid": iv.uid,
        "recurrence_id": iv.recurrence_id,
        "title": iv.summary,
        "start": iv.start.isoformat(),
        "end": iv.end.isoformat(),
        "all_day": iv.all_day,
        "cancelled": iv.cancelled,
        "verdict": {"outcome": iv.verdict.outcome, "reasons": list(iv.verdict.reasons)},
        "facts": {f.name: {"value": f.value, "source": f.source} for f in explanation.facts},
        "warnings": [
            w.split(": ", 1)[1] for w in dict.fromkeys((*explanation.warnings, *explanation.read))
        ],
        "rules": [_outcome_data(o) for o in explanation.outcomes],
    }


def _outcome_data(outcome: Outcome) -> dict[str, Any]:
    followup = outcome.followup
    return {
        "rule": outcome.decision.rule_id,
        "produced": outcome.decision.produced,
        "fallback_of": outcome.fallback_of,
        "reason": outcome.reason,
        "steps": list(outcome.steps),
        "followup": None
        if followup is None
        else {
            "uid": followup.uid,
            "title": followup.title,
            "start": followup.start.isoformat(),
            "due": followup.due.isoformat() if followup.due else None,
        },
    }
