"""Each draft is in the language of its interview, from the shipped policies' own texts.

The invitation's words first (Facts.language), then the rules' ``languages`` for the
company, then the rule's ``language``, then the file's. A shipped email is written
from the shipped policy in that language; an email the user wrote stays in its own
language, and the plan says the interview wanted another.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup.engine.model import Facts, Interview, Plan, Reading
from followup.engine.plan.planner import make_plan
from followup.rules.loader import load_rules
from followup.rules.model import Email, RuleSet
from tests.conftest import ROOT

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=BERLIN)


def rules(name: str = "default.yaml", **changes: object) -> RuleSet:
    ruleset = load_rules(ROOT / "rules" / name)
    return ruleset.model_copy(update={"timezone": "Europe/Berlin", **changes})


def with_rule(ruleset: RuleSet, rule_id: str, **changes: object) -> RuleSet:
    rules_ = [r.model_copy(update=changes) if r.id == rule_id else r for r in ruleset.rules]
    return ruleset.model_copy(update={"rules": rules_})


def plan(ruleset: RuleSet, **facts: object) -> Plan:
    known: dict[str, object] = {
        "company": "Kessler AG",
        "role": "Projektmanager",
        "recruiter_name": "Anna Berger",
        "recruiter_email": "anna.berger@kessler.example",
        **facts,
    }
    interview = Interview(
        uid="kessler@example.com",
        recurrence_id=None,
        summary="Interview",
        start=START,
        end=START + timedelta(hours=1),
        facts=Facts(**known),  # type: ignore[arg-type]
    )
    return make_plan(ruleset, Reading(interviews=(interview,)), NOW)


def thank_you(result: Plan) -> tuple[str, str, str]:
    step = next(f for f in result.followups if f.rule_id == "thank-you")
    assert step.email is not None
    return step.title, step.email.subject, step.email.body


def test_an_invitation_in_french_gets_a_french_draft_under_english_rules() -> None:
    title, subject, body = thank_you(plan(rules(), language="fr"))
    assert body.startswith("Bonjour Anna Berger,\n\nJe vous remercie pour l’entretien du mardi 1er")
    assert subject == "Merci – Projektmanager chez Kessler AG"
    assert title == "Send Anna a thank-you email"  # the step itself speaks the user's language


def test_the_rules_give_a_company_its_language_when_the_invitation_does_not_say() -> None:
    _, _, body = thank_you(plan(rules(languages={"Kessler*": "de"})))
    assert body.startswith("Guten Tag Anna Berger,\n\nvielen Dank für die Gelegenheit")
    _, _, spoken = thank_you(plan(rules(languages={"Kessler*": "de"}), language="es"))
    assert spoken.startswith("Buenos días, Anna Berger:")  # the invitation's words come first


def test_a_rule_may_have_a_language_of_its_own_and_the_company_comes_before_it() -> None:
    dutch = with_rule(rules(), "thank-you", language="nl")
    _, _, body = thank_you(plan(dutch))
    assert "Hartelijk dank voor het gesprek op dinsdag 1 december" in body
    both = dutch.model_copy(update={"languages": {"Kessler AG": "es"}})
    _, _, spoken = thank_you(plan(both))
    assert "Muchas gracias por la entrevista del martes 1 de diciembre" in spoken


def test_an_email_the_user_wrote_stays_in_its_language_and_the_plan_says_so() -> None:
    own = with_rule(
        rules(),
        "thank-you",
        email=Email(subject="Thanks!", body="{{ greeting }}\n\nThanks for {{ interview_date }}."),
    )
    result = plan(own, language="fr")
    _, subject, body = thank_you(result)
    assert (subject, body) == ("Thanks!", "Dear Anna,\n\nThanks for Tuesday 1 December.")
    assert any(
        "thank-you: its email is in en, though the draft should be in fr" in w
        for w in result.warnings
    ), result.warnings


def test_an_email_written_in_french_by_the_user_is_french_with_its_rules_language() -> None:
    own = with_rule(
        rules(),
        "thank-you",
        language="fr",
        email=Email(subject="Merci", body="{{ greeting }}\n\nMerci pour le {{ interview_date }}."),
    )
    result = plan(own, recruiter_name="Mme Anna Berger")
    _, _, body = thank_you(result)
    assert body == "Madame,\n\nMerci pour le mardi 1er décembre."
    assert not any("should be in" in w for w in result.warnings)


def test_a_german_file_drafts_an_english_invitation_in_english() -> None:
    _, subject, body = thank_you(plan(rules("default.de.yaml"), language="en"))
    assert body.startswith("Dear Anna,\n\nThank you for the opportunity to interview")
    assert subject == "Thank you – Projektmanager at Kessler AG"


def test_every_shipped_language_has_the_same_steps_and_emails_as_the_english_policy() -> None:
    english = rules()
    for language in ("de", "fr", "nl", "es"):
        other = rules(f"default.{language}.yaml")
        assert other.language == language
        assert [r.id for r in other.rules] == [r.id for r in english.rules], language
        for mine, theirs in zip(other.rules, english.rules, strict=True):
            assert (mine.email is None) == (theirs.email is None), (language, mine.id)
            assert (mine.when, mine.due, mine.superseded_by_next_round) == (
                theirs.when,
                theirs.due,
                theirs.superseded_by_next_round,
            ), (language, mine.id)
            if mine.email is not None and theirs.email is not None:
                assert mine.email.per_person == theirs.email.per_person
