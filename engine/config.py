"""The config file: servers, calendars and sync defaults, in TOML, in the user's config folder.

A scheduled ``followup sync`` needs no arguments once the file names where
the interviews are and where the follow-ups go::

    [sync]
    from = "@interviews"
    to = "@followups"

    [servers.home]
    url = "https://dav.example.com/"
    username = "alice"
    password_command = "pass show dav.example.com"

    [calendars.interviews]
    server = "home"
    url = "/alice/calendar/"

    [calendars.followups]
    server = "home"
    name = "Job follow-ups"

    [links.work]
    url = "https://cloud.example.com/remote.php/dav/calendars/alice/work?export"
    username = "alice"
    password_command = "pass show cloud.example.com"

Passwords never go in the file, on the command line or in any message: they
come from an environment variable, a command (as vdirsyncer's and git's
credential helpers do), or the system keyring.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from followup.engine.errors import FollowupError, ServerError
from followup.engine.folders import config_dir as config_dir
from followup.engine.folders import config_named_by, config_problem
from followup.engine.folders import config_path as config_path

log = logging.getLogger("followup.files")

PASSWORD_ENV = "FOLLOWUP_PASSWORD"
KEYRING_SERVICE = "followup"
DEFAULT_TIMEOUT = 30.0
MAIL_DEADLINE = 120.0
"""Seconds a whole mail check may take, as a link's read."""
DEFAULT_TARGET_NAME = "Job follow-ups"

AuthScheme = Literal["auto", "basic", "digest", "bearer"]


class ConfigError(FollowupError):
    """A config file that cannot be read; names the file and the key."""

    exit_code = 2


class ServerConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(description="The server's CalDAV address, e.g. https://dav.example.com/.")
    username: str | None = Field(default=None, description="Your user name on the server.")
    password_env: str | None = Field(
        default=None,
        description=f"An environment variable holding the password ({PASSWORD_ENV} "
        "is read when nothing else is set).",
    )
    password_command: str | list[str] | None = Field(
        default=None, description="A command that prints the password, e.g. 'pass show dav'."
    )
    keyring: bool = Field(
        default=False,
        description=f"Read the password from the system keyring (service '{KEYRING_SERVICE}:HOST', "
        "the user name as account).",
    )
    auth: AuthScheme = Field(
        default="auto",
        description="How to send the password; 'basic' saves one request per run, 'auto' asks "
        "the server first.",
    )
    timeout: float = Field(
        default=DEFAULT_TIMEOUT, gt=0, description="Seconds to wait for the server."
    )
    verify: bool | str = Field(
        default=True, description="Check the server's TLS certificate (or a CA bundle path)."
    )


class CalendarConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    server: str | None = Field(default=None, description="A server from [servers].")
    url: str | None = Field(
        default=None, description="The calendar's URL, absolute or relative to the server's."
    )
    name: str | None = Field(
        default=None,
        description="The calendar's display name; for the follow-ups calendar it is created "
        "with this name when missing.",
    )


class SyncConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str | None = Field(default=None, alias="from", description="Where the interviews are.")
    to: str | None = Field(default=None, description="Where the follow-ups go.")
    rules: str | None = Field(default=None, description="Your rules file.")
    name: str = Field(
        default=DEFAULT_TARGET_NAME, description="The display name of the follow-ups calendar."
    )


