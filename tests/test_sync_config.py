"""The config file and credentials: where servers and calendars are, where passwords come from."""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from followup.engine.config import ConfigError, load_config, parse_config, resolve_calendar
from followup.engine.errors import ServerError

CONFIG = """
[sync]
from = "@work"
to = "@followups"

[servers.home]
url = "https://dav.example.com/dav/"
username = "alice"
password_env = "HOME_DAV_PASSWORD"
auth = "basic"
timeout = 12

[calendars.work]
server = "home"
url = "alice/work/"

[calendars.followups]
server = "home"
name = "Job follow-ups"
"""


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in memory: a real backend, for a test machine without one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


def test_a_calendar_named_in_the_config_file_has_its_server_and_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME_DAV_PASSWORD", "s3cret")
    config = parse_config(CONFIG)

    work = resolve_calendar("@work", config)
    followups = resolve_calendar("@followups", config)

    assert work.url == "https://dav.example.com/dav/alice/work/"
    assert (work.endpoint.username, work.endpoint.password) == ("alice", "s3cret")
    assert (work.endpoint.auth, work.endpoint.timeout) == ("basic", 12)
    assert followups.url is None and followups.name == "Job follow-ups"
    assert config.sync.from_ == "@work" and config.sync.to == "@followups"


def test_a_url_under_a_configured_server_uses_that_servers_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME_DAV_PASSWORD", "s3cret")
    ref = resolve_calendar("https://dav.example.com/dav/alice/other/", parse_config(CONFIG))
    assert ref.endpoint.password == "s3cret" and ref.endpoint.username == "alice"


def test_the_password_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME_DAV_PASSWORD", "s3cret")
    endpoint = resolve_calendar("@work", parse_config(CONFIG)).endpoint
    assert "s3cret" not in repr(endpoint) and "s3cret" not in str(endpoint)


def test_a_password_command_is_run_and_its_first_line_used() -> None:
    script = "print('from-command'); print('ignored')"
    line = f'password_command = ["{sys.executable}", "-c", "{script}"]'
    config = parse_config(CONFIG.replace('password_env = "HOME_DAV_PASSWORD"', line))
    assert resolve_calendar("@work", config).endpoint.password == "from-command"


def test_a_failing_password_command_says_which_without_its_arguments() -> None:
    text = CONFIG.replace(
        'password_env = "HOME_DAV_PASSWORD"', 'password_command = "false --secret-arg"'
    )
    with pytest.raises(ServerError, match=r"the password command 'false' failed") as err:
        resolve_calendar("@work", parse_config(text))
    assert "secret-arg" not in err.value.message


def test_the_keyring_is_asked_for_the_server_and_user() -> None:
    backend = MemoryKeyring()
    backend.set_password("followup:dav.example.com", "alice", "from-keyring")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        text = CONFIG.replace('password_env = "HOME_DAV_PASSWORD"', "keyring = true")
        assert resolve_calendar("@work", parse_config(text)).endpoint.password == "from-keyring"
        backend.delete_password("followup:dav.example.com", "alice")
        with pytest.raises(ServerError, match="no password in the keyring for alice at followup:"):
            resolve_calendar("@work", parse_config(text))
    finally:
        keyring.set_keyring(previous)


def test_without_a_config_the_password_comes_from_followup_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOLLOWUP_PASSWORD", "from-env")
    ref = resolve_calendar("https://bob@cal.example.org/bob/work/", parse_config(""))
    assert (ref.endpoint.username, ref.endpoint.password) == ("bob", "from-env")
    assert ref.url == "https://cal.example.org/bob/work/"


def test_a_password_in_a_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="passwords never go on the command line"):
        resolve_calendar("https://bob:hunter2@cal.example.org/bob/", parse_config(""))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[servers.home]\nurl = 1\n", "servers.home.url"),
        ("[servers.home]\nurl = 'x'\npasword = 'typo'\n", "servers.home.pasword"),
        ("[sync\n", "config.toml"),
    ],
)
def test_a_broken_config_file_names_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(text)


def test_an_unknown_calendar_name_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="known: @followups, @work"):
        resolve_calendar("@wrok", parse_config(CONFIG))


def test_the_config_file_is_read_from_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    assert load_config(path).servers["home"].username == "alice"
    assert load_config(tmp_path / "missing.toml").servers == {}
