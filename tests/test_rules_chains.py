"""Fallback chains of any depth, conditions with any/not and lists of patterns, and what
`followup check` says about rules that can never plan a step.

Planned over tests/data/everyday/wishes.ics: a final round at ACME (two weeks'
timeline), Hooli through an agency (six weeks), Initech (no timeline) and Globex
(rejected in its notes). Expected times are written out, not computed.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.model import Plan
from followup.engine.pipeline import read_ics
from followup.engine.plan.explain import explain, explanation_text
from followup.engine.plan.planner import PREDICATES, make_plan
from followup.rules.analysis import never_planned
from followup.rules.errors import RulesError
from followup.rules.loader import parse_rules
from followup.rules.model import Condition
from tests.everyday_support import EVERYDAY

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)

CHAIN = """
version: 1
timezone: Europe/Berlin
rules:
  - id: status-check-final
    title: "Check in with {{ company }} after the final round"
    if: { title_contains: final }
    unless: { status: answered }
    fallback: status-check
    when: { from: end, offset: 7 days, at: "09:00" }
  - id: status-check
    title: "Check in with {{ company }}"
    if: { timeline: known }
    unless: { status: answered }
    fallback: status-check-window
    when: { from: timeline, next: "09:00" }
  - id: status-check-window
    title: "Check in with {{ company }}"
    unless: { status: answered }
    when: { from: end, offset: 10 days, at: "09:00" }
  - id: move-on
    title: "Move on from {{ company }}"
    unless: { status: answered }
    when: { from: status-check-final, offset: 7 days, at: "09:00" }
"""


def plan_of(text: str) -> Plan:
    rules = parse_rules(text)
    reading = read_ics((EVERYDAY / "wishes.ics").read_bytes(), rules=rules, now=NOW)
    return make_plan(rules, reading, NOW)


def times(plan: Plan) -> dict[tuple[str, str], str]:
    return {
        (f.interview.facts.company or "?", f.rule_id): f"{f.start.astimezone(BERLIN):%m-%d %H:%M}"
        for f in plan.followups
    }


def test_a_fallbacks_own_fallback_runs_and_the_move_on_follows_whichever_planned() -> None:
    assert times(plan_of(CHAIN)) == {
        ("ACME", "status-check-final"): "12-08 09:00",  # the title says final
        ("ACME", "move-on"): "12-15 09:00",
        ("Hooli", "status-check"): "01-14 09:00",  # six weeks, then 09:00
        ("Hooli", "move-on"): "01-21 09:00",
        ("Initech", "status-check-window"): "12-03 09:00",  # no timeline: two levels down
        ("Initech", "move-on"): "12-10 09:00",
    }


def test_explain_names_each_link_of_the_chain_it_walked() -> None:
    plan = plan_of(CHAIN)
    initech = [iv for iv in plan.interviews if iv.facts.company == "Initech"]
    text = explanation_text(plan, explain(plan, initech))
    assert "status-check-final: not planned: its condition does not hold: the title" in text
    assert "status-check (fallback of status-check-final): not planned: its condition" in text
    assert "status-check-window (fallback of status-check): planned for Thu 2026-12-03" in text


def test_check_names_the_whole_chain_a_fallback_belongs_to(tmp_path: Path) -> None:
    path = tmp_path / "chain.yaml"
    path.write_text(CHAIN, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "note: status-check-window runs only as the fallback of status-check, not on its own "
        "(chain: status-check-final -> status-check -> status-check-window)"
    ) in result.output


def test_a_cycle_of_fallbacks_is_refused_naming_the_rules() -> None:
    text = CHAIN.replace(
        '    when: { from: end, offset: 10 days, at: "09:00" }\n',
        '    fallback: status-check-final\n    when: { from: end, offset: 10 days, at: "09:00" }\n',
        1,
    )
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "cycle.yaml")
    message = str(caught.value)
    assert "cycle" in message
    assert "status-check-final -> status-check -> status-check-window -> status-check-final" in (
        message
    )


NEVER = """
version: 1
timezone: Europe/Berlin
stop: { status: rejected }
rules:
  - id: offer-only
    title: "x"
    if: { status: offer }
    unless: { status: answered }
    when: { from: end }
  - id: after-it
    title: "y"
    when: { from: offer-only, offset: 1 day }
  - id: final-twice
    title: "z"
    if: { title_contains: final, company: known }
    unless: { title_contains: final }
    when: { from: end }
  - id: stopped
    title: "w"
    if: { status: rejected }
    when: { from: end }
  - id: no-timeline
    title: "v"
    if: { timeline: unknown }
    when: { from: timeline }
  - id: fine
    title: "u"
    if: { status: offer }
    when: { from: end }
