"""A rules file with a mistake gets one clear message: file, line, column, what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.errors import RulesError
from followup.rules.loader import load_rules, parse_rules

GOOD_RULE = """\
version: 1
timezone: Europe/Berlin
rules:
  - id: thank-you
    title: Thank {{ company or 'them' }}
    when: { from: end, offset: 1 day, at: "09:00" }
"""


def check(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    # An unhandled exception is kept in result.exception, not printed to the output.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_a_good_rules_file_checks_out(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE)
    assert code == 0
    assert "OK, 1 rules" in out


def test_bad_yaml_names_the_line_and_column(tmp_path: Path) -> None:
    code, out = check(tmp_path, "rules:\n  - id: x\n    title: [unclosed\n")
    assert code == 3
    assert "mine.yaml:4:1: invalid YAML" in out


def test_an_unknown_key_suggests_the_closest_valid_one(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE.replace("    title:", "    ttle: x\n    title:"))
    assert code == 3
    assert "mine.yaml:5:5: rule thank-you: unknown key 'ttle'; did you mean 'title'?" in out


def test_a_misspelt_key_inside_when_suggests_offset(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE.replace("offset:", "ofset:"))
    assert code == 3
    assert "mine.yaml:6:" in out
    assert "unknown key 'ofset'; did you mean 'offset'?" in out


def test_a_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE + "    all_day: sometimes\n")
    assert code == 3
    assert "mine.yaml:7:14:" in out
    assert "rule thank-you, all_day: expected true or false, got 'sometimes'" in out


def test_a_bad_offset_explains_the_format(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE.replace("offset: 1 day", "offset: one fortnight"))
    assert code == 3
    assert "mine.yaml:6:" in out
    assert "cannot read 'one fortnight' as an amount of time" in out


def test_an_unknown_rule_reference_lists_the_choices(tmp_path: Path) -> None:
    text = (
        GOOD_RULE
        + "  - id: later\n    title: Later\n    when: { from: thank-yuo, offset: 1 day }\n"
    )
    code, out = check(tmp_path, text)
    assert code == 3
    assert "mine.yaml:9:" in out
    assert "when.from names 'thank-yuo', which is not a rule here" in out
    assert "thank-you" in out


def test_rules_that_refer_to_each_other_in_a_cycle_are_refused(tmp_path: Path) -> None:
    text = """\
timezone: Europe/Berlin
rules:
  - id: a
    title: A
    when: { from: b }
  - id: b
    title: B
    when: { from: a }
"""
    code, out = check(tmp_path, text)
    assert code == 3
    assert "cycle: a -> b -> a" in out
    assert "mine.yaml:3:" in out


def test_an_unknown_timezone_is_named(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE.replace("Europe/Berlin", "Europe/Atlantis"))
    assert code == 3
    assert "mine.yaml:2:11: unknown timezone 'Europe/Atlantis'" in out


def test_a_template_that_reaches_python_internals_is_refused(tmp_path: Path) -> None:
    text = GOOD_RULE.replace(
        "Thank {{ company or 'them' }}", "\"{{ ''.__class__.__mro__[1].__subclasses__() }}\""
    )
    code, out = check(tmp_path, text)
    assert code == 3
    assert "mine.yaml:5:" in out
    assert "template not allowed" in out


def test_a_template_with_an_unknown_variable_lists_the_available_ones(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE.replace("{{ company or 'them' }}", "{{ xyzzy }}"))
    assert code == 3
    assert "'xyzzy' is undefined; available: company, role," in out
    assert "recruiter_email" in out


def test_a_misspelt_template_variable_gets_the_closest_name_only(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE.replace("{{ company or 'them' }}", "{{ compnay }}"))
    assert code == 3
    assert "rule thank-you: template error in title: 'compnay' is undefined; did you mean " in out
    assert "'company'?" in out and "recruiter_email" not in out


def test_a_template_that_breaks_when_a_fact_is_missing_is_found_at_load_time(
    tmp_path: Path,
) -> None:
    code, out = check(
        tmp_path, GOOD_RULE.replace("{{ company or 'them' }}", "{{ company.upper() }}")
    )
    assert code == 3
    assert "template" in out and "unknown" in out


def test_a_duplicate_key_is_an_error_not_a_silent_override(tmp_path: Path) -> None:
    code, out = check(tmp_path, GOOD_RULE + "    title: Again\n")
    assert code == 3
    assert "appears twice" in out and "'title'" in out


def test_an_empty_rules_file_says_what_it_needs(tmp_path: Path) -> None:
    code, out = check(tmp_path, "")
    assert code == 3
    assert "empty" in out and "rules:" in out


def test_a_missing_rules_file_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 3
    assert "nope.yaml: no such rules file" in result.output


def test_yaml_is_read_as_yaml_1_2_times_stay_times_and_no_stays_a_word() -> None:
    rules = parse_rules(
        GOOD_RULE.replace('at: "09:00"', "at: 10:30").replace(
            "title: Thank {{ company or 'them' }}", "title: no"
        )
    )
    rule = rules.rules[0]
    assert rule.title == "no"
    assert rule.when.at is not None and (rule.when.at.hour, rule.when.at.minute) == (10, 30)


def test_a_rule_id_used_twice_is_refused() -> None:
    text = GOOD_RULE + "  - id: thank-you\n    title: Twice\n    when: { from: end }\n"
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "x.yaml")
    assert caught.value.line == 7
    assert "used twice" in str(caught.value)


def test_every_shipped_policy_loads() -> None:
    from followup.rules.loader import shipped_policies

    names = shipped_policies()
    assert "default.yaml" in names and len(names) >= 2
    for name in names:
        rules = load_rules(Path(__file__).parent.parent / "rules" / name)
        assert rules.rules


def test_the_schema_command_prints_a_json_schema_naming_every_rule_key() -> None:
    import json

    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    rule = schema["$defs"]["Rule"]["properties"]
    assert {"id", "title", "when", "due", "if", "unless", "fallback", "email"} <= set(rule)
    assert schema["$defs"]["When"]["properties"]["from"]["description"].startswith("The anchor")
