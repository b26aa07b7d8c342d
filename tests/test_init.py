"""`followup init`: a few questions with good defaults, two files, and never a clobbered file."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from engine.config import config_path, load_config
from engine.init import guess_country, parse_holidays, parse_workdays
from rules.loader import load_rules
from tests.everyday_support import SEARCH, run


@pytest.fixture
def config_dir(monkeypatch: pytest.MonkeyPatch) -> Path:
    # The holidays default comes from the locale's country (LC_TIME here). Holiday
    # names follow LANG and are cached per process, so LANG stays English.
    for var in ("LC_ALL", "LANGUAGE", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LC_TIME", "de_DE.UTF-8")
    monkeypatch.setenv("LANG", "C.UTF-8")
    return Path(os.environ["FOLLOWUP_CONFIG_DIR"])


def test_init_yes_writes_rules_and_config_and_prints_the_next_command(config_dir: Path) -> None:
    result = run("init", "--yes", "--from", SEARCH)
    assert result.code == 0, result.err
    rules, config = config_dir / "rules.yaml", config_dir / "config.toml"
    assert result.out == (
        f"wrote     {rules}\n"
        f"wrote     {config}\n"
        "\n"
        "Next, see your follow-ups:\n"
        f"  followup plan --from {SEARCH} --rules {rules}\n"
    )
    ruleset = load_rules(rules)
    assert ruleset.timezone == "Europe/Berlin"  # this machine's zone ($TZ in the tests)
    assert ruleset.workdays == ["mon", "tue", "wed", "thu", "fri"]
    assert ruleset.holidays is not None and ruleset.holidays.country == "DE"  # from the locale
    assert ruleset.defaults.kind == "event"
    assert tomllib.loads(config.read_text()) == {"sync": {"from": SEARCH, "rules": str(rules)}}


def test_the_written_rules_are_a_commented_copy_that_passes_check(config_dir: Path) -> None:
    run("init", "--yes", "--holidays", "none")
    rules = config_dir / "rules.yaml"
    text = rules.read_text()
    assert text.startswith(
        "# Your follow-up rules, written by `followup init` from rules/default.yaml.\n"
        f"# After an edit, run `followup check {rules}`; the reference is\n"
    )
    assert "  # The next morning: a short thank-you email.\n" in text
    assert "\nholidays:" not in text
    checked = run("check", str(rules))
    assert checked.code == 0
    assert checked.out.startswith(f"{rules}: OK, 6 rules, times of day in Europe/Berlin.\n")


def test_the_answers_given_as_options_shape_the_plan(config_dir: Path) -> None:
    result = run(
        "init",
        "--yes",
        "--timezone",
        "America/New_York",
        "--workdays",
        "sun-thu",
        "--holidays",
        "us-ny",
        "--kind",
        "todos",
    )
    assert result.code == 0, result.err
    assert result.out.endswith(
        f"  followup plan --from YOUR-CALENDAR.ics --rules {config_dir / 'rules.yaml'}\n"
    )
    text = (config_dir / "rules.yaml").read_text()
    assert "\ntimezone: America/New_York\n" in text
    assert "\nworkdays: [mon, tue, wed, thu, sun]\n" in text
    assert "\nholidays: { country: US, subdivision: NY }\n" in text
    assert "\n  kind: todo            # event or todo\n" in text
    config = (config_dir / "config.toml").read_text()
    assert '\n# from = "~/calendars/job-search.ics"\n' in config
    planned = run(
        "plan",
        "--from",
        SEARCH,
        "--rules",
        str(config_dir / "rules.yaml"),
        "--now",
        "2026-11-30T18:00",
        "--json",
    )
    assert planned.code == 0, planned.err
    assert '"kind": "todo"' in planned.out and '"kind": "event"' not in planned.out


def test_the_questions_take_enter_for_the_default_and_ask_again_after_a_bad_answer(
    config_dir: Path,
) -> None:
    answers = f"\nmon-fri\nAtlantis\nDE-BE\ntodos\n{SEARCH}\n"
    result = run("init", input=answers)
    assert result.code == 0, result.err
    assert result.out.startswith(
        f"Setting up followup in {config_dir}. Press Enter to take the [default].\n"
        "Your timezone [Europe/Berlin]: \n"
        "Your working days [mon-fri]: mon-fri\n"
        "Public holidays to skip (a country code like DE or US-CA, or none) [DE]: Atlantis\n"
        "Error: no public holidays known for country 'ATLANTIS'; use an ISO code such as"
        " 'DE', 'US' or 'GB'\n"
        "Public holidays to skip (a country code like DE or US-CA, or none) [DE]: DE-BE\n"
        "Follow-ups as events or todos [events]: todos\n"
        "Where are your interviews? (an .ics file or a CalDAV calendar URL; Enter to skip): "
        f"{SEARCH}\n"
        f"wrote     {config_dir / 'rules.yaml'}\n"
    )
    ruleset = load_rules(config_dir / "rules.yaml")
    assert ruleset.holidays is not None
    assert (ruleset.holidays.country, ruleset.holidays.subdivision) == ("DE", "BE")
    assert ruleset.defaults.kind == "todo"


def test_init_twice_with_yes_keeps_the_files_the_user_edited(config_dir: Path) -> None:
    run("init", "--yes")
    rules = config_dir / "rules.yaml"
    edited = rules.read_text().replace("offset: 45m", "offset: 1h")
    rules.write_text(edited)
    again = run("init", "--yes")
    assert again.code == 0
    assert again.out.splitlines()[:2] == [
        f"kept      {rules} (yours; not replaced)",
        f"unchanged {config_dir / 'config.toml'}",
    ]
    assert rules.read_text() == edited
    assert not (config_dir / "rules.yaml.bak").exists()


def test_init_twice_asks_before_replacing_and_keeps_the_old_file_as_bak(config_dir: Path) -> None:
    run("init", "--yes", "--from", SEARCH)
    rules, config = config_dir / "rules.yaml", config_dir / "config.toml"
    rules.write_text(rules.read_text().replace("offset: 45m", "offset: 1h"))
    old_rules, old_config = rules.read_text(), config.read_text()

    kept = run(
        "init", "--holidays", "none", "--kind", "events", "--from", "other.ics", input="\n\nn\nn\n"
    )
    assert (
        f"{rules} exists and differs. Replace it (the old one is kept as rules.yaml.bak)?"
        in kept.out
    )
    assert (rules.read_text(), config.read_text()) == (old_rules, old_config)

    replaced = run(
        "init", "--holidays", "none", "--kind", "events", "--from", "other.ics", input="\n\ny\ny\n"
    )
    assert f"replaced  {rules} (the old one is rules.yaml.bak)\n" in replaced.out
    assert f"replaced  {config} (the old one is config.toml.bak)\n" in replaced.out
    assert (config_dir / "rules.yaml.bak").read_text() == old_rules
    assert (config_dir / "config.toml.bak").read_text() == old_config
    assert "offset: 45m" in rules.read_text()
    assert 'from = "other.ics"' in config.read_text()


def test_a_bad_option_is_refused_before_anything_is_written(config_dir: Path) -> None:
    result = run("init", "--yes", "--timezone", "Mars/Olympus")
    assert result.code == 2
    assert "Invalid value for --timezone: unknown timezone 'Mars/Olympus'" in result.err
    assert not config_dir.exists()


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", ("mon", "tue", "wed", "thu", "fri")),
        ("sun-thu", ("mon", "tue", "wed", "thu", "sun")),
        ("Mon, Wed, Friday", ("mon", "wed", "fri")),
        ("fri-mon", ("mon", "fri", "sat", "sun")),
    ],
)
def test_working_days_are_read_as_ranges_or_lists(text: str, days: tuple[str, ...]) -> None:
    assert parse_workdays(text) == days


def test_a_word_that_is_not_a_day_is_refused() -> None:
    with pytest.raises(ValueError, match="'someday' is not a day"):
        parse_workdays("mon, someday")


def test_holidays_are_read_as_country_and_region() -> None:
    assert parse_holidays("de-by") == ("DE", "BY")
    assert parse_holidays("US CA") == ("US", "CA")
    assert parse_holidays("none") == (None, None)


def test_the_holidays_default_comes_from_the_locale_when_it_names_a_country() -> None:
    assert guess_country({"LANG": "en_GB.UTF-8"}) == "GB"
    assert guess_country({"LC_ALL": "fr_CA.UTF-8", "LANG": "de_DE.UTF-8"}) == "CA"
    assert guess_country({"LANG": "C.UTF-8"}) is None


def test_the_config_file_is_one_followup_sync_reads(config_dir: Path) -> None:
    url = "https://dav.example.com/calendars/me/work/"
    result = run("init", "--yes", "--from", url)
    assert result.out.endswith(
        "Then put them in your calendar (see what would change first):\n  followup sync --dry-run\n"
    )
    config = load_config(config_path())
    assert config_path() == config_dir / "config.toml"
    assert (config.sync.from_, config.sync.rules) == (url, str(config_dir / "rules.yaml"))
