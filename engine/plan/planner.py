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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from followup.engine import people
from followup.engine.model import (
    Decision,
    EmailDraft,
    FollowUp,
    Interview,
    Person,
    Plan,
    Reading,
    StatusKind,
    followup_uid,
)
from followup.engine.people import name_key, one_address
from followup.engine.plan.applications import rounds_by_key
from followup.engine.plan.timeline import Timeline, parse_timeline, status_kind, unread_warning
from followup.engine.plan.timing import (
    WorkCalendar,
    elapsed,
    into_working_time,
    resolve_moment,
    show,
    wall,
)
from followup.engine.questions import is_asked, question
from followup.rules import prose
from followup.rules.analysis import chain_heads, chain_of
from followup.rules.errors import TemplateRenderError
from followup.rules.model import (
    FACT_NAMES,
    Condition,
    Email,
    Language,
    Matches,
    Moment,
    Rule,
    RuleSet,
    When,
)
from followup.rules.statuses import ANSWERED
from followup.rules.templates import render
from followup.rules.translations import shipped_language, translated
from followup.rules.zones import UTC_NAMES, local_zone_problem, resolve_zone

LIBRARY_READS = 20
"""How many timelines per plan dateparser may read when the fast path cannot (it
takes up to a quarter of a second on hostile text); the rest are reported as not read."""

OUTSIDE_THE_CALENDAR = "its time falls outside the calendar (before year 1 or after 9999)"


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
    recruiter_domain: str | None
    company_domain: str | None
    warnings: list[str]
    """The plan's warnings, for what a step finds (a recipient that is not one address)."""
    recipients: tuple[Recipient, ...] = ()
    """Whom a per-person email goes to: the recruiter, then each interviewer."""
    recruiter: Recipient | None = None
    last_session: Interview | None = None
    """A later session of the same application on the same day (a loop), if any: the
    per-person thank-you follows the last one."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a drafted email goes to, with the moments the user noted for them."""

    name: str | None
    email: str | None
    highlights: str | None
    recruiter: bool = False

    def shown(self) -> str:
        """'Sam Lee <sam@globex.com>', 'Sam Lee' or the address alone."""
        name = prose.plain_name(self.name)
        if name and self.email:
            return f"{name} <{self.email}>"
        return name or self.email or "?"


def make_plan(rules: RuleSet, reading: Reading, now: datetime) -> Plan:
    """Plan every follow-up for the interviews of ``reading`` under ``rules``; ``now`` stamps
    the plan."""
    near_misses = reading.asked
    ignored = reading.ignored
    interviews = list(reading.interviews)
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
    # The reader's warnings (events skipped or read with a guess) come first. With no
    # interview counted, what was said of the calendars that hold none is all the user
    # learns of why: it is shown too (an event skipped may have been the interview).
    warnings: list[str] = list(reading.warnings)
    if not reading.interviews:
        warnings.extend(reading.quiet)
    warnings.extend(zone_notes)
    library_reads = [LIBRARY_READS]
    warnings.extend(near_miss_warning(iv, zone) for iv in near_misses)

    for interview in sorted(interviews, key=lambda iv: (iv.start, iv.uid, iv.recurrence_id or "")):
        if interview.cancelled:
            decisions.extend(
                Decision(interview.key, rule.id, False, "the interview is cancelled")
                for rule in order
            )
            continue
        known = _know(rules, interview, rounds, zone, cal, warnings, library_reads)
        if rules.stop is not None:
            stops, why = _holds(rules.stop, known)
            if stops:
                decisions.extend(
                    Decision(interview.key, rule.id, False, f"the policy stops here: {why}")
                    for rule in order
                )
                continue
        produced: dict[str, FollowUp] = {}
        for rule in order:
            followup, decision = _try(rules, rule, known, produced, zone, cal)
            decisions.append(decision)
            if decision.reason == OUTSIDE_THE_CALENDAR:
                warnings.append(f"{interview.summary}: {rule.id} not planned: {decision.reason}")
            followup = _fall_back(rules, rule, followup, known, produced, zone, cal, decisions)
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
        ignored=ignored,
    )


