"""The shipped drafts in every language followup ships them in.

A rules file is written in one language, but an interview may be held in
another: a French invitation gets a French thank-you. When a rule's email is
the shipped one (a copy of default.yaml, unedited), the same rule of the
shipped policy in the interview's language (default.fr.yaml) gives its text.
An email the user wrote has no translation here: it stays in its language.

Only the emails of the shipped files are read, each file once and only when a
draft asks for it: the packaged files are trusted and already checked by the
tests, so no positions and no test-rendering are needed (a few milliseconds a
file, not the full check's second).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from followup.rules.model import Email, Language

FAMILIES = ("default", "business-days")
"""The shipped policies that may come in several languages (default.fr.yaml ...)."""

LANGUAGES: tuple[Language, ...] = ("en", "de", "fr", "nl", "es")


def _file(family: str, language: Language) -> str:
    return f"{family}.yaml" if language == "en" else f"{family}.{language}.yaml"


@cache
def _emails(name: str) -> dict[str, Email] | None:
    """The emails of a shipped policy by rule id, or None when there is no such file."""
    from importlib import resources

    from ruamel.yaml import YAML

    path = resources.files("followup.rules").joinpath(name)
    if not path.is_file():
        return None
    data: Any = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    found: dict[str, Email] = {}
    for rule in data.get("rules") or []:
        if isinstance(rule, dict) and isinstance(rule.get("email"), dict):
            found[str(rule["id"])] = Email(**rule["email"])
    return found


def _same(one: Email, other: Email) -> bool:
    return (one.subject, one.body, one.to, one.per_person) == (
        other.subject,
        other.body,
        other.to,
        other.per_person,
    )


def _shipped_as(rule_id: str, email: Email, first: Language) -> tuple[str, Language] | None:
    """(family, language) of the shipped policy whose rule has this very email."""
    order = (first, *(language for language in LANGUAGES if language != first))
    for language in order:
        for family in FAMILIES:
            emails = _emails(_file(family, language))
            shipped = None if emails is None else emails.get(rule_id)
            if shipped is not None and _same(shipped, email):
                return family, language
    return None


def shipped_language(rule_id: str, email: Email, likely: Language = "en") -> Language | None:
    """The language of the shipped policy whose rule ``rule_id`` has this very email, or
    None for an email the user wrote (``likely`` is looked at first)."""
    found = _shipped_as(rule_id, email, likely)
    return None if found is None else found[1]


def translated(rule_id: str, email: Email, written_in: Language, wanted: Language) -> Email | None:
    """The email of rule ``rule_id`` in language ``wanted``: itself when it is written in
    it; the shipped policy's in that language when ``email`` is a shipped one; else None."""
    if written_in == wanted:
        return email
    found = _shipped_as(rule_id, email, written_in)
    if found is None:
        return None
    emails = _emails(_file(found[0], wanted))
    return None if emails is None else emails.get(rule_id)
