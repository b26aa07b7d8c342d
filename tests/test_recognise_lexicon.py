"""The vocabularies of recognition are data: one file per language, read once, kept consistent."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from followup.engine.read.lexicon import (
    LANGUAGES,
    LOOKALIKE_KINDS,
    fold,
    lexicon,
    phrase_tokens,
    tokens,
)
from tests.lexicon_build import compiled_text

DATA = Path(__file__).resolve().parent.parent / "engine" / "read" / "data"


def test_the_compiled_lexicon_is_the_one_the_data_files_make() -> None:
    shipped = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(compiled_text()), "run: python tests/lexicon_build.py"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_names_interviews_stages_contacts_and_look_alikes(language: str) -> None:
    data = tomllib.loads((DATA / f"{language}.toml").read_text(encoding="utf-8"))
    for table, key in [
        ("title", "interview"),
        ("title", "stage"),
        ("title", "talk"),
        ("title", "aside"),
        ("notes", "contact"),
        ("notes", "decision"),
        ("notes", "itinerary"),
        ("not", "own"),
        *(("not", kind) for kind in LOOKALIKE_KINDS),
    ]:
        values = data[table][key]
        assert values and all(isinstance(v, str) and v.strip() for v in values), (table, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_phrase_is_both_an_interview_and_a_look_alike(language: str) -> None:
    data = tomllib.loads((DATA / f"{language}.toml").read_text(encoding="utf-8"))
    interview = {phrase_tokens(w) for w in data["title"]["interview"]}
    against = {phrase_tokens(w) for kind in (*LOOKALIKE_KINDS, "own") for w in data["not"][kind]}
    assert interview & against == set()


def test_words_match_without_case_or_accents() -> None:
    assert tokens("Entretien Téléphonique") == ["entretien", "telephonique"]
    assert fold("Vorstellungsgespräch") == "vorstellungsgesprach"
    hit = lexicon().interview.first(tokens("ENTREVISTA TECNICA con Solano"))
    assert hit is not None and hit.label == "es"


def test_a_number_in_a_phrase_stands_for_any_round() -> None:
    hit = lexicon().interview.first(tokens("Round 3 - Globex"))
    assert hit is not None and hit.text == "round #"
    assert lexicon().interview.first(tokens("3rd round")) is not None


def test_the_vocabulary_is_read_once() -> None:
    assert lexicon() is lexicon()


@pytest.mark.parametrize("language", LANGUAGES)
def test_job_words_and_name_joiners_are_single_words(language: str) -> None:
    # A job word makes a whole name a role, token by token: "chef de projet" would make
    # every name with "de" a job.
    title = tomllib.loads((DATA / f"{language}.toml").read_text("utf-8"))["title"]
    for key in ("role", "and", "ordinal"):
        for word in title.get(key, []):
            assert len(phrase_tokens(word)) <= 1, (key, word)
    assert title.get("role"), "each language lists its job words"