def near_miss_warning(interview: Interview, zone: tzinfo) -> str:
    """One line about an event not counted as an interview: which, why, how to count it,
    and the command that answers the question."""
    when = interview.start.astimezone(zone)
    why = interview.not_counted or "; ".join(interview.verdict.reasons) or "it may be one"
    return (
        f"{interview.summary}: not counted as an interview ({when:%a %d %b %Y %H:%M}): "
        f"{why}; {question(interview)}"
    )


def _fall_back(
    rules: RuleSet,
    rule: Rule,
    followup: FollowUp | None,
    known: _Known,
    produced: dict[str, FollowUp],
    zone: tzinfo,
    cal: WorkCalendar,
    decisions: list[Decision],
) -> FollowUp | None:
    """Follow ``rule``'s chain of fallbacks until one plans a step or the chain ends.

    Each rule of the chain tried gets its decision ("as the fallback of ..."); the
    loader refuses cycles, and a chain is at most as long as the file.
    """
    current = rule
    for _ in range(len(rules.rules)):
        if followup is not None or current.fallback is None:
            break
        nxt = rules.rule(current.fallback)
        followup, decision = _try(rules, nxt, known, produced, zone, cal)
        decisions.append(
            Decision(
                decision.interview_key,
                decision.rule_id,
                decision.produced,
                f"as the fallback of {current.id}: {decision.reason}",
                decision.trace,
                decision.followup_uid,
            )
        )
        current = nxt
    return followup


def _dependency_order(rules: RuleSet) -> list[Rule]:
    """Rules that run on their own (not only as a fallback), each after the rules it names.

    A fallback-only rule happens when the head of its chain runs, so a rule that names
    it (or any rule of a chain) comes after that head.
    """
    by_id = {rule.id: rule for rule in rules.rules}
    heads = chain_heads(rules)
    done: list[str] = []
    visiting: set[str] = set()

    def add(rule_id: str) -> None:
        if rule_id in done or rule_id in visiting:
            return
        visiting.add(rule_id)
        for member in chain_of(rules, by_id[rule_id]):
            for key, ref in member.references():
                if key == "fallback":
                    continue
                for head in heads.get(ref, ()):
                    if head != rule_id:
                        add(head)
        done.append(rule_id)

    for rule in rules.rules:
        if rule.id not in rules.fallback_ids():
            add(rule.id)
    return [by_id[rule_id] for rule_id in done]


