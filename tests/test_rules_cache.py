"""The compiled rules in the cache folder: the same plan, warm or cold, and never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.rules_cache import RulesCache, load_rules
from followup.rules.errors import RulesError
from followup.rules.loader import parse_rules, shipped_policies, shipped_rules
from followup.rules.templates import compile_template
from tests.conftest import DATA, ROOT

EXAMPLE = str(ROOT / "examples" / "interviews.ics")
NOW = "2026-11-30T08:00"


def plan(*args: str) -> bytes:
    result = CliRunner().invoke(main, ["plan", "--from", EXAMPLE, "--now", NOW, *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def cached_files(home: Path) -> list[Path]:
    return sorted((home / "cache").rglob("rules/*.json"))


def my_rules(home: Path, thanks: str = "Send") -> Path:
    text, _ = shipped_rules()
    path = home / "my-rules.yaml"
    path.write_text(text.replace("Send {{", f"{thanks} {{{{"), encoding="utf-8")
    return path


def python(code: str) -> str:
    """What ``code`` prints, run by a new Python process in this environment."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env=dict(os.environ),
    )
    return done.stdout


def test_a_cold_and_a_warm_run_print_the_same_plan_bytes(isolated_home: Path) -> None:
    assert cached_files(isolated_home) == []
    cold = plan()
    assert len(cached_files(isolated_home)) == 1
    warm = plan()
    assert warm == cold
    assert plan("--json") == plan("--json")


def test_an_edited_rules_file_is_read_again(isolated_home: Path) -> None:
    rules = my_rules(isolated_home)
    assert b"Send Dana a thank-you email" in plan("--rules", str(rules))
    my_rules(isolated_home, thanks="Write")
    out = plan("--rules", str(rules))
    assert b"Write Dana a thank-you email" in out and b"Send Dana" not in out
    assert len(cached_files(isolated_home)) == 1  # the edit replaced the entry, not added one


