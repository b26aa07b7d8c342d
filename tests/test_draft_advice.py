"""The shipped drafts follow the advice to the letter, in English and German.

Each part of the advice the default policy follows is a list of phrases per
language; every draft of the shipped policies must say each of them, for an
interview with every fact known, with none, and with Highlights and Fit
written the ways people write notes. The notes must come out as well-formed
text: no doubled period, no capitalised fragment in mid-sentence, no empty
"about the  role", and nothing of what the user wrote left out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from engine.model import Facts, FollowUp, Interview, Plan
from engine.plan.planner import make_plan
from rules.loader import load_rules
from rules.model import RuleSet, Sender
from rules.prose import note_items
from tests.conftest import ROOT

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)  # a Tuesday
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=BERLIN)

ALL_FACTS = Facts(
    company="ACME",
    role="Backend Engineer",
    recruiter_name="Dana Smith",
    recruiter_email="dana@acme.example",
    timeline="2 weeks",
    highlights="the whiteboard session on event sourcing",
    fit="I have run event-sourced systems in production for four years",
)
NO_FACTS = Facts()

# The advice, part by part, and where each language's drafts say it.
THANK_YOU_ADVICE = {
    "thank them for the opportunity": {
        "en": ["Thank you for the opportunity to interview"],
        "de": ["vielen Dank für die Gelegenheit zum Gespräch"],
    },
    "say you remain interested": {
        "en": ["I remain very interested in the role."],
        "de": ["ich bin weiterhin sehr an der Stelle interessiert."],
    },
    "mention the moments that stood out": {
        "en": ["I especially appreciated ", "What stood out for me:\n- "],
        "de": [
            "Besonders geschätzt habe ich",
            "Besonders in Erinnerung geblieben ist mir:\n- ",
        ],
    },
    "say why the role fits your purpose and skills": {
        "en": ["what I want to do next and "],
        "de": ["was ich als Nächstes tun möchte", "zu meinen Zielen und Fähigkeiten passt"],
    },
    "offer more information or documents": {
        "en": ["If there is anything else I can send you, such as references or work samples"],
        "de": [
            "Wenn ich Ihnen weitere Unterlagen schicken kann, etwa Referenzen oder Arbeitsproben"
        ],
    },
    "say you look forward to hearing from them": {
        "en": ["I look forward to hearing from you."],
        "de": ["Ich freue mich darauf, von Ihnen zu hören."],
    },
}
STATUS_CHECK_ADVICE = {
    "ask at what stage the process is": {
        "en": ["Could you tell me at what stage the process is?"],
        "de": ["Können Sie mir sagen, wie der Stand des Auswahlverfahrens ist?"],
    },
    "restate your interest": {
        "en": ["I remain very interested in the role"],
        "de": ["Ich bin weiterhin sehr an der Stelle interessiert"],
    },
    "professional: greet, close, look forward": {
        "en": ["I look forward to hearing from you.\n\nBest regards"],
        "de": ["Ich freue mich darauf, von Ihnen zu hören.\n\nMit freundlichen Grüßen"],
    },
}
MOVE_ON_ADVICE = {
    "do not take it personally": {"en": ["It is not personal"], "de": ["nichts Persönliches"]},
    "move on to other opportunities": {
        "en": ["Put your energy into other openings"],
        "de": ["Stecken Sie Ihre Energie jetzt in andere Stellen"],
    },
    "keep the contact, and stop the chain if they write": {
        "en": ["Keep the contact", "followup mark"],
        "de": ["Halten Sie den Kontakt", "followup mark"],
    },
}
PREPARE_ADVICE = {
    "before leaving, ask when they expect to decide": {
        "en": ["When do you expect to decide"],
        "de": ["Bis wann möchten Sie entscheiden"],
    },
}

POLICIES = {"en": "default.yaml", "de": "default.de.yaml"}

# Highlights as people write them: fragments, sentences, notes, lists, their own punctuation.
HIGHLIGHTS = [
    "the whiteboard session on event sourcing",
    "The whiteboard session on event sourcing",
    "the whiteboard session on event sourcing.",
    "the whiteboard session on event sourcing...",
    "Loved the team. The take-home review went really well!",
    "- the team\n- the take-home review\n- the roadmap talk",
    "* Great questions on Kafka\n* Friendly team",
    "team culture; the on-call setup; pairing",
    "meeting the team",
    "Meeting the team!",
    "I loved how open they were about the roadmap.",
    "The team was great..",
    "Kubernetes migration talk",
    "1. architecture deep dive\n2. lunch with the team",
    "talked about scaling Postgres",
    "the CTO's vision for the product, the flexible hours",
    "How they run incidents without blame",
    "their focus on testing (TDD, property tests)",
    "   the   demo   ",
    "Great culture!!!",
    "the open-source work, e.g. their CalDAV library",
    "the role's scope: backend + infra",
    "Was the interviewer impressed?",
    "!!",
    "das Gespräch über die Migration nach Kubernetes",
    "Das Team war super. Die Fragen waren fair!",
    "- Teamkultur\n- Code-Review-Prozess",
    "Die offene Art des Teams",
]
FIT = [
    "I have run event-sourced systems in production for four years",
    "I have run event-sourced systems in production for four years.",
    "my four years of event sourcing in production",
    "Python, Kafka, Postgres",
    "- 4 years Kafka\n- led a team of 5",
    "Strong match with my backend experience!",
    "I want to grow into system design; I've done 3 years of backend work.",
    "exactly what I'm looking for..",
    "their mission, my experience with payments",
    "My background in payments",
    "fits my goal to move into platform work",
    "Ich habe vier Jahre lang ereignisbasierte Systeme betrieben.",
    "meine Erfahrung mit Kafka",
    "Passt perfekt zu meinem Profil!",
]


def interview(facts: Facts, uid: str = "acme@example.com") -> Interview:
    return Interview(
        uid=uid,
        recurrence_id=None,
        summary="Interview",
        start=START,
        end=START + timedelta(hours=1),
        facts=facts,
    )


def rules_for(language: str, sender: dict[str, str] | None = None) -> RuleSet:
    ruleset = load_rules(ROOT / "rules" / POLICIES[language])
    changes: dict[str, object] = {"timezone": "Europe/Berlin"}
    if sender is not None:
        changes["sender"] = Sender(**sender)
    return ruleset.model_copy(update=changes)


def plan_for(language: str, facts: Facts, sender: dict[str, str] | None = None) -> Plan:
    return make_plan(rules_for(language, sender), [interview(facts)], NOW)


def step(plan: Plan, rule_id: str) -> FollowUp:
    found = [f for f in plan.followups if f.rule_id == rule_id]
    assert len(found) == 1, [f.rule_id for f in plan.followups]
    return found[0]


def body(plan: Plan, rule_id: str) -> str:
    followup = step(plan, rule_id)
    assert followup.email is not None
    return followup.email.body


def says_every_part(text: str, advice: dict[str, dict[str, list[str]]], language: str) -> None:
    for part, phrases in advice.items():
        assert any(phrase in text for phrase in phrases[language]), (part, text)


def well_formed(text: str) -> None:
    """No doubled period, stray space or empty slot; every prose paragraph ends a sentence."""
    for defect in ("..", " .", " ,", "!.", "?.", ",.", ":.", ";.", "  ", "None", "the  role"):
        assert defect not in text, (defect, text)
    for lead in ("appreciated ", "geschätzt habe ich "):
        at = text.find(lead)
        if at >= 0:
            following = text[at + len(lead) :]
            assert following[:1].islower() or following.startswith("mehr"), text
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        first = lines[0]
        if first.endswith(":") and all(line.startswith("- ") for line in lines[1:]):
            assert len(lines) > 1, paragraph  # a lead-in always has its list
            continue
        if first.startswith(("Best regards", "Mit freundlichen Grüßen")):
            continue
        if first.endswith(","):  # the salutation
            assert len(lines) == 1
            continue
        assert paragraph[-1] in ".?!", paragraph


def keeps_every_word(text: str, note: str) -> None:
    for item in note_items(note):
        for word in re.findall(r"\w{2,}", item):
            assert word.casefold() in text.casefold(), (word, text)


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("facts", [ALL_FACTS, NO_FACTS], ids=["all facts", "no facts"])
def test_the_thank_you_says_every_part_of_the_advice(language: str, facts: Facts) -> None:
    text = body(plan_for(language, facts), "thank-you")
    says_every_part(text, THANK_YOU_ADVICE, language)
    well_formed(text)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_thank_you_is_concise_without_the_users_notes(language: str) -> None:
    for facts in (NO_FACTS, replace(ALL_FACTS, highlights=None, fit=None)):
        text = body(plan_for(language, facts, sender={"name": "Alex Doe"}), "thank-you")
        assert words(text) <= 150, (words(text), text)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("note", HIGHLIGHTS)
def test_highlights_written_any_way_become_well_formed_text(language: str, note: str) -> None:
    facts = replace(ALL_FACTS, highlights=note)
    text = body(plan_for(language, facts), "thank-you")
    well_formed(text)
    keeps_every_word(text, note)
    says_every_part(text, THANK_YOU_ADVICE, language)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("note", FIT)
def test_fit_written_any_way_becomes_well_formed_text(language: str, note: str) -> None:
    facts = replace(NO_FACTS, fit=note, highlights="- the demo\n- the team")
    text = body(plan_for(language, facts), "thank-you")
    well_formed(text)
    keeps_every_word(text, note)
    says_every_part(text, THANK_YOU_ADVICE, language)


def test_a_note_that_reads_as_a_phrase_goes_into_the_sentence_others_into_a_list() -> None:
    def highlights(note: str) -> str:
        text = body(plan_for("en", replace(ALL_FACTS, highlights=note)), "thank-you")
        return text.split("\n\n")[2]

    assert highlights("The whiteboard session.") == (
        "I especially appreciated the whiteboard session."
    )
    assert highlights("meeting the team") == "I especially appreciated meeting the team."
    assert highlights("Loved the team. The take-home review went really well!") == (
        "What stood out for me:\n- Loved the team\n- The take-home review went really well!"
    )
    assert highlights("Kubernetes migration talk") == (
        "What stood out for me:\n- Kubernetes migration talk"
    )


def test_a_german_note_keeps_its_nouns_and_loses_the_capital_of_its_article() -> None:
    text = body(
        plan_for("de", replace(ALL_FACTS, highlights="Das Gespräch über Kafka.")), "thank-you"
    )
    assert "Besonders geschätzt habe ich das Gespräch über Kafka.\n" in text


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_status_check_asks_restates_and_recalls_the_interview_and_their_timeline(
    language: str,
) -> None:
    plan = plan_for(language, replace(ALL_FACTS, timeline="by 2026-12-15"))
    text = body(plan, "status-check")
    says_every_part(text, STATUS_CHECK_ADVICE, language)
    well_formed(text)
    recalls = {
        "en": [
            "our conversation on Tuesday 1 December about the Backend Engineer role at ACME.",
            "You mentioned you expected to decide by 15 December.",
        ],
        "de": [
            "unserem Gespräch am 1. Dezember über die Stelle als Backend Engineer bei ACME.",
            "Sie erwähnten, dass Sie bis zum 15. Dezember entscheiden wollten.",
        ],
    }
    for phrase in recalls[language]:
        assert phrase in text
    assert "the Backend Engineer at" not in text  # the role, not a person
    # Timely: the first working morning after their timeline.
    assert step(plan, "status-check").start == datetime(2026, 12, 16, 9, 0, tzinfo=BERLIN)


@pytest.mark.parametrize("language", ["en", "de"])
def test_without_a_timeline_the_status_check_comes_10_to_14_days_after(language: str) -> None:
    plan = plan_for(language, NO_FACTS)
    window = step(plan, "status-check-window")
    assert window.start == datetime(2026, 12, 11, 9, 0, tzinfo=BERLIN)
    assert window.due == datetime(2026, 12, 15, 9, 0, tzinfo=BERLIN)
    text = body(plan, "status-check-window")
    says_every_part(text, STATUS_CHECK_ADVICE, language)
    well_formed(text)
    assert "decide by" not in text and "bis zum" not in text


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("facts", [ALL_FACTS, NO_FACTS], ids=["all facts", "no facts"])
def test_the_move_on_step_says_it_is_not_personal_and_what_to_do_next(
    language: str, facts: Facts
) -> None:
    move_on = step(plan_for(language, facts), "move-on")
    says_every_part(move_on.description, MOVE_ON_ADVICE, language)
    assert "None" not in move_on.description


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_timeline_question_rings_before_the_interview_never_inside_it(language: str) -> None:
    plan = plan_for(language, ALL_FACTS)
    prepare = step(plan, "prepare")
    says_every_part(prepare.description, PREPARE_ADVICE, language)
    assert prepare.start == START - timedelta(minutes=30)
    assert prepare.end <= START
    for followup in plan.followups:
        if followup.alarm_before is not None:
            rings = followup.start - followup.alarm_before
            assert not START <= rings < START + timedelta(hours=1), followup.rule_id


@pytest.mark.parametrize(
    ("name", "en", "de"),
    [
        ("Frau Berger", "Dear Ms Berger,", "Sehr geehrte Frau Berger,"),
        ("Ms Berger", "Dear Ms Berger,", "Sehr geehrte Frau Berger,"),
        ("Herr Dr. Krause", "Dear Dr. Krause,", "Sehr geehrter Herr Dr. Krause,"),
        ("Dr. Krause", "Dear Dr. Krause,", "Guten Tag Dr. Krause,"),
        ("Mr Smith", "Dear Mr Smith,", "Sehr geehrter Herr Smith,"),
        ("Dana Smith", "Dear Dana,", "Guten Tag Dana Smith,"),
        ("Berger, Anna", "Dear Anna,", "Guten Tag Anna Berger,"),
        (None, "Hello,", "Guten Tag,"),
    ],
)
def test_the_salutation_follows_the_language_and_the_known_form_of_address(
    name: str | None, en: str, de: str
) -> None:
    facts = replace(ALL_FACTS, recruiter_name=name)
    assert body(plan_for("en", facts), "thank-you").startswith(en + "\n\n")
    assert body(plan_for("de", facts), "thank-you").startswith(de + "\n\nvielen Dank")


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_drafts_sign_with_the_senders_name_or_signature(language: str) -> None:
    closing = {"en": "Best regards", "de": "Mit freundlichen Grüßen"}[language]
    named = plan_for(language, ALL_FACTS, sender={"name": "Alex Doe"})
    assert body(named, "thank-you").endswith(f"{closing}\nAlex Doe")
    signed = plan_for(
        language, ALL_FACTS, sender={"name": "Alex Doe", "signature": "Alex Doe\n+49 170 1234567"}
    )
    assert body(signed, "status-check").endswith(f"{closing}\nAlex Doe\n+49 170 1234567")


def test_dates_follow_the_language() -> None:
    assert "Tuesday 1 December" in body(plan_for("en", ALL_FACTS), "thank-you")
    assert "am 1. Dezember" in body(plan_for("de", ALL_FACTS), "thank-you")


def test_the_readme_shows_the_drafts_in_full_in_both_languages() -> None:
    """The commands in README.md are run again by tests/test_everyday_docs.py; here: they are there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in (
        "$ followup draft Umbrella thank-you",
        "$ followup draft Umbrella status-check",
        "$ followup draft Initech thank-you",
        "$ followup draft Initech status-check",
    ):
        assert command in readme
    for text in ("Dear Priya,", "Best regards\nAlex Doe", "Sehr geehrte Frau Berger,"):
        assert text in readme
    assert "Mit freundlichen Grüßen\nAlex Doe" in readme


@pytest.mark.parametrize("note", HIGHLIGHTS + FIT)
def test_the_business_days_policy_makes_notes_well_formed_too(note: str) -> None:
    ruleset = load_rules(ROOT / "rules" / "business-days.yaml")
    ruleset = ruleset.model_copy(update={"timezone": "Europe/Berlin"})
    facts = replace(ALL_FACTS, highlights=note, fit=note)
    text = body(make_plan(ruleset, [interview(facts)], NOW), "thank-you")
    well_formed(text)
    keeps_every_word(text, note)
    assert "I look forward to hearing from you." in text
