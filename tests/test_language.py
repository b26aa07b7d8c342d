"""Which language an invitation is written in (engine/read/language.py, engine/data/languages.toml)."""

from __future__ import annotations

import pytest

from followup.engine.read.facts import extract_facts
from followup.engine.read.language import LANGUAGES, language_of_text, vocabulary

INVITATIONS = {
    "en": "Hi Alex, thank you for your time. We are looking forward to meeting you and the team.",
    "de": "Sehr geehrter Herr Doe, wir freuen uns, Sie zu einem Vorstellungsgespräch bei der"
    " Kessler AG einzuladen. Bitte bestätigen Sie den Termin.",
    "fr": "Bonjour Alex, nous avons le plaisir de vous inviter à un entretien pour le poste de"
    " chef de projet. Cordialement, l’équipe.",
    "nl": "Beste Alex, we nodigen je graag uit voor een sollicitatiegesprek voor de functie van"
    " data-analist bij ons team. Met vriendelijke groeten.",
    "es": "Hola Alex, gracias por tu interés en el puesto. Te confirmamos la entrevista con"
    " nuestro equipo. Un saludo.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invitation_is_known_by_its_words(language: str) -> None:
    assert language_of_text(INVITATIONS[language]) == language


@pytest.mark.parametrize(
    "text",
    ["Interview", "Acme - Final round (Zoom)", "", None, "Kessler AG 10:00", "Sam Lee, Kim Park"],
)
def test_a_title_or_a_list_of_names_says_no_language(text: str | None) -> None:
    assert language_of_text(text) is None


def test_a_mix_of_two_languages_says_none() -> None:
    assert language_of_text(INVITATIONS["en"] + " " + INVITATIONS["de"]) is None


def test_no_word_is_in_two_languages_lists() -> None:
    words = vocabulary()
    for one in LANGUAGES:
        for other in LANGUAGES:
            if one < other:
                assert not words[one] & words[other], (one, other, words[one] & words[other])


def test_the_users_own_notes_do_not_decide_the_language_of_the_invitation() -> None:
    notes = (
        INVITATIONS["fr"] + "\nHighlights: the roadmap talk and the way the team works with you"
        "\nFit: I have led three launches and I would like to do this again with the team"
    )
    facts = extract_facts("Entretien avec Aperture", notes)
    assert facts.language == "fr"
    assert facts.source_of("language") == "the words of the event's text"