def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(isolated_home: Path) -> None:
    expected = plan()
    (entry,) = cached_files(isolated_home)
    good = entry.read_bytes()
    key = json.loads(good)["key"]
    foreign = [
        b"",
        b"\x80\x04\x95 not json, perhaps a pickle",
        good[: len(good) // 2],
        b"[1, 2, 3]",
        json.dumps({"key": "0" * 64, "rules": json.loads(good)["rules"]}).encode(),
        json.dumps({"key": key, "rules": {"rules": "not a list", "surprise": 1}}).encode(),
        json.dumps({"key": key, "rules": None}).encode(),
        b"[" * 200_000 + b"]" * 200_000,  # deeper than the JSON reader recurses
    ]
    for content in foreign:
        entry.write_bytes(content)
        assert plan() == expected, content
        assert entry.read_bytes() == good  # rewritten from the rules file itself


def test_a_rules_error_is_reported_even_after_a_good_version_was_cached(
    isolated_home: Path,
) -> None:
    rules = my_rules(isolated_home)
    plan("--rules", str(rules))
    rules.write_text(rules.read_text() + "\nsurprise: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "--from", EXAMPLE, "--rules", str(rules)])
    assert result.exit_code != 0
    assert "unknown key 'surprise'" in result.output


def test_a_cache_folder_that_cannot_be_written_is_no_error(isolated_home: Path) -> None:
    (isolated_home / "cache").write_text("a file where the folder would be")
    first = plan()
    assert plan() == first


def test_check_reads_the_file_in_full_even_when_it_is_cached(isolated_home: Path) -> None:
    plan()
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from followup.cli.main import main\n"
        "r = CliRunner().invoke(main, ['check'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('ruamel.yaml' in sys.modules, 'jinja2' in sys.modules)\n"
    )
    assert python(code).split() == ["True", "True"]


def test_every_shipped_and_sample_policy_survives_the_cache_unchanged(tmp_path: Path) -> None:
    cache = RulesCache(tmp_path)
    texts = [shipped_rules(name) for name in shipped_policies()]
    texts += [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(DATA.rglob("*.yaml"))]
    kept = 0
    for text, name in texts:
        try:
            ruleset = parse_rules(text, name)
        except RulesError:
            continue  # a sample of a mistake: nothing to cache
        cache.store(name, text, ruleset)
        assert cache.load(name, text) == ruleset, name
        assert cache.load(name, text + "\n# edited\n") is None
        kept += 1
    assert kept >= 2


def test_the_shipped_policy_loads_the_same_from_the_cache(isolated_home: Path) -> None:
    cold = load_rules()
    assert load_rules() == cold
    assert load_rules(fresh=True) == cold


def run_plan_in_a_new_process(home: Path, *, count_compiles: bool = False) -> str:
    """``followup plan`` in a fresh Python, as a shell runs it twice: nothing kept in memory."""
    code = (
        "import jinja2\n"
        "compiled = []\n"
        "original = jinja2.Environment.compile\n"
        "def counted(self, *args, **kwargs):\n"
        "    compiled.append(args[0])\n"
        "    return original(self, *args, **kwargs)\n"
        "jinja2.Environment.compile = counted\n"
        "from click.testing import CliRunner\n"
        "from followup.cli.main import main\n"
        f"r = CliRunner().invoke(main, ['plan', '--from', {EXAMPLE!r}, '--now', {NOW!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"print(len(compiled) if {count_compiles!r} else r.output, end='')\n"
    )
    return python(code)


def test_a_warm_run_in_a_new_process_prints_the_same_plan_and_keeps_no_code(
    isolated_home: Path,
) -> None:
    cold = run_plan_in_a_new_process(isolated_home)
    assert cached_files(isolated_home)
    assert run_plan_in_a_new_process(isolated_home) == cold
    # Templates are compiled from their source by every run: no code is kept to be run.
    assert int(run_plan_in_a_new_process(isolated_home, count_compiles=True)) > 0
    kept = [p.name for p in (isolated_home / "cache").rglob("*") if p.is_file()]
    assert kept and all(name.endswith(".json") for name in kept)


def test_the_version_in_the_cache_key_is_the_installed_one() -> None:
    from importlib.metadata import version

    from followup.engine.rules_cache import _version

    assert _version() == version("followup")


def test_a_cache_entry_that_cannot_be_replaced_is_no_error(isolated_home: Path) -> None:
    expected = plan()
    for entry in sorted((isolated_home / "cache").rglob("rules/*.*")):
        entry.unlink()
        entry.mkdir()  # a folder where the entry goes: writing it fails
    compile_template.cache_clear()
    assert plan() == expected


def test_a_rule_that_takes_its_unless_and_hours_from_the_defaults_still_does_when_cached(
    tmp_path: Path,
) -> None:
    text = (
        "version: 1\ntimezone: Europe/Berlin\n"
        "defaults: { unless: { status: answered }, hours: ['08:30', '18:00'] }\n"
        "rules:\n  - id: check\n    title: Check\n    when: { from: end, offset: 10 days }\n"
    )
    cache = RulesCache(tmp_path)
    ruleset = parse_rules(text, "defaults.yaml")
    cache.store("defaults.yaml", text, ruleset)
    warm = cache.load("defaults.yaml", text)
    assert warm is not None
    rule = warm.rules[0]
    assert warm.unless_of(rule) == ruleset.unless_of(ruleset.rules[0]) is not None
    assert not rule.says("unless") and not rule.says("hours")


def test_an_upgraded_library_reads_the_rules_again(tmp_path: Path) -> None:
    """The cache key holds the one code stamp: a new version of a library the plan depends
    on (holidays, say) is a change for the next run, as an edit of followup's code is."""
    library = tmp_path / "probe_holidays.py"
    library.write_text("DAYS = 1\n", encoding="utf-8")
    run = (
        "import sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from followup.engine import installed\n"
        "installed.LIBRARIES = ('probe_holidays',)\n"
        "from followup.engine.rules_cache import RulesCache\n"
        "from followup.rules.loader import parse_rules, shipped_rules\n"
        f"cache = RulesCache(__import__('pathlib').Path({str(tmp_path / 'cache')!r}))\n"
        "text, name = shipped_rules()\n"
        "found = cache.load(name, text)\n"
        "print('cached' if found is not None else 'read')\n"
        "cache.store(name, text, parse_rules(text, name))\n"
    )
    assert python(run) == "read\n"
    assert python(run) == "cached\n"

    library.write_text("DAYS = 22\n", encoding="utf-8")  # a new version, as pip writes it

    assert python(run) == "read\n"
    assert python(run) == "cached\n"


def test_a_kept_entry_edited_after_it_was_written_is_read_again(isolated_home: Path) -> None:
    """The dump is rebuilt without validating, so an entry whose rules no longer match
    the digest it was written with is not used: a changed title stays out of the plan."""
    expected = plan()
    (entry,) = cached_files(isolated_home)
    good = entry.read_bytes()
    data = json.loads(good)
    data["rules"]["rules"][2]["title"] = "Edited {{ recruiter_first_name }}"
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert plan() == expected
    assert entry.read_bytes() == good


def test_every_shipped_policy_is_rebuilt_as_validated_with_the_same_keys_set() -> None:
    from followup.rules.model import RuleSet
    from followup.rules.trusted import rebuilt, same_as

    for name in shipped_policies():
        ruleset = parse_rules(*shipped_rules(name))
        dump = json.loads(
            json.dumps(ruleset.model_dump(mode="json", by_alias=True, exclude_unset=True))
        )
        back = rebuilt(RuleSet, dump)
        assert same_as(back, ruleset), name
        assert not same_as(back.model_copy(update={"name": "other"}), ruleset)
