"""What `followup check` says about a broken rules file: each mistake on its own line with
the file's line:col, the rule by its id (or its place counted from one), and the words of
the rules file, never those of the libraries that read it.

Run through the command line as a user runs it; a traceback would show as
``result.exception``, so every test looks there too. The last test draws broken
files with hypothesis and holds every message to the same form.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from followup.cli.main import main
from followup.rules.errors import RulesError
from followup.rules.loader import parse_rules
from followup.rules.templates import VARIABLES
from tests.everyday_support import EVERYDAY
from tests.test_rules_messages import LIBRARY_WORDS

ZERO_COUNTED = re.compile(r"[a-z_]\.\d")
"""'rules.2' or 'if.any.0': a place counted from zero, as a library writes it."""

PYTHON_WORDS = re.compile(
    r"[A-Z][a-z]+Error|positional argument|object' has|object is unsafe|do_[a-z]+\(|No filter|"
    r"Jinja|Expected an expression|innermost block"
)
"""What Python and Jinja say of a template that fails, in their own terms."""


def run(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    command = list(args) or ["check"]
    if command == ["check"]:
        command.append(str(path))
    else:
        command += ["--rules", str(path)]
    result = CliRunner().invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.replace(f"{tmp_path}/", "")


def mistakes(output: str) -> list[str]:
    """The lines of check's message, without the program's name in front of the first."""
    return [line.removeprefix("followup: ") for line in output.splitlines() if line.strip()]


THREE_RULES = """\
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: "Thank {{ company }}"
    when: { from: end, offset: 1 fortnight }
  - title: "No id here"
    when: { from: end, offset: 1 day }
  - id: status-check
    title: "Check in"
    if: { any: [ { status: pending }, { status: maybe } ] }
    when: { from: end, offset: 10 days, at: "25:00" }
"""


def test_check_gives_every_one_of_three_mistakes_its_line_and_column(tmp_path: Path) -> None:
    code, out = run(tmp_path, THREE_RULES)
    assert code == 3
    lines = mistakes(out)
    assert len(lines) == 4
    assert all(re.match(r"mine\.yaml:\d+:\d+: ", line) for line in lines), lines
    assert [line.split(": ", 1)[0] for line in lines] == [
        "mine.yaml:6:32",
        "mine.yaml:7:5",
        "mine.yaml:11:49",
        "mine.yaml:12:45",
    ]


def test_check_names_a_rule_by_its_id_and_one_without_an_id_by_its_place_from_one(
    tmp_path: Path,
) -> None:
    _, out = run(tmp_path, THREE_RULES)
    lines = mistakes(out)
    assert lines[0].startswith("mine.yaml:6:32: rule thank-you, when.offset: cannot read")
    assert lines[1] == "mine.yaml:7:5: rules item 2: missing required key 'id'"
    assert lines[2].startswith("mine.yaml:11:49: rule status-check, if.any, item 2, status: ")
    assert lines[3].startswith("mine.yaml:12:45: rule status-check, when.at: ")
    assert not any(LIBRARY_WORDS.search(line) or ZERO_COUNTED.search(line) for line in lines)


def test_check_names_the_line_of_the_first_rule_with_the_same_id(tmp_path: Path) -> None:
    text = THREE_RULES.replace("  - title:", "  - id: thank-you\n    title:")
    text = text.replace("1 fortnight", "1 day").replace("maybe", "offer").replace("25:00", "09:00")
    code, out = run(tmp_path, text)
    assert code == 3
    assert mistakes(out) == [
        "mine.yaml:7:9: rule thank-you, id: rule id 'thank-you' is used twice; "
        "the first is on line 4"
    ]


def test_a_key_written_twice_in_one_rule_names_the_line_of_the_first(tmp_path: Path) -> None:
    code, out = run(tmp_path, SET.replace("    when:", "    title: again\n    when:"))
    assert code == 3
    assert mistakes(out) == [
        "mine.yaml:6:5: invalid YAML: a key appears twice in the same mapping ('title'); "
        "the first is on line 5"
    ]


def test_a_misspelt_template_name_gets_the_closest_name_and_not_the_whole_list(
    tmp_path: Path,
) -> None:
    text = THREE_RULES.replace("{{ company }}", "{{ recruiter_frist_name }}")
    text = text.replace("1 fortnight", "1 day").replace("maybe", "offer").replace("25:00", "09:00")
    text = text.replace("  - title:", "  - id: second\n    title:")
    code, out = run(tmp_path, text)
    assert code == 3
    assert mistakes(out) == [
        "mine.yaml:5:12: rule thank-you: template error in title: 'recruiter_frist_name' "
        "is undefined; did you mean 'recruiter_first_name'?"
    ]
    assert sum(name in out for name in VARIABLES) < 3


SET = """\
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: "{% set who = recruiter_first_name or company %}Thank {{ who }}"
    when: { from: end, offset: 1 day, at: "09:00" }
