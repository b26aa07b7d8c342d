"""Outputs as one family: every output in the table renders the same plan, by the same
contract; the machine outputs read back as that plan."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from followup.engine.model import Plan
from followup.engine.pipeline import make_plan, read_ics
from followup.engine.plan.board import board, steps_of
from followup.engine.write.outputs import OUTPUTS, View, render
from tests.conftest import ROOT, default_rules

RULES = default_rules()
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
EXAMPLE = ROOT / "examples" / "interviews.ics"
WIDE = View(steps=steps_of(RULES), width=200)


def example_plan() -> Plan:
    return make_plan(RULES, read_ics(EXAMPLE.read_bytes(), rules=RULES, now=NOW), NOW)


def text_of(name: str, data: bytes) -> str:
    """What a person reading the output sees: a calendar's folded lines unfolded."""
    text = data.decode("utf-8")
    return text.replace("\r\n ", "") if name == "ics" else text


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_is_found_by_its_name_and_says_its_media_type(name: str) -> None:
    output = OUTPUTS[name]
    assert output.name == name
    assert output.media_type.partition("/")[0] in {"text", "application"}


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_gives_the_same_bytes_for_the_same_plan(name: str) -> None:
    first, again = example_plan(), example_plan()

    assert render(first, name, WIDE) == render(again, name, WIDE)
    assert render(first, name, WIDE).endswith(b"\n")


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_names_every_company_with_a_step_ahead(name: str) -> None:
    plan = example_plan()
    ahead = {f.interview.facts.company for f in plan.followups if f.start >= plan.now}
    assert len(ahead) >= 3  # the example has several applications under way

    shown = text_of(name, render(plan, name, WIDE))

    assert sorted(c for c in ahead if c is None or c not in shown) == []


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_every_output_renders_a_plan_without_follow_ups(name: str) -> None:
    plan = example_plan()
    companies = {iv.facts.company for iv in plan.interviews if iv.facts.company}

    data = render(plan, name, replace(WIDE, followups=()))

    assert render(plan, name, WIDE) != data
    if name != "csv":  # the board lists the applications, with or without steps
        assert not any(company in text_of(name, data) for company in companies)


def test_the_calendar_holds_every_follow_up_of_the_plan_by_its_uid() -> None:
    plan = example_plan()

    calendar = icalendar.Calendar.from_ical(render(plan, "ics"))

    uids = [str(item["UID"]) for item in calendar.walk() if item.name in {"VEVENT", "VTODO"}]
    assert uids == [f.uid for f in plan.followups]


def test_the_json_holds_every_follow_up_of_the_plan_by_its_uid() -> None:
    plan = example_plan()

    data = json.loads(render(plan, "json"))

    assert [f["uid"] for f in data["followups"]] == [f.uid for f in plan.followups]
    assert data["interviews"] == len(plan.interviews)


def test_the_csv_holds_every_application_of_the_board_or_only_the_open_ones() -> None:
    plan = example_plan()
    rows = board(plan, steps_of(RULES))

    every = list(csv.DictReader(io.StringIO(render(plan, "csv", WIDE).decode())))
    open_only = list(
        csv.DictReader(io.StringIO(render(plan, "csv", replace(WIDE, closed=False)).decode()))
    )

    assert [r["company"] for r in every] == [row.company for row in rows]
    assert [r["company"] for r in open_only] == [row.company for row in rows if not row.closed]


def test_a_tables_rows_fit_the_width_it_is_given() -> None:
    plan = example_plan()

    def rows(view: View) -> list[str]:
        return render(plan, "table", view).decode().splitlines()[:-1]  # the total below

    assert max(len(line) for line in rows(View(width=60))) <= 60
    assert max(len(line) for line in rows(WIDE)) > 60