def zone_of_plan(timezone: str, interviews: Sequence[Interview]) -> ZoneInfo:
    """The zone ``make_plan`` plans ``interviews`` in: that of the interviews it counts."""
    counted = [iv for iv in interviews if iv.verdict.outcome == "counted" and not is_asked(iv)]
    return planning_zone(timezone, counted)[0]


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
    rounds: dict[str, tuple[Interview, ...]],
    zone: tzinfo,
    cal: WorkCalendar,
    warnings: list[str],
    library_reads: list[int],
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
    order = rules.interviews.date_order
    timeline = parse_timeline(facts.timeline, end, zone, cal, date_order=order, use_library=False)
    if timeline is None and facts.timeline and library_reads[0] > 0:
        library_reads[0] -= 1  # dateparser is slow: a bounded number of reads per plan
        timeline = parse_timeline(facts.timeline, end, zone, cal, date_order=order)
    if timeline is not None and timeline.warning:
        warnings.append(f"{interview.summary}: {timeline.warning}")
    if facts.timeline and timeline is None and (unread := unread_warning(facts.timeline)):
        warnings.append(f"{interview.summary}: {unread}; using the policy's default window")
    warnings.extend(f"{interview.summary}: {problem}" for problem in facts.warnings)
    next_round = _next_round(interview, rounds)
    language = prose.language_of(rules.language)
    recruiter = facts.recruiter_name or facts.recruiter_email
    recruiter_domain = _domain(facts.recruiter_email)
    sessions = _same_day(interview, rounds, zone)
    interviewers = _interviewers(sessions, rules.sender.name)
    company_domain = _company_domain(interviewers, facts.recruiter_email)
    if company_domain is not None:
        # The user's own address, a guest from elsewhere: not the company's interviewers.
        interviewers = [
            p
            for p in interviewers
            if p.email is None or _same_organisation(_domain(p.email) or "", company_domain)
        ]
    the_recruiter = (
        Recipient(facts.recruiter_name, facts.recruiter_email, facts.highlights, recruiter=True)
        if recruiter
        else None
    )
    recipients = _recipients(interviewers, the_recruiter, sessions)
    later = [s for s in sessions if s.start > interview.start]
    shown = [short for r in recipients if (short := _short(r, language))]
    context: dict[str, Any] = {
        "company": facts.company,
        "role": facts.role,
        "role_name": prose.role_name(facts.role),
        "recruiter": recruiter,
        "recruiter_name": facts.recruiter_name,
        "recruiter_first_name": prose.first_name(facts.recruiter_name),
        "recruiter_email": facts.recruiter_email,
        "recipient_email": facts.recruiter_email,
        "recipient_name": facts.recruiter_name,
        "recipients": prose.joined(shown, language) or None,
        "email_count": str(len(recipients)) if len(recipients) > 1 else None,
        "email_list": (
            "\n".join(
                [
                    prose.EMAIL_LIST_LEAD[language].format(count=len(recipients)),
                    *(f"- {r.shown()}" for r in recipients),
                ]
            )
            if len(recipients) > 1
            else None
        ),
        "timeline": facts.timeline,
        "status": status,
        "highlights": facts.highlights,
        "fit": facts.fit,
        "note": facts.note,
        "interview_title": interview.summary,
        "interview_time": None if interview.all_day else f"{start:%H:%M}",
        "location": interview.location,
        "recruiter_domain": recruiter_domain,
        "company_domain": company_domain,
        "interviewers": ", ".join(p.name or p.email or "" for p in interviewers) or None,
        "categories": ", ".join(interview.categories) or None,
        "sender_name": rules.sender.name,
        "signature": rules.sender.signature or rules.sender.name,
        **_spoken(facts.recruiter_name, start, timeline, language),
    }
    return _Known(
        interview,
        start,
        end,
        status,
        timeline,
        next_round,
        context,
        recruiter_domain,
        company_domain,
        warnings,
        tuple(recipients),
        the_recruiter,
        later[-1] if later else None,
    )


def _spoken(
    name: str | None, start: datetime, timeline: Timeline | None, language: Language
) -> dict[str, Any]:
    """The parts of a template's context that are words of one language: dates, the greeting."""
    return {
        "language": language,
        "interview_date": prose.long_date(start.date(), language),
        "greeting": prose.greeting(name, language),
        "recruiter_short_name": prose.short_name(name, language),
        "interview_day": prose.day_month(start.date(), language),
        # The last day of their timeline (a deadline at midnight belongs to the day before).
        "timeline_date": None
        if timeline is None
        else prose.day_month((timeline.deadline - timedelta(microseconds=1)).date(), language),
    }


def _short(recipient: Recipient, language: Language) -> str | None:
    return prose.short_name(recipient.name, language) or recipient.email


def _same_day(
    interview: Interview, rounds: Mapping[str, Sequence[Interview]], zone: tzinfo
) -> list[Interview]:
    """The sessions of the interview's application on its day (a loop), in order; at least
    the interview itself."""
    day = interview.start.astimezone(zone).date()
    group = rounds.get(interview.key) or (interview,)
    found = [iv for iv in group if iv.start.astimezone(zone).date() == day and not iv.cancelled]
    return found if interview in found else [interview]


def _interviewers(sessions: list[Interview], sender_name: str | None) -> list[Person]:
    """The interviewers of a day's sessions, each once, in order (never the user by name)."""
    found: list[Person] = []
    user = (sender_name or "").casefold()
    for session in sessions:
        for person in session.facts.interviewers:
            if person.name and person.name.casefold() == user:
                continue
            if any(_one_person(person, other) for other in found):
                continue
            found.append(person)
    return found