class LinkConfig(BaseModel):
    """A calendar link (an .ics address): by name (``--from @name``), and the password of a
    private one. The link is a secret: kept here, it stays off the command line."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(description="The calendar's address: https://.../basic.ics or webcal://...")
    username: str | None = Field(
        default=None, description="Your user name, for a link that asks for a password."
    )
    password_env: str | None = Field(
        default=None, description="An environment variable holding the password."
    )
    password_command: str | list[str] | None = Field(
        default=None, description="A command that prints the password."
    )
    keyring: bool = Field(
        default=False,
        description=f"Read the password from the system keyring (service '{KEYRING_SERVICE}:HOST').",
    )


class MailConfig(BaseModel):
    """[mail]: where replies from recruiters arrive (IMAP over TLS, read-only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(description="The IMAP server, e.g. imap.gmail.com.")
    port: int = Field(default=993, ge=1, le=65535, description="IMAP over TLS: 993.")
    username: str = Field(description="Your user name there (often your address).")
    password_env: str | None = Field(
        default=None, description="An environment variable holding the password."
    )
    password_command: str | list[str] | None = Field(
        default=None, description="A command that prints the password, e.g. 'pass show mail'."
    )
    keyring: bool = Field(
        default=False,
        description=f"Read the password from the system keyring (service '{KEYRING_SERVICE}:HOST').",
    )
    oauth2_command: str | list[str] | None = Field(
        default=None,
        description="A command that prints an OAuth2 access token (Gmail, Outlook.com), sent "
        "with XOAUTH2 instead of a password.",
    )
    folders: list[str] = Field(
        default_factory=lambda: ["INBOX"], min_length=1, description="The folders to look in."
    )
    verify: bool = Field(default=True, description="Check the server's TLS certificate.")
    ca_file: str | None = Field(
        default=None, description="A CA bundle for a server with its own certificate authority."
    )
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, description="Seconds to wait.")
    deadline: float = Field(
        default=MAIL_DEADLINE,
        gt=0,
        le=3600,
        description="Seconds the whole mail check may take, every folder and command.",
    )
    authserv_id: str | None = Field(
        default=None,
        description="The name your mail provider signs its Authentication-Results with "
        "(e.g. mx.google.com): only its verdict on a sender is believed.",
    )
    check: bool = Field(
        default=False,
        description="Look for replies before every `followup sync` and while `followup serve` "
        "runs.",
    )


@dataclass(frozen=True)
class MailSettings:
    """[mail] with its secrets resolved, ready to connect."""

    host: str
    port: int
    username: str
    password: str | None
    oauth2_token: str | None
    folders: tuple[str, ...]
    verify: bool
    ca_file: str | None
    timeout: float
    deadline: float = MAIL_DEADLINE
    authserv_id: str | None = None


