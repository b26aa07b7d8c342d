"""The cookbook's wishes, each a rules file that checks and plans the times people expect.

Each rules file is taken from docs/cookbook.md as printed there, loaded as
`followup check` loads it, and planned over tests/data/everyday/wishes.ics:
a final round at ACME that ends at 18:30 (a dream job, on Zoom, with an
interviewer from acme.example), Hooli through the TalentBridge agency (six
weeks' timeline), Initech (an offer recorded on 1 December) and Globex
(rejected). The expected times are written out here, not computed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.engine.marks import Mark, apply_marks
from followup.engine.model import Plan
from followup.engine.pipeline import read_ics
from followup.engine.plan.explain import explain, explanation_text
from followup.engine.plan.planner import make_plan
from followup.rules.loader import parse_rules
from tests.everyday_support import EVERYDAY
from tests.test_everyday_docs import cookbook_rules

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)
WISHES = EVERYDAY / "wishes.ics"
OFFER = Mark("initech-offer@example.com", "offer", marked=date(2026, 12, 1))


def plan_of(name: str, *, marks: bool = False, calendar: str = "wishes.ics") -> Plan:
    rules = parse_rules(dict(cookbook_rules())[name], name)
    reading = read_ics((EVERYDAY / calendar).read_bytes(), rules=rules, now=NOW)
    if marks:
        reading = apply_marks(reading, {OFFER.key: OFFER})
    return make_plan(rules, reading, NOW)


def times(plan: Plan) -> dict[tuple[str, str], str]:
    """(company, rule) -> start as 'YYYY-MM-DD HH:MM' in Berlin."""
    return {
        (
            f.interview.facts.company or "?",
            f.rule_id,
        ): f"{f.start.astimezone(BERLIN):%Y-%m-%d %H:%M}"
        for f in plan.followups
    }


def trace(plan: Plan, company: str) -> str:
    chosen = [iv for iv in plan.interviews if iv.facts.company == company]
    return explanation_text(plan, explain(plan, chosen))


def test_a_step_for_final_rounds_comes_only_after_the_final_round() -> None:
    planned = times(plan_of("final.yaml"))
    assert planned[("ACME", "references")] == "2026-12-02 10:00"
    assert [key for key in planned if key[1] == "references"] == [("ACME", "references")]


def test_a_step_for_the_dream_job_category_comes_only_for_that_event() -> None:
    assert times(plan_of("dream-job.yaml")) == {
        ("ACME", "what-would-make-me-say-yes"): "2026-12-02 12:00"
    }


def test_an_agency_recruiter_gets_the_agency_cadence_and_the_rest_the_companys() -> None:
    assert times(plan_of("agency-or-not.yaml")) == {
        ("Hooli", "agency-check"): "2026-12-07 09:00",  # 3 business days after Wed 2 Dec
        ("ACME", "status-check"): "2026-12-11 09:00",
        ("Initech", "status-check"): "2026-12-03 09:00",
        # Globex: rejected, so neither.
    }
    acme = next(
        f for f in plan_of("agency-or-not.yaml").followups if f.interview.uid.startswith("final")
    )
    assert acme.title == "Check in with ACME (you met Lee Chen)"


def test_a_location_pattern_finds_the_video_call() -> None:
    assert times(plan_of("zoom.yaml")) == {("ACME", "test-the-link"): "2026-12-01 17:00"}


def test_a_step_after_working_hours_moves_to_the_next_morning_and_explain_says_so() -> None:
    plan = plan_of("hours.yaml")
    planned = times(plan)
    assert planned[("ACME", "appraise")] == "2026-12-02 08:30"  # not 19:15 the evening before
    assert planned[("Hooli", "appraise")] == "2026-12-02 11:45"  # inside the hours: unchanged
    assert (
        "      +45m -> Tue 2026-12-01 19:15 CET\n"
        "      after 18:00: moved to 08:30 the next day -> Wed 2026-12-02 08:30 CET\n"
    ) in trace(plan, "ACME")


def test_a_long_timeline_is_capped_at_three_weeks_and_a_short_one_is_not() -> None:
    plan = plan_of("capped.yaml")
    planned = times(plan)
    assert planned[("Hooli", "status-check")] == "2026-12-23 09:00"  # not 14 January
    assert planned[("ACME", "status-check")] == "2026-12-16 09:00"  # two weeks: under the cap
    text = trace(plan, "Hooli")
    assert "      next 09:00 -> Thu 2027-01-14 09:00 CET\n" in text
    assert "      latest: at 09:00 that day -> Wed 2026-12-23 09:00 CET\n" in text
    assert "      later than the latest, so -> Wed 2026-12-23 09:00 CET\n" in text
    notes = {f.interview.facts.company: f.description for f in plan.followups}
    assert notes["Hooli"].startswith("Three weeks have passed; their timeline (6 weeks)")
    assert notes["ACME"] == "Their timeline has passed."


def test_an_offer_is_followed_by_a_negotiate_step_the_morning_after_the_mark() -> None:
    plan = plan_of("offer.yaml", marks=True)
    assert times(plan) == {("Initech", "negotiate"): "2026-12-02 09:00"}
    assert (
        "the status became offer on Tue 2026-12-01 (recorded with `followup mark`)"
        " -> Tue 2026-12-01 00:00 CET" in trace(plan, "Initech")
    )


def test_a_status_from_the_event_has_no_day_so_the_step_waits_for_a_mark() -> None:
    rules = parse_rules(
        dict(cookbook_rules())["offer.yaml"].replace("status: offer", "status: rejected")
    )
    plan = make_plan(rules, read_ics(WISHES.read_bytes(), rules=rules, now=NOW), NOW)
    assert plan.followups == ()
    assert "was not recorded with `followup mark`" in trace(plan, "Globex")


def test_a_file_wide_stop_ends_every_chain_of_a_rejected_interview() -> None:
    plan = plan_of("stop.yaml")
    assert times(plan) == {
        ("ACME", "thank-you"): "2026-12-02 09:00",
        ("Hooli", "thank-you"): "2026-12-03 09:00",
        ("Initech", "thank-you"): "2026-11-24 09:00",
    }
    assert "the policy stops here: status is rejected" in trace(plan, "Globex")


def test_defaults_give_due_and_unless_to_rules_that_do_not_say_and_null_opts_out() -> None:
    plan = plan_of("defaults.yaml", marks=True)
    by_key = {(f.interview.facts.company, f.rule_id): f for f in plan.followups}
    status_check = by_key[("ACME", "status-check")]
    assert status_check.due is not None
    assert f"{status_check.due:%Y-%m-%d %H:%M}" == "2026-12-15 17:00"  # the default due
    thank_you = by_key[("ACME", "thank-you")]
    assert thank_you.due is not None and f"{thank_you.due:%Y-%m-%d %H:%M}" == "2026-12-02 17:00"
    assert by_key[("ACME", "appraise")].due is None  # due: null
    # The default unless stops answered interviews, but appraise opted out.
    assert ("Initech", "thank-you") not in by_key and ("Globex", "thank-you") not in by_key
    assert ("Initech", "appraise") in by_key and ("Globex", "appraise") in by_key


def test_final_rounds_are_checked_after_a_week_and_the_rest_by_their_chain() -> None:
    planned = times(plan_of("final-week.yaml", marks=True))
    assert planned == {
        ("ACME", "status-check"): "2026-12-08 09:00",  # final: a week, not the two weeks said
        ("ACME", "move-on"): "2026-12-15 09:00",
        ("Hooli", "status-check-timeline"): "2027-01-14 09:00",  # their six weeks
        ("Hooli", "move-on"): "2027-01-21 09:00",  # after whichever of the chain planned
        # Initech (an offer) and Globex (rejected): answered.
    }


def test_agency_recruiters_are_asked_after_five_business_days_and_companies_after_ten() -> None:
    assert times(plan_of("agency-first.yaml", marks=True)) == {
        ("Hooli", "status-check"): "2026-12-09 09:00",  # Wed 2 Dec + 5 working days
        ("Hooli", "move-on"): "2026-12-16 09:00",
        ("ACME", "status-check-company"): "2026-12-11 09:00",
        ("ACME", "move-on"): "2026-12-18 09:00",
    }


def test_a_company_ending_in_gmbh_gets_the_german_draft_and_the_others_the_english() -> None:
    plan = plan_of("german-drafts.yaml", calendar="news.ics")
    drafts = {f.interview.facts.company: (f.rule_id, f.email) for f in plan.followups}
    rule_id, email = drafts["Muster GmbH"]
    assert rule_id == "thank-you" and email is not None
    assert email.body.startswith("Guten Tag Frau Berger,")
    assert {company: rule for company, (rule, _) in drafts.items()} == {
        "Muster GmbH": "thank-you",
        "Initech": "thank-you-en",
        "Globex": "thank-you-en",
    }


def test_the_preparation_comes_before_an_evening_or_holiday_interview() -> None:
    planned = times(plan_of("prepare.yaml", calendar="odd-hours.ics"))
    assert planned[("Umbrella", "prepare")] == "2026-12-08 18:00"  # interview at 20:00
    assert planned[("Wayne", "prepare")] == "2026-12-24 09:30"  # interview on Christmas Day
    assert planned[("Wayne", "thank-you")] == "2026-12-28 09:00"
    assert planned[("Umbrella", "notes")] == "2026-12-08 21:15"  # hours: null


def test_an_offer_in_the_notes_plans_the_negotiation_without_a_mark() -> None:
    plan = plan_of("offer-in-notes.yaml", calendar="news.ics")
    assert times(plan) == {
        ("Initech", "negotiate"): "2026-12-02 09:00",
        ("Muster GmbH", "negotiate"): "2026-12-01 09:00",
    }


@pytest.mark.parametrize(("name", "yaml"), cookbook_rules())
def test_every_cookbook_file_plans_without_a_warning(name: str, yaml: str) -> None:
    plan = plan_of(name)
    assert plan.warnings == ()


def test_four_everyday_wishes_each_come_out_as_written() -> None:
    plan = plan_of("four-wishes.yaml")
    planned = times(plan)
    # Two working days after ACME's Tuesday evening round, and the second check a week
    # after the first.
    assert planned[("ACME", "linkedin")] == "2026-12-03 10:00"
    assert planned[("ACME", "status-check")] == "2026-12-11 09:00"
    assert planned[("ACME", "status-check-again")] == "2026-12-18 09:00"
    # The dream job only: the evening before, with its alarm an hour ahead.
    assert [key for key in planned if key[1] == "prepare"] == [("ACME", "prepare")]
    assert planned[("ACME", "prepare")] == "2026-11-30 19:00"
    prepare = next(f for f in plan.followups if f.rule_id == "prepare")
    assert prepare.alarm_before == timedelta(hours=1)
    # Todos with a due date, but for the appraisal, which every interview gets.
    for followup in plan.followups:
        todo = followup.rule_id not in ("appraisal", "prepare")
        assert (followup.kind == "todo", followup.due is not None) == (todo, todo), followup
    assert {key[0] for key in planned if key[1] == "appraisal"} == {
        "ACME",
        "Hooli",
        "Initech",
        "Globex",
    }


def test_a_chain_in_the_users_order_plans_each_interview_from_its_first_link_that_holds() -> None:
    planned = times(plan_of("timeline-first.yaml", calendar="chains.ics"))
    assert planned == {
        ("Stark", "status-check"): "2026-12-23 09:00",  # their timeline: 3 weeks
        ("Stark", "move-on"): "2026-12-30 09:00",
        ("Umbrella", "status-check-final"): "2026-12-09 09:00",  # a week after the final
        ("Umbrella", "move-on"): "2026-12-16 09:00",
        ("Wayne", "status-check-window"): "2026-12-13 09:00",  # 10 days, no timeline
        ("Wayne", "move-on"): "2026-12-20 09:00",
    }
