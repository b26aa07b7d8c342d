"""The shipped drafts in every language followup ships them in.

A rules file is written in one language, but an interview may be held in
another: a French invitation gets a French thank-you. When a rule's email is
the shipped one (a copy of default.yaml, unedited), the same rule of the
shipped policy in the interview's language (default.fr.yaml) gives its text.
An email the user wrote has no translation here: it stays in its language.
"""

from __future__ import annotations

from functools import cache

from rules.model import Email, Language, RuleSet


@cache
def _shipped() -> dict[str, RuleSet]:
    """Every shipped policy, read once (the packaged files, never the user's)."""
    from rules.loader import parse_rules, shipped_policies, shipped_rules

    found: dict[str, RuleSet] = {}
    for name in shipped_policies():
        text, shown = shipped_rules(name)
        found[name] = parse_rules(text, shown)
    return found


def _same(one: Email, other: Email) -> bool:
    return (one.subject, one.body, one.to, one.per_person) == (
        other.subject,
        other.body,
        other.to,
        other.per_person,
    )


def translated(rule_id: str, email: Email, written_in: Language, wanted: Language) -> Email | None:
    """The email of rule ``rule_id`` in language ``wanted``: itself when it is written in
    it; the shipped policy's in that language when ``email`` is a shipped one; else None."""
    if written_in == wanted:
        return email
    policies = _shipped()
    for name, ruleset in policies.items():
        if ruleset.language != written_in:
            continue
        rule = next((r for r in ruleset.rules if r.id == rule_id), None)
        if rule is None or rule.email is None or not _same(rule.email, email):
            continue
        family = name.split(".", 1)[0]
        target = policies.get(f"{family}.yaml" if wanted == "en" else f"{family}.{wanted}.yaml")
        if target is None or target.language != wanted:
            continue
        other = next((r for r in target.rules if r.id == rule_id), None)
        if other is not None and other.email is not None:
            return other.email
    return None