"""


def test_a_template_may_set_a_name_of_its_own_and_use_it(tmp_path: Path) -> None:
    code, out = run(tmp_path, SET)
    assert (code, out.splitlines()[0]) == (
        0,
        "mine.yaml: OK, 1 rules, times of day in Europe/Berlin.",
    )
    code, out = run(
        tmp_path,
        SET,
        "plan",
        "--from",
        str(EVERYDAY / "wishes.ics"),
        "--now",
        "2026-12-01T08:00",
        "--until",
        "2026-12-31",
    )
    assert code == 0
    assert "Wed 02 Dec 2026 09:00  Thank Dana" in out


def test_a_name_used_before_the_template_sets_it_is_still_refused(tmp_path: Path) -> None:
    text = SET.replace('"{% set', '"{{ who }}{% set')
    code, out = run(tmp_path, text)
    assert code == 3
    assert mistakes(out)[0].startswith("mine.yaml:5:12: rule thank-you: template error in title")
    assert "who" in out


def test_a_rule_may_set_its_own_language_and_a_wrong_one_names_the_choices(
    tmp_path: Path,
) -> None:
    code, _ = run(tmp_path, SET + "    language: de\n")
    assert code == 0
    dated = SET.replace("Thank {{ who }}", "Danke {{ who }}, {{ interview_date }}")
    code, out = run(
        tmp_path,
        dated + "    language: de\n" + dated.split("rules:\n", 1)[1].replace("thank-you", "en"),
        "plan",
        "--from",
        str(EVERYDAY / "wishes.ics"),
        "--now",
        "2026-12-01T08:00",
        "--until",
        "2026-12-31",
    )
    assert code == 0
    assert "Danke Dana, Dienstag, 1. Dezember" in out  # the rule's language
    assert "Danke Dana, Tuesday 1 December" in out  # the file's
    code, out = run(tmp_path, SET + "    language: german\n")
    assert code == 3
    assert mistakes(out) == [
        "mine.yaml:7:15: rule thank-you, language: expected 'en', 'de', 'fr', 'nl' or 'es', "
        "got 'german'"
    ]


TEMPLATES = """\
version: 1
rules:
  - id: a
    title: "{{ 1 / 0 }}"
    when: { from: end }
  - id: b
    title: "{{ company | upper(3) }}"
    when: { from: end }
  - id: c
    title: "{{ company | uper }}"
    when: { from: end }
  - id: d
    title: "{{ company.nope() }}"
    when: { from: end }
  - id: e
    title: "{{ company.__class__ }}"
    when: { from: end }
  - id: f
    title: "{% if company %}{{ company }}"
    when: { from: end }
  - id: g
    title: "{% for x in interviewers %}{{ x }}{% endif %}"
    when: { from: end }
  - id: h
    title: "{% if %}"
    when: { from: end }