def _one_person(one: Person, other: Person) -> bool:
    if one.email and other.email:
        return one.email.casefold() == other.email.casefold()
    return bool(one.name and other.name and name_key(one.name) == name_key(other.name))


def _recipients(
    interviewers: list[Person], recruiter: Recipient | None, sessions: list[Interview]
) -> list[Recipient]:
    """The recruiter (when not one of the interviewers), then each interviewer with the
    moments noted for them. The recruiter comes first: a step that offers one email (a
    feed's link, a calendar item's notes) offers theirs, as before interviewers counted."""
    noted: list[tuple[str, str]] = [pair for s in sessions for pair in s.facts.highlights_for]
    general = "\n".join(dict.fromkeys(s.facts.highlights for s in sessions if s.facts.highlights))
    found: list[Recipient] = []
    for person in interviewers:
        mine = [notes for key, notes in noted if _named(key, person)]
        found.append(Recipient(person.name, person.email, "\n".join(mine) or general or None))
    if recruiter is not None:
        as_person = Person(recruiter.name, recruiter.email, "")
        if not any(_one_person(as_person, p) for p in interviewers):
            found.insert(0, recruiter)
    return found


def _named(key: str, person: Person) -> bool:
    """Whether a name written in the notes ("lee", "sam lee", "frau berger") is this person."""
    words = key.casefold().split()
    names = (person.name or "").casefold().split()
    if words and all(word in names for word in words if word not in {"frau", "herr", "ms", "mr"}):
        return bool(names)
    local = (person.email or "").split("@", 1)[0].casefold()
    return bool(local) and key.casefold().replace(" ", ".") == local


def _domain(email: str | None) -> str | None:
    return people.domain_of(email)


def _company_domain(interviewers: list[Person], recruiter_email: str | None) -> str | None:
    """The domain most interviewers write from (not personal addresses); a tie goes to the
    one listed first."""
    counts: dict[str, int] = {}
    for person in interviewers:
        domain = _domain(person.email)
        if domain is None or people.is_free_mail(domain):
            continue
        counts[domain] = counts.get(domain, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda d: counts[d])  # dicts keep order: the first of equals wins


def _same_organisation(domain: str, other: str) -> bool:
    return domain == other or domain.endswith("." + other) or other.endswith("." + domain)


