"""A status written in the event's notes (in English or German) counts for `status:`
conditions and dates from the event's LAST-MODIFIED; a mark still wins.

tests/data/everyday/news.ics: Initech says "Status: offer" (changed 1 December),
Muster GmbH "Status: Angebot" (changed 30 November), Globex "Status: Absage" with no
LAST-MODIFIED.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from followup.engine.marks import Mark, apply_marks
from followup.engine.model import Plan
from followup.engine.pipeline import read_ics
from followup.engine.plan.explain import explain, explanation_text
from followup.engine.plan.planner import make_plan
from followup.engine.plan.timeline import status_kind
from followup.rules.loader import parse_rules
from tests.everyday_support import EVERYDAY

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 18, 0, tzinfo=BERLIN)
RULES = parse_rules(
    """
version: 1
timezone: Europe/Berlin
rules:
  - id: negotiate
    title: "Prepare your answer to {{ company }}'s offer"
    if: { status: offer }
    when: { from: status, offset: 1 day, at: "09:00" }
  - id: after-a-no
    title: "Ask {{ recruiter_first_name }} for feedback"
    if: { status: rejected }
    when: { from: status, offset: 1 day, at: "09:00" }
"""
)


def plan_of(marks: dict[str, Mark] | None = None) -> Plan:
    reading = read_ics((EVERYDAY / "news.ics").read_bytes(), rules=RULES, now=NOW)
    if marks:
        reading = apply_marks(reading, marks)
    return make_plan(RULES, reading, NOW)


def times(plan: Plan) -> dict[tuple[str, str], str]:
    return {
        (f.interview.facts.company or "?", f.rule_id): f"{f.start.astimezone(BERLIN):%m-%d %H:%M}"
        for f in plan.followups
    }


def test_an_offer_in_the_notes_plans_the_step_from_the_day_the_event_changed() -> None:
    assert times(plan_of()) == {
        ("Initech", "negotiate"): "12-02 09:00",
        ("Muster GmbH", "negotiate"): "12-01 09:00",  # "Angebot", changed on 30 November
    }


def test_explain_shows_where_the_status_and_its_day_came_from() -> None:
    plan = plan_of()
    text = explanation_text(plan, explain(plan))
    assert "status     offer  (from the event's notes)" in text
    assert (
        "the event's notes say Status: offer; the event was last changed on Tue 2026-12-01 "
        "(its LAST-MODIFIED) -> Tue 2026-12-01 00:00 CET"
    ) in text
    assert (
        "after-a-no: not planned: the status rejected was not recorded with `followup mark`, "
        "and the event has no LAST-MODIFIED, so its day is not known"
    ) in text


def test_a_mark_wins_over_the_notes() -> None:
    mark = Mark("initech-news@example.com", "rejected", marked=date(2026, 12, 3))
    assert times(plan_of({mark.key: mark}))[("Initech", "after-a-no")] == "12-04 09:00"
    assert ("Initech", "negotiate") not in times(plan_of({mark.key: mark}))


def test_german_status_words_are_read() -> None:
    assert [status_kind(word)[0] for word in ("Angebot", "Zusage", "Absage", "abgelehnt")] == [
        "offer",
        "offer",
        "rejected",
        "rejected",
    ]
    assert status_kind("kein Angebot")[0] == "rejected"
    assert status_kind("noch nicht")[0] == "pending"
