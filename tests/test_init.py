"""`followup init`: a few questions with good defaults, two files, and never a clobbered file."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from followup.engine.config import config_path, load_config
from followup.engine.init import guess_country, parse_holidays, parse_workdays
from followup.rules.loader import load_rules
from followup.rules.model import json_schema
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


@pytest.mark.machine_zone("Europe/Berlin")
def test_init_yes_writes_rules_and_config_and_prints_the_next_command(config_dir: Path) -> None:
    result = run("init", "--yes", "--from", SEARCH)
    assert result.code == 0, result.err
    rules, config = config_dir / "rules.yaml", config_dir / "config.toml"
    schema = config_dir / "followup-rules.schema.json"
    assert result.out == (
        f"wrote     {rules}\n"
        f"wrote     {schema}\n"
        f"wrote     {config}\n"
        "\n"
        "Next, see your follow-ups:\n"
        "  followup plan\n"
    )
    ruleset = load_rules(rules)
    assert ruleset.timezone == "Europe/Berlin"  # this machine's zone ($TZ in the tests)
    assert ruleset.workdays == ["mon", "tue", "wed", "thu", "fri"]
    assert ruleset.holidays is not None and ruleset.holidays.country == "DE"  # from the locale
    assert ruleset.defaults.kind == "event"
    assert tomllib.loads(config.read_text()) == {"sync": {"from": SEARCH, "rules": str(rules)}}


@pytest.mark.machine_zone("Europe/Berlin")
def test_the_written_rules_are_a_commented_copy_that_passes_check(config_dir: Path) -> None:
    run("init", "--yes", "--holidays", "none")
    rules = config_dir / "rules.yaml"
    text = rules.read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=./followup-rules.schema.json\n"
        "# Your follow-up rules, written by `followup init` from rules/default.yaml.\n"
        f"# After an edit, run `followup check {rules}`; the reference is\n"
    )
    assert "  # The next morning: a short thank-you email.\n" in text
    assert "\nholidays:" not in text
    checked = run("check", str(rules))
    assert checked.code == 0
    schema = json.loads((config_dir / "followup-rules.schema.json").read_text())
    assert schema == json_schema()  # the editor line names a schema that is there
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
    assert result.out.endswith("  followup plan --from YOUR-CALENDAR.ics\n")
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


LANGUAGE_QUESTION = (
    "Language of your drafts and steps (en, de, fr, nl or es; an invitation written in "
    "another of them gets its drafts in that one)"
)


@pytest.mark.machine_zone("Europe/Berlin")
def test_the_questions_take_enter_for_the_default_and_ask_again_after_a_bad_answer(
    config_dir: Path,
) -> None:
    answers = (
        f"\nmon-fri\nAtlantis\nDE-BE\ntodos\n{SEARCH}\nit\nde\nAlex Doe\n\n"
        "imap.example.org\njo@example.org\n"
    )
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
        "Where are your interviews? (an .ics file or link, or a CalDAV calendar URL; "
        "Enter to skip): "
        f"{SEARCH}\n"
        f"{LANGUAGE_QUESTION} [en]: it\n"
        "Error: answer 'en' (English), 'de' (German), 'fr' (French), 'nl' (Dutch) or 'es'"
        " (Spanish)\n"
        f"{LANGUAGE_QUESTION} [en]: de\n"
        "Your name, to sign the drafts (Enter to skip): Alex Doe\n"
        "Your signature under the closing (Enter for just your name): \n"
        "Your mail server, to notice when a recruiter replies (IMAP, e.g. imap.gmail.com; "
        "Enter to skip): imap.example.org\n"
        "Your user name there (often your email address): jo@example.org\n"
        f"wrote     {config_dir / 'rules.yaml'}\n"
    )
    mail = load_config().mail
    assert mail is not None and (mail.host, mail.username) == ("imap.example.org", "jo@example.org")
    ruleset = load_rules(config_dir / "rules.yaml")
    assert ruleset.language == "de"
    assert (ruleset.sender.name, ruleset.sender.signature) == ("Alex Doe", None)
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
    assert again.out.splitlines()[:3] == [
        f"kept      {rules} (yours; not replaced)",
        f"unchanged {config_dir / 'followup-rules.schema.json'}",
        f"unchanged {config_dir / 'config.toml'}",
    ]
    assert rules.read_text() == edited
    assert not (config_dir / "rules.yaml.bak").exists()


OTHER_ANSWERS = ("--holidays", "none", "--kind", "events")
OTHER_ANSWERS += ("--language", "en", "--name", "")


def test_init_twice_asks_before_replacing_and_keeps_the_old_file_as_bak(config_dir: Path) -> None:
    run("init", "--yes", "--from", SEARCH)
    rules, config = config_dir / "rules.yaml", config_dir / "config.toml"
    rules.write_text(rules.read_text().replace("offset: 45m", "offset: 1h"))
    old_rules, old_config = rules.read_text(), config.read_text()
    other = config_dir.parent / "other.ics"
    other.write_bytes(Path(SEARCH).read_bytes())

    kept = run("init", *OTHER_ANSWERS, "--from", str(other), input="\n\n\nn\nn\n")
    assert (
        f"{rules} exists and differs. Replace it (the old one is kept as rules.yaml.bak)?"
        in kept.out
    )
    assert (rules.read_text(), config.read_text()) == (old_rules, old_config)

    replaced = run("init", *OTHER_ANSWERS, "--from", str(other), input="\n\n\ny\ny\n")
    assert f"replaced  {rules} (the old one is rules.yaml.bak)\n" in replaced.out
    assert f"replaced  {config} (the old one is config.toml.bak)\n" in replaced.out
    assert (config_dir / "rules.yaml.bak").read_text() == old_rules
    assert (config_dir / "config.toml.bak").read_text() == old_config
    assert "offset: 45m" in rules.read_text()
    assert f'from = "{other}"' in config.read_text()


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


def test_init_keeps_the_calendar_as_an_absolute_path_that_works_from_any_folder(
    config_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "google.ics").write_bytes(Path(SEARCH).read_bytes())
    monkeypatch.chdir(tmp_path)
    result = run("init", "--yes", "--from", "google.ics")
    assert result.code == 0, result.err
    assert load_config().sync.from_ == str(tmp_path / "google.ics")
    monkeypatch.chdir(config_dir)
    assert run("plan", "--now", "2026-12-01T08:00").code == 0


def test_init_refuses_a_calendar_file_that_is_not_there(config_dir: Path) -> None:
    result = run("init", "--yes", "--from", "no-such.ics")
    assert result.code == 2
    assert "there is no file 'no-such.ics'" in result.err
    assert not (config_dir / "config.toml").exists()


def test_a_missing_file_named_in_the_config_is_blamed_on_the_config_key(config_dir: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('[sync]\nfrom = "gone.ics"\n')
    result = run("plan", "--now", "2026-12-01T08:00")
    assert result.code == 2
    assert f"{config_dir / 'config.toml'}: [sync] from = 'gone.ics': there is no such file" in (
        result.err
    )


def test_check_and_serve_use_the_rules_the_config_names(config_dir: Path) -> None:
    run("init", "--yes", "--from", SEARCH, "--timezone", "America/New_York")
    checked = run("check")
    assert checked.code == 0, checked.err
    assert checked.out.startswith(f"{config_dir / 'rules.yaml'}: OK")
    assert "America/New_York" in checked.out
    served = run("serve", "--check", "--now", "2026-12-01T08:00")
    assert served.code == 0, served.err


def test_init_asks_for_the_sender_and_the_drafts_sign_with_it(config_dir: Path) -> None:
    result = run("init", "--yes", "--name", "Alex Doe", "--signature", "Alex Doe · +49 170 1234567")
    assert result.code == 0, result.err
    rules = config_dir / "rules.yaml"
    assert '\nsender:\n  name: "Alex Doe"\n  signature: "Alex Doe · +49 170 1234567"\n' in (
        rules.read_text(encoding="utf-8")
    )
    draft = run(
        "draft", "ACME", "thank-you", "--from", SEARCH, "--rules", str(rules),
        "--now", "2026-12-02T08:45",
    )  # fmt: skip
    assert draft.code == 0, draft.err
    assert draft.out.endswith("\nBest regards\nAlex Doe · +49 170 1234567\n")


def test_init_in_german_starts_from_the_german_policy(config_dir: Path) -> None:
    result = run("init", "--yes", "--language", "de", "--name", "Alex Doe")
    assert result.code == 0, result.err
    ruleset = load_rules(config_dir / "rules.yaml")
    assert ruleset.language == "de"
    assert ruleset.rule("thank-you").email is not None
    assert "Mit freundlichen Grüßen" in ruleset.rule("thank-you").email.body  # type: ignore[union-attr]


def test_init_refuses_a_language_the_policy_has_no_version_in(config_dir: Path) -> None:
    result = run("init", "--yes", "--language", "de", "--policy", "business-days")
    assert result.code == 2
    assert "there is no de version of the business-days policy" in result.err
    assert not (config_dir / "rules.yaml").exists()


@pytest.mark.parametrize(
    ("language", "closing", "name"),
    [
        ("fr", "Cordialement", "Politique par défaut (français)"),
        ("nl", "Met vriendelijke groet", "Standaardbeleid (Nederlands)"),
        ("es", "Un cordial saludo", "Política por defecto (español)"),
    ],
)
def test_init_offers_french_dutch_and_spanish_policies(
    config_dir: Path, language: str, closing: str, name: str
) -> None:
    result = run("init", "--yes", "--language", language, "--name", "Alex Doe")
    assert result.code == 0, result.err
    ruleset = load_rules(config_dir / "rules.yaml")
    assert (ruleset.language, ruleset.name) == (language, name)
    email = ruleset.rule("thank-you").email
    assert email is not None and closing in email.body and email.per_person
