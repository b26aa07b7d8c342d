"""Steps before an interview move earlier, never past it; a cap tells the templates it
applied; `hours: null` means no hours; templates may `{% set %}` and get a did-you-mean.

tests/data/everyday/odd-hours.ics: Umbrella on Tue 8 Dec at 20:00, Stark on Mon
14 Dec at 08:00, Wayne on Fri 25 Dec (Christmas Day) at 10:00, all in Berlin.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from followup.engine.model import Plan
from followup.engine.pipeline import read_ics
from followup.engine.plan.explain import explain, explanation_text
from followup.engine.plan.planner import make_plan
from followup.rules.errors import RulesError
from followup.rules.loader import parse_rules
from tests.everyday_support import EVERYDAY

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)

HOURS = """
version: 1
timezone: Europe/Berlin
holidays: { country: DE, subdivision: BE }
defaults:
  hours: ["08:30", "18:00"]
  workdays_only: true
rules:
  - id: prepare
    title: "Prepare your questions for {{ company }}"
    when: { from: start, offset: -30m }
  - id: thank-you
    title: "Thank {{ recruiter_first_name }}"
    when: { from: end, offset: 1 day, at: "09:00" }
  - id: evening-note
    title: "Write down how it went"
    hours: null
    workdays_only: false
    when: { from: end, offset: 30m }
"""


def plan_of(text: str, calendar: str = "odd-hours.ics") -> Plan:
    rules = parse_rules(text)
    reading = read_ics((EVERYDAY / calendar).read_bytes(), rules=rules, now=NOW)
    return make_plan(rules, reading, NOW)


def times(plan: Plan) -> dict[tuple[str, str], str]:
    return {
        (f.interview.facts.company or "?", f.rule_id): f"{f.start.astimezone(BERLIN):%a %d %H:%M}"
        for f in plan.followups
    }


def test_a_step_before_an_interview_moves_earlier_and_never_past_its_start() -> None:
    got = times(plan_of(HOURS))
    assert got[("Umbrella", "prepare")] == "Tue 08 18:00"  # 19:30 is after hours: back to 18:00
    assert got[("Stark", "prepare")] == "Fri 11 18:00"  # 07:30 Monday: the working evening before
    assert got[("Wayne", "prepare")] == "Thu 24 09:30"  # Christmas Day: the day before
    assert got[("Wayne", "thank-you")] == "Mon 28 09:00"  # after the interview: forwards


def test_every_step_before_an_interview_comes_before_it() -> None:
    plan = plan_of(HOURS)
    for followup in plan.followups:
        if followup.rule_id == "prepare":
            assert followup.start < followup.interview.start


def test_explain_says_the_step_moved_back_because_it_comes_before_the_interview() -> None:
    plan = plan_of(HOURS)
    text = explanation_text(plan, explain(plan))
    assert (
        "after 18:00, and the step comes before the interview: moved back to 18:00 "
        "-> Tue 2026-12-08 18:00 CET"
    ) in text
    assert (
        "not a working day, and the step comes before the interview: "
        "2026-12-25 Christmas Day (holiday) -> back to Thu 2026-12-24 09:30 CET"
    ) in text


def test_hours_null_on_a_rule_means_no_working_hours_for_it() -> None:
    got = times(plan_of(HOURS))
    assert got[("Umbrella", "evening-note")] == "Tue 08 21:30"  # not 08:30 the next day


CAPPED = """
version: 1
timezone: Europe/Berlin
rules:
  - id: status-check
    title: "Check in with {{ company }}"
    description: "{{ 'capped' if capped else 'their timeline' }}"
    if: { timeline: known }
    when:
      from: timeline
      next: "09:00"
      latest: { from: end, offset: 21 days, at: "09:00" }
"""


def test_a_template_can_tell_that_the_cap_moved_the_step() -> None:
    plan = plan_of(CAPPED, "wishes.ics")
    said = {f.interview.facts.company: f.description for f in plan.followups}
    assert said == {"ACME": "their timeline", "Hooli": "capped"}


def test_the_shipped_status_check_does_not_say_a_capped_timeline_has_passed() -> None:
    text = (
        (EVERYDAY.parents[2] / "rules" / "default.yaml")
        .read_text(encoding="utf-8")
        .replace("timezone: local", "timezone: Europe/Berlin")
        .replace(
            '    when: { from: timeline, next: "09:00" }',
            '    when: { from: timeline, next: "09:00", '
            'latest: { from: end, offset: 21 days, at: "09:00" } }',
        )
    )
    plan = plan_of(text, "wishes.ics")
    check = {f.interview.facts.company: f for f in plan.followups if f.rule_id == "status-check"}
    assert "has passed" not in check["Hooli"].description
    assert "Their timeline (6 weeks) has not run out yet" in check["Hooli"].description
    assert "Their timeline (2 weeks) has passed" in check["ACME"].description
    assert check["Hooli"].email is not None
    assert "decide by 13 January, and I would like to plan ahead." in check["Hooli"].email.body


def test_a_name_set_in_a_template_branch_is_the_templates_own() -> None:
    rules = parse_rules(
        """
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: >-
      {% if recruiter_first_name %}{% set who = recruiter_first_name %}{% else %}{% set who
      = 'the recruiter' %}{% endif %}Thank {{ who }}
    when: { from: end, offset: 1 day, at: "09:00" }
"""
    )
    reading = read_ics((EVERYDAY / "wishes.ics").read_bytes(), rules=rules, now=NOW)
    titles = {f.interview.facts.company: f.title for f in make_plan(rules, reading, NOW).followups}
    assert titles["ACME"] == "Thank Dana"


def test_a_misspelt_template_variable_gets_the_closest_name() -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(
            'version: 1\nrules:\n  - id: a\n    title: "{{ recruter_email }}"\n'
            "    when: { from: end }\n",
            "mine.yaml",
        )
    assert "mine.yaml:4:" in str(caught.value)
    assert "'recruter_email' is undefined; did you mean 'recruiter_email'?" in str(caught.value)
