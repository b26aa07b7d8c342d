"""The editor's JSON Schema and `followup check` agree on a corpus of good and bad rules files.

Every file is judged twice: by jsonschema with `followup schema` (as an editor
with yaml-language-server does) and by the loader. Good files pass both; bad
files fail both; a short, named list of mistakes only the loader can see
(references between rules, templates, sizes) passes the schema and fails the
loader, and nothing passes the loader that the schema flags.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from followup.rules.errors import RulesError
from followup.rules.loader import parse_rules, shipped_policies
from followup.rules.model import json_schema
from tests.conftest import ROOT
from tests.test_everyday_docs import cookbook_rules

BASE = """\
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: "Thank {{ company or 'them' }}"
    when: { from: end, offset: 1 day, at: "09:00" }
"""


def with_rule(*lines: str) -> str:
    return BASE + "".join(f"    {line}\n" for line in lines)


def replaced(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


GOOD: dict[str, str] = {
    "the smallest file": BASE,
    "a whole hour as a number": replaced('at: "09:00"', "at: 9"),
    "a time without a leading zero": replaced('at: "09:00"', 'at: "9:30"'),
    "a time unquoted (YAML 1.2 keeps it text)": replaced('at: "09:00"', "at: 10:30"),
    "offset zero as a number": replaced("offset: 1 day", "offset: 0"),
    "hours and minutes": replaced("1 day", "1h 30m"),
    "days and hours with and": replaced("1 day", "2 weeks and 3 days"),
    "a negative offset": replaced("1 day", "-10m"),
    "number words in any case": replaced("1 day", "Three business days"),
    "an hour": replaced("1 day", "an hour"),
    "a list of statuses": with_rule("unless: { status: [offer, rejected] }"),
    "presence of facts": with_rule("if: { timeline: known, company: unknown }"),
    "an empty condition": with_rule("if: {}"),
    "no due": with_rule("due: null"),
    "working hours with a whole hour": with_rule('hours: ["08:30", 18]'),
    "caps": with_rule(
        "when: { from: timeline, next: '09:00', latest: { from: end, offset: 21 days } }"
    ).replace('    when: { from: end, offset: 1 day, at: "09:00" }\n', "", 1),
    "the status anchor": replaced("from: end", "from: status"),
    "conditions on the event": with_rule(
        "if: { title_contains: [final, last], category: dream-job, agency: false,"
        " matches: { location: '*zoom*', recruiter_domain: '*.example' } }"
    ),
    "the local timezone": replaced("Europe/Berlin", "local"),
    "a holiday country in lower case": BASE + "holidays: { country: de }\n",
    "a file-wide stop": BASE + "stop: { status: [rejected, withdrawn] }\n",
    "defaults for due, if and unless": BASE
    + "defaults:\n  due: { from: end, offset: 14 days }\n  if: { company: known }\n"
    "  unless: { status: answered }\n  hours: ['08:30', '18:00']\n",
    "all-day hours": BASE + "interviews: { all_day_hours: ['08:00', '16:00'] }\n",
    "booleans": with_rule(
        "all_day: true", "workdays_only: false", "superseded_by_next_round: true"
    ),
    "a todo with an alarm": with_rule("kind: todo", "alarm: { before: 0m }", "duration: 1h"),
}

BAD: dict[str, str] = {
    "a negative duration": with_rule("duration: -15m"),
    "an alarm after the start": with_rule("alarm: { before: -10m }"),
    "hour 24": replaced('at: "09:00"', 'at: "24:00"'),
    "hour 24 as a number": replaced('at: "09:00"', "at: 24"),
    "minute 60": replaced('at: "09:00"', 'at: "9:60"'),
    "a time with a dot": replaced('at: "09:00"', 'at: "9.30"'),
    "a fraction of days": replaced("1 day", "1.5 days"),
    "an empty offset": replaced("offset: 1 day", 'offset: ""'),
    "an unknown unit": replaced("1 day", "1 dx"),
    "a word for a day": replaced("1 day", "tomorrow"),
    "a number other than zero as an offset": replaced("offset: 1 day", "offset: 5"),
    "no as a boolean (YAML 1.2: a word)": with_rule("workdays_only: no"),
    "yes as a boolean": with_rule("all_day: yes"),
    "a number as a boolean": with_rule("all_day: 1"),
    "an unknown status": with_rule("if: { status: declined }"),
    "a misspelt timezone": replaced("Europe/Berlin", "Europe/Berln"),
    "an unknown holiday country": BASE + "holidays: { country: XX }\n",
    "an unknown key": with_rule("titel: Hello"),
    "a missing title": replaced("    title: \"Thank {{ company or 'them' }}\"\n", ""),
    "both at and next": replaced('at: "09:00"', 'at: "09:00", next: "10:00"'),
    "a rule id with capitals": replaced("id: thank-you", "id: Thank_You"),
    "an anchor that is not a name": replaced("from: end", 'from: "the end"'),
    "a fallback that is not a name": with_rule("fallback: Other_Rule"),
    "no working days": BASE + "workdays: []\n",
    "a day spelt out": BASE + "workdays: [monday]\n",
    "an unknown kind": with_rule("kind: meeting"),
    "version 2": replaced("version: 1", "version: 2"),
    "no rules": "version: 1\nrules: []\n",
    "an unknown fact to match": with_rule("if: { matches: { salary: '*' } }"),
    "an empty title word": with_rule("if: { title_contains: '' }"),
    "a pattern over 200 characters": with_rule(f"if: {{ matches: {{ title: '{'*' * 201}' }} }}"),
    "agency as a word": with_rule("if: { agency: 'yes' }"),
    "three working hours": with_rule('hours: ["08:00", "12:00", "18:00"]'),
}

LOADER_ONLY: dict[str, str] = {
    "a rule named in from that does not exist": replaced("from: end", "from: no-such-rule"),
    "rules that refer to each other in a cycle": with_rule("fallback: thank-you"),
    "a template with an unknown name": replaced("company or 'them'", "compnay"),
    "a holiday region the country does not have": BASE
    + "holidays: { country: DE, subdivision: XX }\n",
    "an offset over ten years": replaced("1 day", "99999 days"),
    "business days mixed with calendar days": replaced("1 day", "1 day 2 business days"),
    "working hours in the wrong order": with_rule('hours: ["18:00", "08:30"]'),
    "a default due counted from a rule": BASE + "defaults: { due: { from: thank-you } }\n",
    "a rule id used twice": BASE + "  - id: thank-you\n    title: Twice\n    when: { from: end }\n",
}


def document(text: str) -> Any:
    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(StringIO(text))))


def schema_accepts(text: str) -> bool:
    return Draft202012Validator(json_schema()).is_valid(document(text))


def loader_accepts(text: str) -> bool:
    try:
        parse_rules(text, "corpus.yaml")
    except RulesError:
        return False
    return True


def shipped_and_cookbook() -> dict[str, str]:
    files = {f"rules/{name}": (ROOT / "rules" / name).read_text() for name in shipped_policies()}
    files.update({f"cookbook {name}": text for name, text in cookbook_rules()})
    return files


@pytest.mark.parametrize("name", [*GOOD, *shipped_and_cookbook()])
def test_a_good_file_passes_the_schema_and_the_loader(name: str) -> None:
    text = {**GOOD, **shipped_and_cookbook()}[name]
    assert (schema_accepts(text), loader_accepts(text)) == (True, True)


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_file_fails_the_schema_and_the_loader(name: str) -> None:
    assert (schema_accepts(BAD[name]), loader_accepts(BAD[name])) == (False, False)


@pytest.mark.parametrize("name", list(LOADER_ONLY))
def test_what_only_the_loader_can_see_passes_the_schema_and_fails_the_loader(name: str) -> None:
    assert (schema_accepts(LOADER_ONLY[name]), loader_accepts(LOADER_ONLY[name])) == (True, False)


def test_every_default_in_the_schema_is_valid_for_its_own_key() -> None:
    schema = json_schema()
    found = 0
    for definition in [schema, *schema["$defs"].values()]:
        for key, prop in definition.get("properties", {}).items():
            if "default" in prop and prop["default"] is not None:
                sub = {**prop, "$defs": schema["$defs"]}
                assert Draft202012Validator(sub).is_valid(prop["default"]), key
                found += 1
    assert found >= 8
    hours = schema["$defs"]["Interviews"]["properties"]["all_day_hours"]["default"]
    assert hours == ["09:00", "17:00"]


def test_the_shipped_schema_file_is_the_one_the_model_makes() -> None:
    shipped = json.loads((ROOT / "rules" / "schema.json").read_text(encoding="utf-8"))
    made = json_schema()
    # The zone list is this machine's tz database: compare it apart, as a superset check.
    shipped_zones = set(shipped["properties"]["timezone"].pop("enum"))
    made_zones = set(made["properties"]["timezone"].pop("enum"))
    assert shipped == made, "run: followup schema -o rules/schema.json"
    assert {"local", "Europe/Berlin", "America/New_York"} <= shipped_zones & made_zones


def test_the_shipped_policies_name_the_schema_for_editors() -> None:
    for name in shipped_policies():
        first = (ROOT / "rules" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=./schema.json", name
    assert Path(ROOT / "rules" / "schema.json").is_file()


WORDS = ["1", "2", "10", "0", "a", "an", "one", "three", " ", ",", "-", "+", "and", ".", "5"]
UNITS = ["m", "min", "h", "hours", "d", "day", "days", "w", "weeks", "month", "bd", "business day"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS + UNITS + ["x", "\t", "Day", "HOURS"]), max_size=7))
def test_the_offset_pattern_and_the_offset_reader_agree(parts: list[str]) -> None:
    import re

    from followup.rules.model import offset_pattern, parse_offset

    text = "".join(parts)
    try:
        parse_offset(text)
        reader = True
    except ValueError as err:
        # Sizes and mixed kinds are the loader's alone (see LOADER_ONLY).
        if "too far" in str(err) or "mixes business days" in str(err):
            return
        reader = False
    assert bool(re.match(offset_pattern(), text)) == reader, repr(text)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(WORDS + UNITS + ["x", "\t", "Day", "HOURS", "NONE", "ſ", "\u212a", "é"]),
        max_size=7,
    )
)
def test_the_reader_finds_the_same_parts_as_the_schema_pattern(parts: list[str]) -> None:
    """The reader compiles the same words folded (re.IGNORECASE | re.ASCII) rather than as
    [aA] classes: it must match exactly what the schema's text matches, with the same groups."""
    import re

    from followup.rules import model

    text = "".join(parts)
    schema, reader = re.compile(model.OFFSET_PATTERN).fullmatch(text), model._OFFSET.fullmatch(text)
    assert (schema and (schema.span(), schema.groups())) == (
        reader and (reader.span(), reader.groups())
    )
    schema_parts = [(m.span(), m.groups()) for m in re.finditer(model._PART_TEXT, text)]
    assert schema_parts == [(m.span(), m.groups()) for m in model._PART.finditer(text)]