"""


def test_a_template_that_fails_is_told_in_the_rules_words_not_pythons(tmp_path: Path) -> None:
    code, out = run(tmp_path, TEMPLATES)
    assert code == 3
    lines = mistakes(out)
    assert [line.split(": ", 2)[1] for line in lines] == [f"rule {n}" for n in "abcdefgh"]
    assert lines[0].endswith("when facts are known: it divides by zero")
    assert "a filter with arguments it does not take" in lines[1]
    assert lines[2].endswith("no filter named 'uper'; did you mean 'upper'?")
    assert lines[3].endswith("a text has no 'nope'")
    assert "it reaches for '__class__'" in lines[4]
    assert lines[5].endswith("the template ends inside its {% if %}: close it with {% endif %}")
    assert lines[6].endswith("{% endif %} where the open {% for %} needs {% endfor %}")
    assert lines[7].endswith("a value is missing before '%}'")
    assert not any(PYTHON_WORDS.search(line) for line in lines), lines
    assert all(re.match(r"mine\.yaml:\d+:\d+: ", line) for line in lines), lines


# ---------------------------------------------------------------- drawn files ----

BASE: dict[str, Any] = {
    "version": 1,
    "timezone": "Europe/Berlin",
    "holidays": {"country": "DE", "subdivision": "BE"},
    "defaults": {"hours": ["08:30", "18:00"], "unless": {"status": "answered"}},
    "interviews": {"words": ["interview"], "all_day_hours": ["09:00", "17:00"]},
    "stop": {"any": [{"status": "rejected"}, {"not": {"company": "known"}}]},
    "rules": [
        {
            "id": "thank-you",
            "title": "Thank {{ recruiter_first_name or company }}",
            "language": "de",
            "when": {"from": "end", "offset": "1 day", "at": "09:00"},
            "email": {"subject": "Danke", "body": "{{ greeting }}\nDanke.\n"},
        },
        {
            "id": "status-check",
            "title": "Check in with {{ company }}",
            "if": {"any": [{"title_contains": ["final"]}, {"matches": {"company": ["* AG"]}}]},
            "fallback": "status-check-window",
            "when": {
                "from": "timeline",
                "next": "09:00",
                "latest": {"from": "end", "offset": "21 days"},
            },
            "duration": "15m",
            "alarm": {"before": "10m"},
        },
        {
            "id": "status-check-window",
            "title": "Check in",
            "when": {"from": "end", "offset": "10 days"},
            "hours": None,
        },
        {"id": "move-on", "title": "Move on", "when": {"from": "status-check", "offset": "7 days"}},
    ],
}

WRONG_VALUES = st.sampled_from(
    [
        *(3, -1, 2.5, True, None, "", "x y z", "-15m", "25:00", "1 fortnight"),
        *([], ["a", 3], {}, {"bogus": 1}),
        *("{{ compnay }}", "{% if %}", "{{ 1 / 0 }}", "{% if company %}x", "{{ company | uper }}"),
        *("{{ company.nope() }}", "{{ company.__class__ }}", "status-check", "Bad Id"),
    ]
)


def places(node: Any, loc: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [loc] if loc else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += places(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += places(value, (*loc, index))
    return found


def copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: copy(value) for key, value in node.items()}
    if isinstance(node, list):
        return [copy(value) for value in node]
    return node


@st.composite
def broken_files(draw: st.DrawFn) -> str:
    document = copy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        loc = draw(st.sampled_from(places(document)))
        parent: Any = document
        for part in loc[:-1]:
            parent = parent[part]
        last = loc[-1]
        if last not in (parent if isinstance(parent, dict) else range(len(parent))):
            continue  # an earlier change took this place away
        action = draw(st.sampled_from(["replace", "delete", "unknown key", "twice"]))
        if action == "replace":
            parent[last] = copy(draw(WRONG_VALUES))
        elif action == "delete":
            del parent[last]
        elif action == "unknown key" and isinstance(parent[last], dict):
            parent[last][draw(st.sampled_from(["ofset", "titel", "colour", "ifs"]))] = 1
        elif action == "twice" and isinstance(parent, list):
            parent.append(copy(parent[last]))
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(document, out)
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_files())
def test_no_message_about_a_drawn_broken_file_shows_a_librarys_words(text: str) -> None:
    try:
        parse_rules(text, "drawn.yaml")
    except RulesError as err:
        lines = str(err).splitlines()
    else:
        return  # the change happened to keep the file good
    for line in lines:
        assert re.match(r"drawn\.yaml:\d+:\d+: \S", line), (line, text)
        assert not LIBRARY_WORDS.search(line), (line, text)
        assert not PYTHON_WORDS.search(line), (line, text)
        assert not ZERO_COUNTED.search(line.split(", got ")[0]), (line, text)
        assert "rules item 0" not in line
