"""A rules file copied from the web cannot hang a run, fill memory or end in a traceback.

YAML aliases and nesting are bounded when the file is read; templates are
bounded in work, size and numbers when they are written out; values that
would fail later (no working days, offsets past the calendar, negative
durations) are refused when the file is loaded; a template that still fails
at plan time is one message naming the rule and the interview.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.cli.main import main
from followup.engine.plan.planner import glob_match
from followup.rules.errors import RulesError, TemplateRenderError
from followup.rules.loader import parse_rules
from followup.rules.templates import MAX_OUTPUT, MAX_STEPS, render
from tests.everyday_support import SEARCH, run

RULES = """\
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: "Thank {{ company or 'them' }}"
    when: { from: end, offset: 1 day, at: "09:00" }
"""

BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def refused(text: str) -> RulesError:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "x.yaml")
    return caught.value


def test_a_yaml_alias_bomb_is_refused_without_being_expanded() -> None:
    assert len(BOMB) < 700
    error = refused(BOMB + "\n" + RULES)
    assert "expand to more than 100,000 values" in str(error)


def test_an_alias_that_repeats_a_time_of_day_still_works() -> None:
    text = RULES.replace('at: "09:00"', 'at: &morning "10:30"') + (
        "  - id: again\n    title: Again\n    when: { from: end, offset: 2 days, at: *morning }\n"
    )
    assert parse_rules(text).rules[1].when.at is not None


def test_deep_flow_nesting_is_an_error_with_its_line_not_a_recursion_error() -> None:
    error = refused(RULES + "extra: " + "[" * 300 + "]" * 300 + "\n")
    assert "nest more than 40 levels" in str(error)
    assert error.line == 7


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "steps"),
        ("{{ 9**(9**9) }}", "bits"),
        ("{{ 'a'*10**10 }}", "longer than"),
        ("{{ '%999999999d' % 1 }}", "width"),
        ("{{ '{:999999999}'.format(1) }}", "width"),
        ("{{ 'a'|center(999999999) }}", "width"),
        ("{{ company.center(999999999) }}", "not allowed"),
        ("{{ company|replace('', company * 100)|replace('', company * 100) }}", "replace"),
        ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f(company) }}", "longer than"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "too deeply"),
        (
            "{% set ns = namespace(s=company) %}{% for i in range(80) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
            "longer than",
        ),
        ("{% for i in range(99999) %}{{ company }}{% endfor %}", "writes more than"),
        ("{{ 1 / 0 }}", "divides by zero"),
    ],
)
def test_a_template_that_would_run_away_stops_at_a_bound(source: str, said: str) -> None:
    with pytest.raises(TemplateRenderError) as caught:
        render(source, {"company": "ACME"})
    assert said in caught.value.message


def test_the_bounds_leave_room_for_real_templates() -> None:
    body = "{% for i in range(200) %}{{ company }} {% endfor %}"
    assert render(body, {"company": "ACME"}).count("ACME") == 200
    assert render("|{{ '%5d|%-4s|' % (42, 'ab') }}{{ '{:>6}'.format('x') }}", {}) == (
        "|   42|ab  |     x"
    )
    assert MAX_STEPS >= 100_000 and MAX_OUTPUT >= 50_000


def test_random_output_is_not_available_to_a_template() -> None:
    error = refused(RULES.replace("{{ company or 'them' }}", "{{ [1, 2]|random }}"))
    assert "random" in str(error)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("workdays: []", None), "workdays"),
        (("1 day", "99999999 days"), "at most 10 years"),
        (("1 day", "9999999999999999999999 days"), "at most 10 years"),
        (("1 day", "3000 months"), "at most 10 years"),
        (("1 day", "20000 business days"), "at most 10 years"),
        (('at: "09:00" }', 'at: "09:00" }\n    duration: -15m'), "cannot be negative"),
        (('at: "09:00" }', 'at: "09:00" }\n    hours: ["18:00", "08:30"]'), "must come before"),
        (('at: "09:00" }', 'at: "09:00" }\n    all_day: yes'), "expected true or false"),
    ],
)
def test_values_that_would_fail_later_are_refused_at_load(
    change: tuple[str, str | None], said: str
) -> None:
    old, new = change
    text = RULES.replace("rules:\n", old + "\nrules:\n") if new is None else RULES.replace(old, new)
    assert text != RULES
    assert said in str(refused(text))


def test_a_template_error_inside_an_if_branch_is_a_load_error_with_its_line() -> None:
    text = RULES.replace(
        "    title: \"Thank {{ company or 'them' }}\"\n",
        "    title: Thank you\n"
        "    description: |\n"
        "      Dear {{ recruiter_first_name or 'team' }},\n"
        "      {% if highlights %}\n"
        "      I liked {{ higlights }}.\n"
        "      {% endif %}\n",
    )
    error = refused(text)
    assert error.line == 9  # the line of {{ higlights }} in the file
    assert "'higlights' is undefined" in str(error)


def test_a_template_syntax_error_in_a_branch_names_its_line() -> None:
    text = RULES.replace(
        "    title: \"Thank {{ company or 'them' }}\"\n",
        "    title: Thank you\n"
        "    description: |\n"
        "      {% if role %}\n"
        "      {{ role | upper( }}\n"
        "      {% endif %}\n",
    )
    assert refused(text).line == 8


def test_a_template_that_fails_only_at_plan_time_is_one_message_naming_rule_and_interview(
    tmp_path: Path,
) -> None:
    # "ACME" (the sample) has 4 letters; Globex has 6: 6 - 6 is zero.
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        RULES.replace(
            "{{ company or 'them' }}", "{{ (10 // (company|length - 6)) if company else '' }}"
        ),
        encoding="utf-8",
    )
    assert run("check", str(rules)).code == 0
    result = run("plan", "--rules", str(rules), "--from", SEARCH, "--now", "2026-12-01T08:00")
    assert result.code == 3
    assert result.err.startswith("followup: rule thank-you: its title cannot be written for ")
    assert "Globex" in result.err and "it divides by zero" in result.err


def test_an_unquoted_template_says_to_quote_it() -> None:
    error = refused(RULES.replace("\"Thank {{ company or 'them' }}\"", "{{ company }}"))
    assert error.line == 5
    assert error.hint is not None and 'title: "{{ company }}"' in error.hint


def test_a_tab_in_the_indentation_gets_a_hint() -> None:
    error = refused(RULES.replace("    when:", "\twhen:"))
    assert error.hint is not None and "spaces, not tabs" in error.hint


def test_a_wrong_region_is_blamed_on_the_region_not_the_country() -> None:
    error = refused(
        RULES.replace("rules:\n", "holidays: { country: DE, subdivision: XX }\nrules:\n")
    )
    assert "no region 'XX' in DE" in str(error) and "BY" in str(error)
    assert (error.line, error.column) == (3, 39)


def test_two_rules_files_in_one_run_are_refused_not_silently_one() -> None:
    result = CliRunner().invoke(main, ["plan", "--rules", "a.yaml", "--rules", "b.yaml"])
    assert result.exit_code == 2
    assert "one rules file a run, got 2" in result.output


def test_check_json_reports_an_error_as_json(tmp_path: Path) -> None:
    import json

    path = tmp_path / "bad.yaml"
    path.write_text(RULES.replace("1 day", "1.5 days"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--json", str(path)])
    assert result.exit_code == 3
    answer = json.loads(result.stdout)
    assert answer["ok"] is False and answer["error"]["line"] == 6
    assert "1.5 days" in answer["error"]["message"]


def test_check_says_which_rules_run_only_as_a_fallback() -> None:
    result = run("check")
    assert result.code == 0
    assert (
        "note: status-check-window runs only as the fallback of status-check, not on its own"
        in result.out
    )


def test_a_huge_now_and_a_ten_year_offset_plan_without_an_overflow() -> None:
    from followup.engine.pipeline import read_ics
    from followup.engine.plan.planner import make_plan

    rules = parse_rules(RULES.replace("1 day", "3660 days"))
    now = datetime(2026, 12, 1, 8, tzinfo=ZoneInfo("Europe/Berlin"))
    reading = read_ics(Path(SEARCH).read_bytes(), rules=rules, now=now)
    plan = make_plan(rules, reading, now)
    assert {f.start.year for f in plan.followups} == {2036}


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.text(alphabet="ab*?", max_size=8),
    text=st.text(alphabet="abAB", max_size=12),
)
def test_a_glob_matches_as_fnmatch_does_in_any_case(pattern: str, text: str) -> None:
    import fnmatch

    assert glob_match(pattern, text) == fnmatch.fnmatchcase(text.casefold(), pattern)


def test_a_glob_against_a_long_text_takes_few_steps_per_character() -> None:
    # The classic exponential case for backtracking matchers: a*a*a*...b against aaaa...
    pattern, text = "a*" * 50 + "b", "a" * 5_000
    assert glob_match(pattern, text) is False


def test_a_step_past_the_year_9999_is_left_out_with_a_warning_not_an_overflow() -> None:
    from followup.engine.model import Interview, Reading
    from followup.engine.plan.planner import make_plan

    berlin = ZoneInfo("Europe/Berlin")
    rules = parse_rules(RULES.replace("1 day", "3660 days"))
    late = Interview(
        uid="late@example.com",
        recurrence_id=None,
        summary="Interview with ACME",
        start=datetime(9995, 6, 1, 10, tzinfo=berlin),
        end=datetime(9995, 6, 1, 11, tzinfo=berlin),
    )
    plan = make_plan(rules, Reading(interviews=(late,)), datetime(2026, 12, 1, 8, tzinfo=berlin))
    assert plan.followups == ()
    assert plan.warnings == (
        "Interview with ACME: thank-you not planned: its time falls outside the calendar "
        "(before year 1 or after 9999)",
    )
