"""The compiled rules in the cache folder: the same plan, warm or cold, and never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from engine.pipeline import RulesCache, load_rules
from rules import compiled
from rules.errors import RulesError
from rules.loader import parse_rules, shipped_policies, shipped_rules
from rules.templates import (
    SAMPLE_KNOWN,
    SAMPLE_UNKNOWN,
    compile_template,
    environment,
    template_sources,
)
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
        "from cli.main import main\n"
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
        "from cli.main import main\n"
        f"r = CliRunner().invoke(main, ['plan', '--from', {EXAMPLE!r}, '--now', {NOW!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"print(len(compiled) if {count_compiles!r} else r.output, end='')\n"
    )
    return python(code)


def test_a_warm_run_in_a_new_process_compiles_no_template_and_prints_the_same_plan(
    isolated_home: Path,
) -> None:
    assert int(run_plan_in_a_new_process(isolated_home, count_compiles=True)) > 0  # cold
    assert run_plan_in_a_new_process(isolated_home, count_compiles=True) == "0"
    assert sorted((isolated_home / "cache").rglob("rules/*.code"))
    warm = run_plan_in_a_new_process(isolated_home)
    for entry in (isolated_home / "cache").rglob("rules/*.code"):
        entry.unlink()
    assert run_plan_in_a_new_process(isolated_home) == warm  # compiled from the sources again


def test_compiled_templates_that_are_damaged_stale_or_open_to_others_are_not_run(
    tmp_path: Path,
) -> None:
    text, name = shipped_rules()
    cache = RulesCache(tmp_path)
    ruleset = parse_rules(text, name)
    cache.store(name, text, ruleset)
    codes = cache.load_templates(name, text)
    assert sorted(codes) == sorted(template_sources(ruleset)) and codes
    entry = cache.code_path(name)
    assert entry is not None
    good = entry.read_bytes()
    assert cache.load_templates(name, text + "\n# edited\n") == {}  # another rules text
    damaged = [
        b"",
        good[:16],
        good[: len(good) // 2],
        good[:40] + bytes([good[40] ^ 1]) + good[41:],  # one bit flipped in the code
        bytes([good[0] ^ 1]) + good[1:],  # ... or in the digest
        good + b"\x00",
    ]
    for content in damaged:
        entry.write_bytes(content)
        assert cache.load_templates(name, text) == {}, content[:48]
    entry.write_bytes(good)
    assert cache.load_templates(name, text) == codes
    entry.chmod(0o622)  # another user could have written it
    assert cache.load_templates(name, text) == {}
    entry.chmod(0o600)
    assert cache.load_templates(name, text) == codes


def test_templates_run_from_the_kept_code_render_as_compiled_from_their_source(
    tmp_path: Path,
) -> None:
    text, name = shipped_rules()
    cache = RulesCache(tmp_path)
    ruleset = parse_rules(text, name)
    cache.store(name, text, ruleset)
    compile_template.cache_clear()
    compiled.use(cache.load_templates(name, text))  # code objects read back from the file
    for source in template_sources(ruleset):
        kept, fresh = compile_template(source), environment().from_string(source)
        for sample in (SAMPLE_KNOWN, SAMPLE_UNKNOWN):
            assert kept.render(sample) == fresh.render(sample)


def test_the_version_in_the_cache_key_is_the_installed_one() -> None:
    from importlib.metadata import version

    from engine.pipeline import _version

    assert _version() == version("followup")


def test_a_cache_entry_that_cannot_be_replaced_is_no_error(isolated_home: Path) -> None:
    expected = plan()
    for entry in sorted((isolated_home / "cache").rglob("rules/*.*")):
        entry.unlink()
        entry.mkdir()  # a folder where the entry goes: writing it fails
    compile_template.cache_clear()
    assert plan() == expected
