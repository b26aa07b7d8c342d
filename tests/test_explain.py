"""`followup explain`: for every rule, whether it made a follow-up, why, and how its time came about."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from followup.engine.model import Facts, Reading
from followup.engine.pipeline import make_plan
from followup.engine.plan.explain import explain, explanation_text, facts_of
from tests.conftest import at, default_rules
from tests.everyday_support import SEARCH, run
from tests.test_mark import interview

NOW = "2026-11-20T08:00"


def explained(*args: str) -> str:
    result = run("explain", *args, "--from", SEARCH, "--now", NOW)
    assert result.code == 0, result.err
    return result.out


@pytest.mark.machine_zone("Europe/Berlin")
def test_explain_shows_each_step_of_the_time_computation() -> None:
    assert explained("ACME") == (
        "Interview with ACME – Backend Engineer\n"
        "  Tue 01 Dec 2026 10:00-11:00 CET, UID acme-onsite@example.com\n"
        "  why an interview: its title has 'interview', an interview word; its title or notes"
        " name a company: ACME; its notes have a Company line\n"
        "  company     ACME  (from the event's notes)\n"
        "  role        Backend Engineer  (from the event's notes)\n"
        "  recruiter   Dana Smith <dana@acme.example>  (from the event's notes)\n"
        "  timeline    2 weeks  (from the event's notes)\n"
        "  highlights  the whiteboard session on event sourcing  (from the event's notes)\n"
        "  fit         I have run event-sourced systems in production for four years"
        "  (from the event's notes)\n"
        "\n"
        "  prepare: planned for Tue 2026-12-01 09:30 CET\n"
        "      the interview starts Tue 2026-12-01 10:00 CET\n"
        "      -30m -> Tue 2026-12-01 09:30 CET\n"
        "  appraise: planned for Tue 2026-12-01 11:45 CET\n"
        "      the interview ends Tue 2026-12-01 11:00 CET\n"
        "      +45m -> Tue 2026-12-01 11:45 CET\n"
        "  thank-you: planned for Wed 2026-12-02 09:00 CET\n"
        "      the interview ends Tue 2026-12-01 11:00 CET\n"
        "      +1 day -> Wed 2026-12-02 11:00 CET\n"
        "      at 09:00 that day -> Wed 2026-12-02 09:00 CET\n"
        "  status-check: planned for Wed 2026-12-16 09:00 CET\n"
        "      the recruiter's timeline: '2 weeks' after the interview ends"
        " -> Tue 2026-12-15 11:00 CET\n"
        "      next 09:00 -> Wed 2026-12-16 09:00 CET\n"
        "  move-on: planned for Wed 2026-12-23 09:00 CET\n"
        "      status-check is at Wed 2026-12-16 09:00 CET\n"
        "      +7 days -> Wed 2026-12-23 09:00 CET\n"
        "      at 09:00 that day -> Wed 2026-12-23 09:00 CET\n"
        "\n"
        "Times in Europe/Berlin; planned as of Fri 2026-11-20 08:00 CET.\n"
    )


def test_a_status_line_in_the_event_suppresses_the_status_check_and_says_so() -> None:
    out = explained("Initech")
    said = "(the event says Status: heard back – they want references)"
    assert "  status     heard back – they want references  (from the event's notes)\n" in out
    assert f"  status-check: not planned: its 'unless' holds: status is replied {said}\n" in out
    assert (
        "  status-check-window (fallback of status-check): not planned: "
        f"its 'unless' holds: status is replied {said}\n"
    ) in out
    assert f"  move-on: not planned: its 'unless' holds: status is replied {said}\n" in out


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_mark_suppresses_the_status_check_and_explain_names_the_mark() -> None:
    marked = run(
        "mark", "ACME", "offer", "--note", "Offer call on Friday", "--from", SEARCH, "--now", NOW
    )
    assert marked.code == 0, marked.err
    out = explained("acme-onsite@example.com")
    assert "  status      offer  (recorded with `followup mark`)\n" in out
    assert "  note        Offer call on Friday  (recorded with `followup mark`)\n" in out
    assert (
        "  status-check: not planned: its 'unless' holds: status is offer"
        " (recorded with `followup mark`)\n"
    ) in out
    assert "  thank-you: planned for Wed 2026-12-02 09:00 CET\n" in out


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_missing_timeline_is_named_and_the_fallback_window_explained() -> None:
    out = explained("Globex")
    assert "  status-check: not planned: its condition does not hold: timeline is unknown\n" in out
    assert (
        "  status-check-window (fallback of status-check): planned for Mon 2026-12-07 09:00 CET,"
        " due Thu 2026-12-10 09:00 CET\n"
        "      the interview ends Thu 2026-11-26 19:00 CET\n"
        "      +10 days -> Sun 2026-12-06 19:00 CET\n"
        "      at 09:00 that day -> Sun 2026-12-06 09:00 CET\n"
        "      not a working day: 2026-12-06 Sunday -> Mon 2026-12-07 09:00 CET\n"
        "      due: the interview ends Thu 2026-11-26 19:00 CET\n"
        "      due: +14 days -> Thu 2026-12-10 19:00 CET\n"
        "      due: at 09:00 that day -> Thu 2026-12-10 09:00 CET\n"
    ) in out


@pytest.mark.machine_zone("Europe/Berlin")
def test_a_step_across_the_end_of_summer_time_says_the_clocks_changed() -> None:
    out = explained("Hooli")
    assert (
        "  status-check: planned for Wed 2026-10-28 09:00 CET\n"
        "      the recruiter's timeline: '1 week' after the interview ends"
        " -> Tue 2026-10-27 15:00 CET\n"
        "      next 09:00 -> Wed 2026-10-28 09:00 CET\n"
        "      the clocks change in between (CEST -> CET): times of day stay on the wall clock\n"
        "  move-on: planned for Wed 2026-11-04 09:00 CET\n"
        "      status-check is at Wed 2026-10-28 09:00 CET\n"
    ) in out


@pytest.mark.machine_zone("Europe/Berlin")
def test_explain_without_an_interview_covers_every_interview_in_order() -> None:
    out = explained()
    titles = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert titles == [
        "Hooli panel interview",
        "Phone interview: Initech",
        "Globex interview",
        "Interview with ACME – Backend Engineer",
        "Times in Europe/Berlin; planned as of Fri 2026-11-20 08:00 CET.",
    ]


@pytest.mark.machine_zone("Europe/Berlin")
def test_explain_json_gives_scripts_every_decision_with_its_steps() -> None:
    data = json.loads(explained("Globex", "--json"))
    assert data["timezone"] == "Europe/Berlin"
    (globex,) = data["interviews"]
    assert globex["key"] == "globex-screen@example.com"
    assert globex["facts"]["company"] == {"value": "Globex", "source": "SUMMARY"}
    by_rule = {r["rule"]: r for r in globex["rules"]}
    assert by_rule["status-check"] == {
        "rule": "status-check",
        "produced": False,
        "fallback_of": None,
        "reason": "its condition does not hold: timeline is unknown",
        "steps": [],
        "followup": None,
    }
    window = by_rule["status-check-window"]
    assert window["fallback_of"] == "status-check"
    assert window["followup"]["start"] == "2026-12-07T09:00:00+01:00"
    assert window["followup"]["due"] == "2026-12-10T09:00:00+01:00"
    assert window["steps"][-1] == "due: at 09:00 that day -> Thu 2026-12-10 09:00 CET"


def test_explaining_an_interview_that_is_not_there_lists_the_ones_that_are() -> None:
    result = run("explain", "Umbrella", "--from", SEARCH, "--now", NOW)
    assert result.code == 2
    assert result.err.startswith("followup: no interview matches 'Umbrella'; the interviews are:\n")


def test_a_cancelled_interview_is_explained_as_cancelled() -> None:
    rules = default_rules()
    cancelled = interview()
    plan = make_plan(
        rules,
        Reading(interviews=(replace(cancelled, cancelled=True),)),
        at("Europe/Berlin", 2026, 11, 20, 8, 0),
    )
    text = explanation_text(plan, explain(plan))
    assert text.splitlines()[:4] == [
        "Interview with ACME",
        "  Tue 01 Dec 2026 10:00-11:00 CET, UID acme@example.com",
        "  cancelled: no follow-ups",
        "  company  ACME  (from the event's notes)",
    ]


def test_facts_are_listed_with_the_recruiter_as_one_name_and_address() -> None:
    facts = Facts(
        recruiter_name="Dana Smith",
        recruiter_email="dana@acme.example",
        sources=(("recruiter_name", "ORGANIZER"), ("recruiter_email", "ORGANIZER")),
    )
    ((fact),) = facts_of(facts)
    assert (fact.name, fact.value, fact.source) == (
        "recruiter",
        "Dana Smith <dana@acme.example>",
        "ORGANIZER",
    )


def test_an_unreadable_timeline_is_shown_as_a_warning_with_the_fallback_it_caused() -> None:
    rules = default_rules()
    vague = replace(interview(), facts=Facts(company="ACME", timeline="soonish"))
    plan = make_plan(rules, Reading(interviews=(vague,)), at("Europe/Berlin", 2026, 11, 20, 8, 0))
    lines = explanation_text(plan, explain(plan)).splitlines()
    assert (
        "  warning: the notes say when they decide, but followup could not read it: 'soonish';"
        " write it as 'Timeline: 2 weeks' or a date; using the policy's default window"
    ) in lines
    assert "  status-check: not planned: its condition does not hold: timeline is unknown" in lines
