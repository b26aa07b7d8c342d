"""Messages about a rules file speak of the file: the rule by its id, the line:col of
every mistake, and never a library's own words."""

from __future__ import annotations

import re

import pytest

from followup.rules.errors import RulesError
from followup.rules.loader import parse_rules
from tests.test_rules_schema import BAD, LOADER_ONLY

LIBRARY_WORDS = re.compile(
    r"instance of|constrained-|function-|Input should|Value error|valid dictionary|"
    r"valid boolean|valid list|after validation|missing required key '\d|rules\.\d|"
    r"literal\[|str\b|tagged-union|union\["
)


def refused(text: str, name: str = "mine.yaml") -> str:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, name)
    return str(caught.value)


@pytest.mark.parametrize("case", sorted({**BAD, **LOADER_ONLY}))
def test_no_message_shows_a_librarys_own_words(case: str) -> None:
    message = refused({**BAD, **LOADER_ONLY}[case])
    assert not LIBRARY_WORDS.search(message), message
    assert re.match(r"mine\.yaml:\d+", message), message


THREE = """\
version: 1
rules:
  - id: thank-you
    title: "x"
    when: tomorrow
  - id: check
    title: "y"
    hours: ["08:30"]
    when: { from: end }
  - id: third
    title: "z"
    if: { title_contains: "" }
    when: { from: end, offset: 3 weeks and a bit }
"""


def test_every_mistake_has_its_own_line_and_column_and_names_its_rule() -> None:
    assert refused(THREE).splitlines() == [
        "mine.yaml:5:11: rule thank-you, when: expected a mapping such as "
        "{ from: end, offset: 1 day, at: '09:00' }, got 'tomorrow'",
        "mine.yaml:8:5: rule check, hours: expected two times of day, e.g. ['08:30', '18:00']",
        "mine.yaml:12:27: rule third, if.title_contains: must not be empty",
        "mine.yaml:13:32: rule third, when.offset: cannot read '3 weeks and a bit' as an "
        "amount of time; write it like '45m', '2 hours', '1 day', '2 weeks' or "
        "'3 business days'",
    ]


def test_a_duplicate_id_names_the_line_of_the_first() -> None:
    message = refused(
        "version: 1\nrules:\n  - id: thank-you\n    title: x\n    when: { from: end }\n"
        "  - id: thank-you\n    title: y\n    when: { from: end }\n"
    )
    assert message == (
        "mine.yaml:6:9: rule thank-you, id: rule id 'thank-you' is used twice; "
        "the first is on line 3"
    )


def test_every_reference_mistake_is_reported_not_only_the_first() -> None:
    message = refused(
        "version: 1\nrules:\n  - id: a\n    title: x\n    when: { from: nowhere }\n"
        "  - id: b\n    title: y\n    fallback: gone\n    when: { from: end }\n"
    )
    lines = message.splitlines()
    assert lines[0].startswith("mine.yaml:5:19: rule a, when.from: when.from names 'nowhere'")
    assert lines[1].startswith("mine.yaml:8:15: rule b, fallback: fallback names 'gone'")


def test_every_template_mistake_is_reported_each_on_its_own_line() -> None:
    message = refused(
        'version: 1\nrules:\n  - id: a\n    title: "{{ compnay }}"\n    when: { from: end }\n'
        "  - id: b\n    title: ok\n    description: |\n      line one\n      {{ rol }}\n"
        "    when: { from: end }\n"
    )
    assert message.splitlines() == [
        "mine.yaml:4:12: rule a: template error in title: 'compnay' is undefined; "
        "did you mean 'company'?",
        "mine.yaml:10:7: rule b: template error in description: 'rol' is undefined; "
        "did you mean 'role'?",
    ]