def _squash(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _agency(known: _Known) -> bool | None:
    """Whether the recruiter writes from another organisation than the company's; None if
    it cannot be told (no recruiter address, or neither a company domain nor a name)."""
    domain = known.recruiter_domain
    if domain is None or people.is_free_mail(domain):
        return None
    if known.company_domain is not None:
        return not _same_organisation(domain, known.company_domain)
    company = _squash(known.interview.facts.company or "")
    if not company:
        return None
    labels = [_squash(label) for label in domain.split(".")[:-1]]
    return not any(label and (label in company or company in label) for label in labels)


def glob_match(pattern: str, text: str) -> bool:
    """A glob ('*' any text, '?' one character) against text, any case.

    Greedy with one backtrack point: time at most pattern length times text length
    (patterns are at most 200 characters), never exponential as a regex can be.
    """
    p, t = pattern.casefold(), text.casefold()
    i = j = 0
    star, mark = -1, 0
    while j < len(t):
        if i < len(p) and (p[i] == "?" or p[i] == t[j]):
            i, j = i + 1, j + 1
        elif i < len(p) and p[i] == "*":
            star, mark = i, j
            i += 1
        elif star >= 0:
            i, mark = star + 1, mark + 1
            j = mark
        else:
            return False
    while i < len(p) and p[i] == "*":
        i += 1
    return i == len(p)


def _rounds_by_company(interviews: Sequence[Interview]) -> dict[str, tuple[Interview, ...]]:
    """Interviews that are not cancelled, by application (see engine.plan.applications)."""
    return rounds_by_key([iv for iv in interviews if not iv.cancelled])


def _next_round(interview: Interview, rounds: dict[str, tuple[Interview, ...]]) -> Interview | None:
    """The first later interview of the same application.

    A later instance of the same series counts: the days of a two-day onsite
    are rounds of one application, with one status check after the last.
    """
    group = rounds.get(interview.key)
    if not group:
        return None
    first_later = bisect_right(group, interview.start, key=lambda iv: iv.start)
    return next((iv for iv in group[first_later:] if iv.key != interview.key), None)


Verdict = tuple[bool, str | None]
"""Whether one key of a condition holds, and what to say about it (None: nothing)."""


def _presence(name: str) -> Callable[[Any, _Known], Verdict]:
    def holds(wanted: Any, known: _Known) -> Verdict:
        facts = known.interview.facts
        value = {
            "company": facts.company,
            "role": facts.role,
            "recruiter": facts.recruiter_name or facts.recruiter_email,
            "recruiter_email": facts.recruiter_email,
            "timeline": known.timeline,
            "highlights": facts.highlights,
            "fit": facts.fit,
        }[name]
        present = value is not None
        if present != (wanted == "known"):
            return False, f"{name} is {'known' if present else 'unknown'}"
        return True, None

    return holds


def _words(values: str | list[str]) -> tuple[str, ...]:
    return (values,) if isinstance(values, str) else tuple(values)


def _title_contains(wanted: str | list[str], known: _Known) -> Verdict:
    words = _words(wanted)
    title = known.interview.summary.casefold()
    found = next((w for w in words if w.casefold() in title), None)
    if found is None:
        return False, f"the title does not contain {' or '.join(map(repr, words))}"
    return True, f"the title contains {found!r}"


def _category(wanted: str | list[str], known: _Known) -> Verdict:
    words = _words(wanted)
    has = {c.casefold() for c in known.interview.categories}
    found = next((c for c in words if c.casefold() in has), None)
    if found is None:
        return False, f"the event has no category {' or '.join(map(repr, words))}"
    return True, f"the event has category {found!r}"


def _is_agency(wanted: bool, known: _Known) -> Verdict:
    agency = _agency(known)
    if agency is None:
        return False, "cannot tell whether the recruiter is an agency (no company address)"
    if agency != wanted:
        return False, (
            f"the recruiter writes from {known.recruiter_domain}, "
            + ("another domain than the company's" if agency else "the company's domain")
        )
    return True, (
        f"the recruiter writes from {known.recruiter_domain}, "
        + ("not the company's domain" if agency else "the company's domain")
    )


def _matches(wanted: Matches, known: _Known) -> Verdict:
    facts = known.interview.facts
    texts = {
        "title": known.interview.summary,
        "location": known.interview.location,
        "company": facts.company,
        "role": facts.role,
        "recruiter": facts.recruiter_name or facts.recruiter_email,
        "recruiter_email": facts.recruiter_email,
        "recruiter_domain": known.recruiter_domain,
        "company_domain": known.company_domain,
        "timeline": facts.timeline,
        "highlights": facts.highlights,
        "fit": facts.fit,
        "note": facts.note,
    }
    said = []
    for name, patterns in wanted.model_dump(exclude_none=True).items():
        text = texts.get(name)
        options = _words(patterns)
        found = next((p for p in options if text is not None and glob_match(p, text)), None)
        if found is None:
            return False, f"{name} does not match {' or '.join(map(repr, options))}"
        said.append(f"{name} matches {found!r}")
    return True, "; ".join(said) or None


def _any(wanted: list[Condition], known: _Known) -> Verdict:
    misses = []
    for condition in wanted:
        holds, why = _holds(condition, known)
        if holds:
            return True, why
        misses.append(why)
    return False, "none of 'any' holds: " + "; ".join(misses)


def _not(wanted: Condition, known: _Known) -> Verdict:
    holds, why = _holds(wanted, known)
    if holds:
        return False, f"'not' does not hold: {why}"
    return True, f"not: {why}"


def _status(wanted: str | list[str], known: _Known) -> Verdict:
    kinds = {known.status} | ({"answered"} if known.status in ANSWERED else set())
    return bool(kinds & set(_words(wanted))), f"status is {known.status}"


PREDICATES: dict[str, Callable[[Any, _Known], Verdict]] = {
    **{name: _presence(name) for name in FACT_NAMES},
    "title_contains": _title_contains,
    "category": _category,
    "agency": _is_agency,
    "matches": _matches,
    "any": _any,
    "not": _not,
    "status": _status,
}
"""Each key a condition may have, and how it is tested: the one place that says so."""

_ORDER = list(PREDICATES)


def _holds(condition: Condition, known: _Known) -> tuple[bool, str]:
    """Whether every key of a condition holds, and what decided it (the status last: a
    stopped chain names it)."""
    said: list[str] = []
    status = None
    for key, wanted in sorted(condition.given(), key=lambda kv: _ORDER.index(kv[0])):
        holds, why = PREDICATES[key](wanted, known)
        if not holds:
            return False, why or f"{key} does not hold"
        if key == "status":
            status = why
        elif why:
            said.append(why)
    if status is not None:
        return True, status
    return True, "; ".join(said) or "facts match"


def _skipped(
    interview_key: str, rule_id: str, reason: str, trace: tuple[str, ...] = ()
) -> tuple[None, Decision]:
    """No step from this rule for this interview, and why."""
    return None, Decision(interview_key, rule_id, False, reason, trace)


def _try(
    rules: RuleSet,
    rule: Rule,
    known: _Known,
    produced: dict[str, FollowUp],
    zone: tzinfo,
    cal: WorkCalendar,
) -> tuple[FollowUp | None, Decision]:
    interview = known.interview
    skip = partial(_skipped, interview.key, rule.id)

    if rule.superseded_by_next_round and known.next_round is not None:
        nxt = known.next_round
        return skip(
            f"superseded by the next round: {nxt.summary} on {show(nxt.start.astimezone(zone))}"
        )
    condition = rules.if_of(rule)
    if condition is not None:
        holds, why = _holds(condition, known)
        if not holds:
            return skip(f"its condition does not hold: {why}")
    condition = rules.unless_of(rule)
    if condition is not None:
        holds, why = _holds(condition, known)
        if holds:
            return skip(f"its 'unless' holds: {why}")

    try:
        return _planned(rules, rule, known, produced, zone, cal)
    except OverflowError:
        return skip(OUTSIDE_THE_CALENDAR)


def _planned(
    rules: RuleSet,
    rule: Rule,
    known: _Known,
    produced: dict[str, FollowUp],
    zone: tzinfo,
    cal: WorkCalendar,
) -> tuple[FollowUp | None, Decision]:
    interview = known.interview
    skip = partial(_skipped, interview.key, rule.id)

    if rule.email is not None and rule.email.per_person and known.last_session is not None:
        last = known.last_session
        return skip(
            "one thank-you for the day's sessions, after the last: "
            f"{last.summary} at {last.start.astimezone(zone):%H:%M}"
        )
    workdays_only = (
        rules.defaults.workdays_only if rule.workdays_only is None else rule.workdays_only
    )
    # `hours: null` on a rule: no working hours for it, whatever the defaults say.
    hours = rule.hours if rule.says("hours") else rules.defaults.hours
    start, trace = _moment(rule.when, known, produced, zone, cal)
    capped = _capped(trace)
    if start is None:
        return skip(trace[0], tuple(trace[1:]))
    # A step before the interview moves earlier into working time, never past its start.
    start, steps = into_working_time(
        start, zone, cal, None if rule.all_day else hours, workdays_only, before=known.start
    )
    trace += steps
    due: datetime | None = None
    due_when = rules.due_of(rule)
    if due_when is not None:
        due, due_trace = _moment(due_when, known, produced, zone, cal)
        if due is None:
            return skip(f"its due time: {due_trace[0]}", tuple(trace))
        due, due_steps = into_working_time(due, zone, cal, None, workdays_only)
        trace += [f"due: {s}" for s in (*due_trace, *due_steps)]
        if due < start:
            due = start
            trace.append(f"due: before the step, so due when it starts -> {show(due)}")

    kind = rule.kind or rules.defaults.kind
    if rule.all_day:
        start = wall(start.date(), start.time().replace(hour=0, minute=0), zone)
        end = wall(start.date() + timedelta(days=1), start.time(), zone)
    else:
        end = elapsed(start, (rule.duration or rules.defaults.duration).as_timedelta(), zone)
    spoken = known.context
    if rule.language is not None and rule.language != spoken["language"]:
        # A rule in another language than the file's writes its dates and greeting in it.
        facts = interview.facts
        spoken = {
            **spoken,
            **_spoken(facts.recruiter_name, known.start, known.timeline, rule.language),
        }
    context = {
        **spoken,
        "step_date": prose.long_date(start.date(), spoken["language"]),
        "step_time": None if rule.all_day else f"{start:%H:%M}",
        "due_date": prose.long_date(due.date(), spoken["language"]) if due else None,
        "capped": capped,
    }

    def write(field: str, source: str, values: dict[str, Any] | None = None) -> str:
        try:
            return render(source, context if values is None else values)
        except TemplateRenderError as err:
            raise TemplateRenderError(
                f"rule {rule.id}: its {field} cannot be written for {interview.summary!r} "
                f"(UID {interview.key}): {err.message}",
                hint="fix the template in the rules file, then run `followup check` on it",
            ) from None

    title = " ".join(write("title", rule.title).split())
    description = write("description", rule.description)
    emails: list[EmailDraft] = []
    if rule.email is not None:
        emails = _emails(rules, rule, rule.email, known, context, write)
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
        email=emails[0] if emails else None,
        trace=tuple(trace),
        more_emails=tuple(emails[1:]),
    )
    reason = "planned for " + show(start) + (f", due {show(due)}" if due else "")
    return followup, Decision(interview.key, rule.id, True, reason, tuple(trace), uid)