def mail_settings(config: Config) -> MailSettings | None:
    """The [mail] section with its password or token, or None when there is no [mail]."""
    mail = config.mail
    if mail is None:
        return None
    token = _run_password_command(mail.oauth2_command) if mail.oauth2_command else None
    password = None if token else _password(mail, mail.username, mail.host)
    if token is None and password is None:
        raise ConfigError(
            f"{config_path()}: [mail]: no password for {mail.username}",
            hint="set password_env, password_command, keyring or oauth2_command in [mail] "
            f"(or {PASSWORD_ENV}); see docs/mail.md",
        )
    return MailSettings(
        host=mail.host,
        port=mail.port,
        username=mail.username,
        password=password,
        oauth2_token=token,
        folders=tuple(mail.folders),
        verify=mail.verify,
        ca_file=mail.ca_file,
        timeout=mail.timeout,
        deadline=mail.deadline,
        authserv_id=mail.authserv_id,
    )


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sync: SyncConfig = Field(default_factory=SyncConfig)
    mail: MailConfig | None = Field(default=None, description="Where replies arrive.")
    servers: dict[str, ServerConfig] = Field(default_factory=dict)
    calendars: dict[str, CalendarConfig] = Field(default_factory=dict)
    links: dict[str, LinkConfig] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Everything needed to talk to one server; the password is never shown (see ``__repr__``)."""

    url: str
    username: str | None
    password: str | None
    auth: AuthScheme = "auto"
    timeout: float = DEFAULT_TIMEOUT
    verify: bool | str = True
    password_from: str | None = None
    """Where the password came from: ``env:NAME``, ``command`` or ``keyring`` (never the
    password itself)."""

    def __repr__(self) -> str:
        return f"Endpoint(url={self.url!r}, username={self.username!r}, password=***)"

    @property
    def key(self) -> tuple[str, str | None]:
        """Requests to the same origin as the same user share one session."""
        parts = urlsplit(self.url)
        return (f"{parts.scheme}://{parts.netloc}".lower(), self.username)


@dataclass(frozen=True, slots=True)
class CalendarRef:
    """A calendar to read or write: its server, and its URL or its display name."""

    endpoint: Endpoint
    url: str | None
    name: str | None

    @property
    def label(self) -> str:
        return self.url or repr(self.name)


def load_config(path: Path | None = None) -> Config:
    """The config file, or an empty config when there is none; one the user named
    (--config, $FOLLOWUP_CONFIG) must be there."""
    named = path is None and config_named_by() is not None
    path = path or config_path()
    problem = config_problem(path)  # its password_command would run as you
    if problem is not None:
        raise ConfigError(
            f"{path}: not read, as someone else could have written it: {problem}",
            hint="check the file; then make it and its folder yours alone "
            "(chmod 700 on the folder, 600 on the file)",
        )
    try:
        text = path.read_text(encoding="utf-8")
        log.info("config file: %s", path)
    except FileNotFoundError:
        if named:
            raise missing_config(path) from None
        log.info("config file: none at %s; using the defaults", path)
        return Config()
    except OSError as err:
        raise ConfigError(f"{path}: cannot read it ({err.strerror})") from None
    return parse_config(text, str(path))


def missing_config(path: Path) -> ConfigError:
    """The error for a config file the user named that is not there."""
    by = config_named_by() or "--config"
    return ConfigError(
        f"no config file at {path} (named by {by})",
        hint=f"fix the path, or write a config file there with: followup --config {path} init",
    )


def parse_config(text: str, name: str = "config.toml") -> Config:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{name}: {err}") from None
    except RecursionError:  # tomllib recurses once per level of [[[...]]] or {a = {b = ...}}
        raise ConfigError(f"{name}: arrays or tables nested too deeply") from None
    try:
        return Config.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{name}: {where}: {first['msg']}") from None


# -- credentials ---------------------------------------------------------------------------


def _password_from(server: ServerConfig | MailConfig | LinkConfig | None) -> str:
    """Where the password comes from: the configured variable, command or keyring; else
    $FOLLOWUP_PASSWORD."""
    if server is not None and server.password_env:
        return f"env:{server.password_env}"
    if server is not None and server.password_command:
        return "command"
    if server is not None and server.keyring:
        return "keyring"
    return f"env:{PASSWORD_ENV}"


def _password(
    server: ServerConfig | MailConfig | LinkConfig | None, username: str | None, host: str
) -> str | None:
    """The password, from where ``_password_from`` says."""
    source = _password_from(server)
    if source == "command" and server is not None and server.password_command:
        return _run_password_command(server.password_command)
    if source == "keyring":
        return _keyring_password(host, username)
    name = source.removeprefix("env:")
    if name == PASSWORD_ENV:
        return os.environ.get(PASSWORD_ENV) or None
    value = os.environ.get(name)
    if value is None:
        raise ServerError(f"the environment variable {name} is not set")
    return value


def _run_password_command(command: str | list[str]) -> str:
    import shlex
    import subprocess

    try:
        argv = shlex.split(command) if isinstance(command, str) else list(command)
    except ValueError as err:  # an unclosed quote
        raise ConfigError(f"{config_path()}: password_command cannot be read: {err}") from None
    if not argv or not argv[0].strip():
        raise ConfigError(
            f"{config_path()}: password_command is empty",
            hint='give the command that prints the password, e.g. "pass show dav.example.com"',
        )
    shown = argv[0]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=60, check=False)
    except FileNotFoundError:
        raise ServerError(f"the password command {shown!r} was not found") from None
    except subprocess.TimeoutExpired:
        raise ServerError(f"the password command {shown!r} did not finish in 60 s") from None
    except (OSError, ValueError) as err:  # a folder, a file that is not a program, a NUL
        reason = getattr(err, "strerror", None) or str(err)
        raise ConfigError(
            f"{config_path()}: the password command {shown!r} cannot be run ({reason})",
            hint="password_command must name a program that prints the password",
        ) from None
    if done.returncode != 0:
        raise ServerError(f"the password command {shown!r} failed (exit {done.returncode})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise ServerError(f"the password command {shown!r} printed nothing")
    return lines[0]


def _keyring_password(host: str, username: str | None) -> str:
    try:
        import keyring
    except ImportError:
        raise ServerError(
            "keyring = true needs the keyring package", hint="pip install keyring"
        ) from None
    service = f"{KEYRING_SERVICE}:{host}"
    value = keyring.get_password(service, username or "")
    if value is None:
        raise ServerError(
            f"no password in the keyring for {username or '(no user)'} at {service}",
            hint=f"keyring set {service} {username or 'USER'}",
        )
    return str(value)


# -- resolving --from/--to specs -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WebAddress:
    """A ``--from`` address as given (``text``), checked and split once: its http(s) form
    (``web``: webcal:// is http://), the address without its user name (``url``) and the
    user name in it. What follows takes these parts instead of reading the text again."""

    text: str
    web: str
    url: str
    username: str | None


def web_address(spec: str) -> WebAddress:
    """``spec`` as a ``WebAddress``; ConfigError, with the same words as everywhere, for an
    address that cannot be used (an unclosed IPv6 bracket, a bad port, a password in it)."""
    url, username = _split_userinfo(spec)
    return WebAddress(spec, web_url(spec), url, username)


def _split_userinfo(url: str) -> tuple[str, str | None]:
    """The URL without its user name, and the user name. A password in the URL is refused."""
    try:
        parts = urlsplit(url)
    except ValueError as err:  # e.g. an unclosed [ of an IPv6 address
        raise ConfigError(f"{url!r} is not a URL: {err}") from None
    if parts.password is not None:
        raise ConfigError(
            "the URL contains a password: passwords never go on the command line",
            hint=f"put it in {PASSWORD_ENV}, a password command or the keyring (docs/sync.md)",
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(
            f"{url}: the port is not a number from 1 to 65535",
            hint="check the URL, as your calendar app shows it",
        ) from None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    if port:
        netloc += f":{port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return clean, (unquote(parts.username) if parts.username else None)


def plain_text_warning(endpoint: Endpoint) -> str | None:
    """A warning when a password would cross the network unencrypted (http:// to another
    machine); loopback stays on this machine."""
    parts = urlsplit(endpoint.url)
    if parts.scheme != "http" or endpoint.password is None:
        return None
    host = parts.hostname or ""
    if host == "localhost" or _is_loopback(host):
        return None
    return (
        f"the password for {host} goes over plain http:// and can be read on the way; "
        "use https:// if the server offers it"
    )


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint(
    server: ServerConfig | None, url: str, username: str | None, timeout: float | None
) -> Endpoint:
    host = urlsplit(url).hostname or url
    user = username or (server.username if server else None)
    if user is not None and ":" in user:
        # HTTP authentication puts "user:password" together: a colon cannot be told apart.
        raise ConfigError(
            f"the user name {user!r} contains ':', which HTTP authentication cannot carry",
            hint="check the user name; in a URL, only https://NAME@server/ (no password)",
        )
    return Endpoint(
        url=url,
        username=user,
        password=_password(server, user, host),
        auth=server.auth if server else "auto",
        timeout=timeout or (server.timeout if server else DEFAULT_TIMEOUT),
        verify=server.verify if server else True,
        password_from=_password_from(server),
    )


def _server_for_url(config: Config, url: str) -> ServerConfig | None:
    """The configured server whose URL is the longest prefix of ``url``."""
    best: tuple[int, ServerConfig] | None = None
    for server in config.servers.values():
        base = server.url.rstrip("/")
        if (url == base or url.startswith(base + "/")) and (best is None or len(base) > best[0]):
            best = (len(base), server)
    return best[1] if best else None


def resolve_calendar(
    spec: str | WebAddress,
    config: Config,
    *,
    username: str | None = None,
    timeout: float | None = None,
) -> CalendarRef:
    """A ``--from``/``--to`` spec as a calendar: an http(s) URL (or its ``WebAddress``) or
    ``@name`` from the config."""
    if isinstance(spec, WebAddress):
        if not spec.text.startswith(("http://", "https://")):
            raise _not_a_calendar(spec.text)
        return _calendar_at(spec.url, spec.username, config, username, timeout)
    if spec.startswith("@"):
        key = spec[1:]
        entry = config.calendars.get(key)
        if entry is None:
            known = ", ".join("@" + k for k in sorted(config.calendars)) or "none"
            raise ConfigError(
                f"no calendar {spec} in {config_path()} (known: {known})",
                hint="add a [calendars.NAME] table with a server and a url or name",
            )
        server = config.servers.get(entry.server) if entry.server else None
        if entry.server and server is None:
            raise ConfigError(f"{config_path()}: calendars.{key}: no server {entry.server!r}")
        if entry.url is None and entry.name is None:
            raise ConfigError(f"{config_path()}: calendars.{key}: give a url or a name")
        base = server.url if server else None
        if entry.url and base:
            url: str | None = urljoin(base.rstrip("/") + "/", entry.url)
        elif entry.url:
            url = entry.url
        else:
            url = None
        if server is None and url is not None:
            server = _server_for_url(config, url)
        if server is None:
            raise ConfigError(f"{config_path()}: calendars.{key}: say which server (server = ...)")
        clean, in_url = _split_userinfo(url or server.url)
        return CalendarRef(
            endpoint=_endpoint(server, clean, username or in_url, timeout),
            url=clean if url else None,
            name=entry.name,
        )
    if spec.startswith(("http://", "https://")):
        clean, in_url = _split_userinfo(spec)
        return _calendar_at(clean, in_url, config, username, timeout)
    raise _not_a_calendar(spec)


def _calendar_at(
    clean: str, in_url: str | None, config: Config, username: str | None, timeout: float | None
) -> CalendarRef:
    """The calendar at an http(s) URL (without its user name, ``in_url``)."""
    server = _server_for_url(config, clean)
    return CalendarRef(
        endpoint=_endpoint(server, clean, username or in_url, timeout), url=clean, name=None
    )


def _not_a_calendar(spec: str) -> ConfigError:
    return ConfigError(
        f"{spec!r} is not a calendar: give an http(s):// URL or @NAME from {config_path()}"
    )


# -- calendar links ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkRef:
    """A calendar link and, for a private one, its user name and password (never shown)."""

    url: str
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:
        return f"LinkRef(url=***, username={self.username!r}, password=***)"


def link_entry(spec: str | WebAddress, config: Config) -> LinkConfig | None:
    """The [links] entry for ``@name``, or for a link address listed there: the one whose
    address ``within`` says holds the link, the longest if several do."""
    if isinstance(spec, WebAddress):
        url = spec.web
    elif spec.startswith("@"):
        return config.links.get(spec[1:])
    else:
        url = web_url(spec)
    best: tuple[int, LinkConfig] | None = None
    for entry in config.links.values():
        base = web_url(entry.url)
        if within(base, url) and (best is None or len(base) > best[0]):
            best = (len(base), entry)
    return best[1] if best else None


def web_url(spec: str) -> str:
    """The http(s) address of a link: webcal:// is http://, webcals:// is https://."""
    lowered = spec[:10].lower()
    if lowered.startswith("webcals://"):
        return "https://" + spec[10:]
    if lowered.startswith("webcal://"):
        return "http://" + spec[9:]
    return spec


def within(base: str, url: str) -> bool:
    """Whether ``url`` is at or below ``base``: the same scheme, host and port (the default
    one when none is given), and its path ``base``'s path or below it on a ``/``. A string
    prefix would give ``https://cloud.example.com``'s password to
    ``https://cloud.example.com.evil.net`` or to ``https://cloud.example.com:8443``."""
    try:
        mine, theirs = urlsplit(base), urlsplit(url)
        ports = (_port(mine.scheme, mine.port), _port(theirs.scheme, theirs.port))
    except ValueError:
        return False
    if mine.scheme.lower() != theirs.scheme.lower() or ports[0] != ports[1]:
        return False
    if not mine.hostname or (mine.hostname or "").lower() != (theirs.hostname or "").lower():
        return False
    if mine.query and (mine.path, mine.query) != (theirs.path, theirs.query):
        return False
    root = mine.path.rstrip("/")
    return theirs.path == root or theirs.path.startswith(root + "/") or not root


def _port(scheme: str, port: int | None) -> int | None:
    return port or {"http": 80, "https": 443}.get(scheme.lower())


def resolve_link(spec: str, config: Config) -> LinkRef:
    """A link given as an address or ``@name``, with the password its [links] entry names."""
    entry = link_entry(spec, config)
    if spec.startswith("@") and entry is None:
        raise ConfigError(f"no link {spec} in {config_path()}")
    url, in_url = _split_userinfo(web_url(entry.url if spec.startswith("@") and entry else spec))
    host = urlsplit(url).hostname or ""
    if entry is not None and entry.username is not None:
        return LinkRef(url, entry.username, _password(entry, entry.username, host))
    if in_url is not None:  # https://NAME@host/...: the password as for a CalDAV server
        return LinkRef(url, in_url, _password(None, in_url, host))
    return LinkRef(url)
