"""One vocabulary of statuses: each word a rule's ``if: status`` takes holds for the
statuses it names, as `followup mark` records them (rules/statuses.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from followup.engine.marks import STATUSES, Mark, apply_marks
from followup.engine.pipeline import read_ics
from followup.engine.plan.planner import make_plan
from followup.rules.loader import parse_rules
from followup.rules.model import StatusWord
from tests.conftest import ROOT

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=BERLIN)
WORDS: tuple[str, ...] = get_args(StatusWord)
RULES = parse_rules(
    "version: 1\ntimezone: Europe/Berlin\nrules:\n"
    + "".join(
        f'  - id: when-{word}\n    title: "{word}"\n    if: {{ status: {word} }}\n'
        '    when: { from: end, offset: 1 day, at: "09:00" }\n'
        for word in WORDS
    )
)
MEANS = {"pending": {"pending"}, "answered": {"replied", "offer", "rejected", "withdrawn"}}


@pytest.mark.parametrize("status", STATUSES)
def test_each_status_word_holds_for_the_statuses_it_names(status: str) -> None:
    reading = read_ics((ROOT / "examples" / "interviews.ics").read_bytes(), rules=RULES, now=NOW)
    marked = next(iv for iv in reading.interviews if iv.facts.company == "Globex")
    mark = Mark(marked.key, status, marked=date(2026, 11, 28))  # type: ignore[arg-type]

    plan = make_plan(RULES, apply_marks(reading, {mark.key: mark}), NOW)

    planned = {f.rule_id for f in plan.followups if f.interview.key == marked.key}
    assert planned == {f"when-{w}" for w in WORDS if status in MEANS.get(w, {w})}