def _draft_language(rules: RuleSet, rule: Rule, known: _Known) -> tuple[Language, str]:
    """The language of a step's email, and why: the invitation's own text, else the
    company's in the rules, else the rule's, else the file's."""
    facts = known.interview.facts
    if facts.language in prose.LANGUAGES:
        return prose.language_of(facts.language), "the invitation is written in it"
    company = facts.company
    if company:
        for pattern, language in rules.languages.items():
            if glob_match(pattern, company):
                return language, f"the rules give {company} this language"
    if rule.language is not None:
        return rule.language, "the rule says so"
    return rules.language, "the rules' language"


def _emails(
    rules: RuleSet,
    rule: Rule,
    email: Email,
    known: _Known,
    context: dict[str, Any],
    write: Any,
) -> list[EmailDraft]:
    """The step's emails: one, or with ``per_person`` one to each interviewer and the
    recruiter, in the language of the interview (``_draft_language``)."""
    interview = known.interview
    language, why = _draft_language(rules, rule, known)
    written_in = rule.language or rules.language
    if language != written_in or rule.language is not None:
        # A shipped email is in its policy's language (a rule's `language:` then asks for a
        # translation); one the user wrote is in the rule's or the file's. Only read the
        # shipped policies when it matters: most drafts are in the file's own language.
        written_in = shipped_language(rule.id, email, written_in) or written_in
    text = translated(rule.id, email, written_in, language)
    if text is None:
        known.warnings.append(
            f"{interview.summary}: {rule.id}: its email is in {written_in}, though the draft "
            f"should be in {language} ({why}); write it in {language} with `language: "
            f"{language}` on the rule, or start from default.{language}.yaml"
            if language != "en"
            else f"{interview.summary}: {rule.id}: its email is in {written_in}, though the "
            f"draft should be in en ({why}); start from default.yaml"
        )
        text, language = email, written_in
    start = known.start
    spoken = _spoken(interview.facts.recruiter_name, start, known.timeline, language)
    recipients: list[Recipient | None] = (
        list(known.recipients) if email.per_person else [known.recruiter]
    )
    drafts: list[EmailDraft] = []
    for recipient in recipients or [None]:
        values = {**context, **spoken}
        if recipient is not None:
            values.update(
                recipient_email=recipient.email,
                recipient_name=recipient.name,
                greeting=prose.greeting(recipient.name, language),
                highlights=recipient.highlights,
            )
        else:
            values.update(recipient_email=None, recipient_name=None)

        def field(name: str, source: str, values: dict[str, Any] = values) -> str:
            return str(write(name, source, values))

        to = field("email.to", text.to)
        address = one_address(to)
        if to and address is None:
            known.warnings.append(
                f"{interview.summary}: {rule.id}: the email's recipient {to!r} is not one valid"
                " email address; the draft has no To: line"
            )
        body = field("email.body", text.body)
        drafts.append(
            EmailDraft(
                to=address,
                subject=" ".join(field("email.subject", text.subject).split()),
                body=body,
                language=language,
                to_name=(
                    prose.plain_name(recipient.name)
                    if recipient is not None
                    and recipient.name
                    and (
                        address is None or (recipient.email or "").casefold() == address.casefold()
                    )
                    else None
                ),
                gaps=prose.gaps_in(body),
            )
        )
    return drafts


