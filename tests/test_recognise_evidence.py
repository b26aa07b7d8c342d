"""Evidence beyond the word lists: the classes a calendar carries without an interview word.

Each case is read through the whole reader (the cheap scan, then the recogniser), so an
event whose evidence the scan misses fails here as "dropped": never listed, never asked.
"""

from __future__ import annotations

import pytest

from engine.read.facts import Organizer, extract_facts
from tests.test_recognise import one, outcome

ME = "noor.haddad@gmail.com"


@pytest.mark.parametrize(
    ("summary", "notes", "organizer"),
    [
        # a sentence that says when they will decide, with a time the timeline reader reads
        (
            "Lina Bauer and Noor Haddad",
            "We aim to tell all candidates by the end of next week.\nSee you then!",
            "lina.bauer@fernhollow.io",
        ),
        (
            "Spotkanie – Marta",
            "Dziękujemy za czas. Damy znać do 18 grudnia.",
            "marta.wrobel@lesnastudio.pl",
        ),
        (
            "Afspraak met Joris",
            "We laten uiterlijk vrijdag 20 november weten hoe we verder gaan.",
            "joris@kanaalwerk.nl",
        ),
    ],
)
def test_a_sentence_giving_the_decision_date_is_evidence_of_an_interview(
    summary: str, notes: str, organizer: str
) -> None:
    found = one(summary, description=notes, organizer=organizer, attendees=(organizer, ME))
    assert outcome(found) in ("counted", "asked")
    assert found is not None
    assert any("decide" in reason or "decision" in reason for reason in found.verdict.reasons)


@pytest.mark.parametrize(
    "notes",
    [
        "Any questions? Write to Priya Nair, Talent Partner: priya.nair@quillstone.com",
        "Contact: see below. Logistics, Recruiting Lead: dev@quillstone.com",
        "Ana Lima, RH – ana.lima@quillstone.com",
        "Piotr Zieliński, rekruter — piotr@quillstone.com",
    ],
)
def test_a_contact_line_inside_a_sentence_or_after_a_dash_is_a_contact(notes: str) -> None:
    found = one("Chat – Quillstone", description=notes, organizer="dev@quillstone.com")
    assert outcome(found) in ("counted", "asked")
    assert found is not None
    assert any("line with an address at quillstone.com" in r for r in found.verdict.reasons)


@pytest.mark.parametrize(
    "summary",
    [
        "Second stage – Copperleaf",
        "Next round: Copperleaf",
        "Zweite Runde Copperleaf",
        "Deuxième tour – Copperleaf",
        "Tweede gesprek Copperleaf",
        "Segunda entrevista – Copperleaf",
        "Secondo colloquio – Copperleaf",
        "Poznaj zespół – Copperleaf",
    ],
)
def test_a_later_stage_or_meeting_the_team_is_an_interview_in_every_language(
    summary: str,
) -> None:
    found = one(summary, organizer="ben.carver@copperleaf.eu")
    assert outcome(found) in ("counted", "asked")


@pytest.mark.parametrize(
    "notes",
    [
        "Which position did you apply for?\nProduct Analyst",
        "Thanks for your application for the Data Engineer opening.",
        "Final step in our hiring process: thirty minutes with the founder.",
        "Je hebt gesolliciteerd op de functie van planner.",
        "Dziękujemy, że aplikowałaś na to stanowisko.",
    ],
)
def test_notes_about_an_application_make_a_meeting_with_a_company_a_question_at_least(
    notes: str,
) -> None:
    found = one("Sara Quint and Noor Haddad", description=notes, organizer="sara@brindle.co")
    assert outcome(found) in ("counted", "asked")


@pytest.mark.parametrize(
    ("summary", "notes"),
    [
        ("KXRT interview – allotment project", "Live radio interview about the allotments."),
        ("Interview pour Radio Canut", "Interview radio sur le jardin partagé."),
        ("Interview Omroep Zuid", "Radio-interview over het buurthuis."),
        ("Entrevista Onda Norte", "Entrevista de radio sobre el huerto."),
    ],
)
def test_a_radio_interview_written_in_the_notes_is_press_not_an_interview(
    summary: str, notes: str
) -> None:
    found = one(summary, description=notes)
    assert outcome(found) not in ("counted",)
    assert found is None or any("press" in why for why in found.verdict.against)


def test_a_timeline_about_something_else_is_no_evidence() -> None:
    found = one(
        "Lina Bauer and Noor Haddad",
        description="The course starts on 4 January; bring a laptop.",
        organizer="lina.bauer@fernhollow.io",
    )
    assert outcome(found) in ("dropped", "ignored")


@pytest.mark.parametrize(
    ("summary", "organizer", "company"),
    [
        # a department, a role or a topic standing alone: the domain names the company
        ("Fachgespräch Buchhaltung", "anna@nordlicht-werke.de", "Nordlicht Werke"),
        ("Case – Product Owner", "sam@brindle.co", "Brindle"),
        ("Entretien – Comptabilité", "rh@valmont-sa.fr", "Valmont"),
        # the title's name wins when it stands after "at", is a business, or the domain spells it
        ("Interview at Quillstone", "jo@staffing-partners.com", "Quillstone"),
        ("Gesprek – Studio Ploeg", "p@ploeg.nl", "Studio Ploeg"),
        ("Rozmowa – Wisłoprint", "hr@wisloprint.pl", "Wisłoprint"),
        ("Étude de cas – Maison Lérot", "c@lerot-conseil.fr", "Maison Lérot"),
    ],
)
def test_the_company_is_the_title_s_name_only_where_nothing_says_otherwise(
    summary: str, organizer: str, company: str
) -> None:
    found = extract_facts(summary, None, Organizer(None, organizer))
    assert found.company == company


@pytest.mark.parametrize(
    ("organizer", "company"),
    [
        ("dana@harborlinemedia.com", "Harborline Media"),
        ("hr@kestrelacademy.org", "Kestrel Academy"),
        ("jo@biotech.de", "Biotech"),
        ("ana@globex.com", "Globex"),
    ],
)
def test_a_domain_of_one_word_is_cut_before_the_business_word_it_ends_with(
    organizer: str, company: str
) -> None:
    found = extract_facts("Interview", None, Organizer(None, organizer))
    assert found.company == company


def test_a_company_named_in_the_notes_ends_with_its_sentence() -> None:
    found = extract_facts(
        "Phone screen",
        "Thanks for applying to Pinewood Analytics! This is a short call.",
        Organizer(None, "tess@pinewoodanalytics.com"),
    )
    assert found.company == "Pinewood Analytics"
