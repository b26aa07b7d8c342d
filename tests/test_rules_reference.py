"""The rules reference in rules/README.md is the one the model generates."""

from __future__ import annotations

from followup.rules.reference import BEGIN, END, markdown
from tests.conftest import ROOT


def test_the_rules_readme_matches_the_model() -> None:
    text = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] + "\n" == markdown(), (
        "run: python -m followup.rules.reference, and paste it into rules/README.md"
    )