def _moment(
    when: When,
    known: _Known,
    produced: dict[str, FollowUp],
    zone: tzinfo,
    cal: WorkCalendar,
) -> tuple[datetime | None, list[str]]:
    """A ``when`` (or ``due``) as a moment, with its steps; earliest and latest cap it.

    With no anchor, the moment is None and the steps hold the reason alone.
    """
    anchor, anchor_trace = _anchor(when.from_, known, produced, zone)
    if anchor is None:
        return None, [anchor_trace]
    result, steps = resolve_moment(anchor, when, zone, cal)
    trace = [anchor_trace, *steps]
    for name, cap in (("earliest", when.earliest), ("latest", when.latest)):
        if cap is None:
            continue
        bound, bound_trace = _bound(cap, known, produced, zone, cal)
        if bound is None:
            trace.append(f"{name}: not applied, {bound_trace[0]}")
            continue
        trace += [f"{name}: {step}" for step in bound_trace]
        if name == "earliest" and result < bound:
            result = bound
            trace.append(f"earlier than the earliest, so -> {show(result)}")
        elif name == "latest" and result > bound:
            result = bound
            trace.append(f"later than the latest, so -> {show(result)}")
    return result, trace


_CAPPED = {
    "earlier than the earliest, so -> ": "earliest",
    "later than the latest, so -> ": "latest",
}