"""


def test_check_names_every_rule_that_can_never_plan_a_step(tmp_path: Path) -> None:
    path = tmp_path / "never.yaml"
    path.write_text(NEVER, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: offer-only can never plan a step: its 'unless' ({ status: answered }) "
        "holds for every status its 'if' allows (offer)",
        "warning: final-twice can never plan a step: its 'unless' ({ title_contains: final }) "
        "holds whenever its 'if' ({ company: known, title_contains: final }) does",
        "warning: stopped can never plan a step: the file's 'stop' ({ status: rejected }) "
        "holds for every status its 'if' allows (rejected)",
        "warning: no-timeline can never plan a step: it counts from the timeline, but its "
        "'if' asks for no timeline",
        "warning: after-it can never plan a step: its when.from names offer-only, which "
        "never plans a step",
    ]
    assert "  fine                   event from end 0\n" in result.output


def test_what_check_calls_never_planned_plans_nothing_on_a_real_calendar() -> None:
    plan = plan_of(NEVER)
    dead = never_planned(parse_rules(NEVER))
    assert {f.rule_id for f in plan.followups}.isdisjoint(dead)
    assert set(dead) == {"offer-only", "after-it", "final-twice", "stopped", "no-timeline"}


def test_every_condition_key_has_one_predicate() -> None:
    keys = {field.alias or name for name, field in Condition.model_fields.items()}
    assert set(PREDICATES) == keys


ANY_NOT = """
version: 1
timezone: Europe/Berlin
rules:
  - id: fast-check
    title: "Ask {{ recruiter_first_name }} for news"
    if: { any: [{ agency: true }, { matches: { recruiter_domain: "*.recruit.example" } }] }
    when: { from: end, offset: 5 business days, at: "09:00" }
  - id: not-final
    title: "Thank {{ company }}"
    if: { not: { title_contains: final } }
    when: { from: end, offset: 1 day, at: "09:00" }
  - id: german
    title: "Danke an {{ company }}"
    if: { matches: { company: ["* GmbH", "* AG", "ACME"] } }
    when: { from: end, offset: 1 day, at: "10:00" }
"""


def test_any_not_and_a_list_of_patterns_each_hold_as_documented() -> None:
    assert times(plan_of(ANY_NOT)) == {
        ("Hooli", "fast-check"): "12-09 09:00",  # the agency: five working days
        ("Hooli", "not-final"): "12-03 09:00",
        ("Initech", "not-final"): "11-24 09:00",
        ("Globex", "not-final"): "11-27 09:00",
        ("ACME", "german"): "12-02 10:00",  # the third pattern
    }


def test_explain_says_which_of_any_held_and_why_none_did() -> None:
    plan = plan_of(ANY_NOT)
    text = explanation_text(plan, explain(plan))
    assert (
        "fast-check: not planned: its condition does not hold: none of 'any' holds: the "
        "recruiter writes from acme.example, the company's domain; recruiter_domain does not "
        "match '*.recruit.example'"
    ) in text
    assert "german: not planned: its condition does not hold: company does not match " in text
    assert "'* GmbH' or '* AG' or 'ACME'" in text