def _capped(trace: list[str]) -> str | None:
    """Which cap of ``when`` moved the step ('earliest' or 'latest'), or None: templates
    say "their timeline has passed" only when it has."""
    for step in trace:
        for start, name in _CAPPED.items():
            if step.startswith(start):
                return name
    return None


def _bound(
    cap: Moment,
    known: _Known,
    produced: dict[str, FollowUp],
    zone: tzinfo,
    cal: WorkCalendar,
) -> tuple[datetime | None, list[str]]:
    anchor, anchor_trace = _anchor(cap.from_, known, produced, zone)
    if anchor is None:
        return None, [anchor_trace]
    result, steps = resolve_moment(anchor, cap, zone, cal)
    return result, [anchor_trace, *steps]


def _anchor(
    name: str, known: _Known, produced: dict[str, FollowUp], zone: tzinfo
) -> tuple[datetime | None, str]:
    if name == "status":
        facts = known.interview.facts
        noted = facts.status_noted
        if facts.status_since is None and noted is not None and facts.source_of("status") != "mark":
            moment = wall(noted.astimezone(zone).date(), time(0, 0), zone)
            return moment, (
                f"the event's notes say Status: {facts.status}; the event was last changed on "
                f"{noted.astimezone(zone):%a %Y-%m-%d} (its LAST-MODIFIED) -> {show(moment)}"
            )
        if facts.status_since is None:
            if facts.source_of("status") == "mark":
                return None, (
                    f"the status {known.status} was recorded without a date; "
                    "record it again with `followup mark`"
                )
            return None, (
                f"the status {known.status} was not recorded with `followup mark`, "
                "and the event has no LAST-MODIFIED, so its day is not known"
            )
        moment = wall(facts.status_since, time(0, 0), zone)
        return moment, (
            f"the status became {known.status} on {facts.status_since:%a %Y-%m-%d} "
            f"(recorded with `followup mark`) -> {show(moment)}"
        )
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
