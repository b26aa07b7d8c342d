"""Where interviews come from: an .ics file, a ZIP of them, standard input, a link, or CalDAV.

``--from`` takes a path, ``-`` for standard input, a link to an .ics file
(``webcal://`` or ``https://``, Google's secret address, say), an ``http(s)://``
URL of a CalDAV calendar, or ``@name`` for a calendar or link named in the
config file. A ZIP (Google's "Export") is read as all the calendars in it.

Telling a link from a CalDAV calendar: ``webcal://``, an address ending in
.ics or .zip, an export address (``?export``), one listed under [links] in
the config file, or one read as a file before is a link. Any other http(s)
address is asked as CalDAV first, as before; if it does not answer as DAV,
one GET decides: a calendar file (text/calendar, or BEGIN:VCALENDAR) is read
as a link, anything else is one message naming what both answers were.
The CalDAV and HTTP stacks are imported only when a source needs them.

``parse`` reads the ``--from`` value once into a ``Source``: its kind, how it is
shown, and the settings it needs (resolved from the config on first use). Each
kind is one class in one module, named in ``KINDS`` and imported when a
``--from`` names it (``kind://...`` for a kind of one's own): adding a source is
one module and one line there. ``engine.pipeline`` turns what a source read into
interviews.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from followup.engine.config import Config, WebAddress
    from followup.engine.model import Window

KINDS: dict[str, str] = {
    "stdin": "followup.engine.sources.files:Stdin",
    "file": "followup.engine.sources.files:File",
    "link": "followup.engine.sources.link:Link",
    "caldav": "followup.engine.sources.dav:CalDAV",
}
"""Each kind of source and the class that reads it ("module:Class"), imported on first use."""

WEB = ("http", "https", "webcal", "webcals")
"""Schemes that name a link or a CalDAV calendar (which one: see the module's docstring)."""

_BUILT_IN = frozenset({"stdin", "file", "link", "caldav"})
"""Kinds told apart by the address itself; any other kind is named by its scheme (``kind://``)."""


@dataclass(frozen=True, slots=True)
class Calendars:
    """What a source read: whole calendar files (name, bytes; a ZIP is unpacked by the
    pipeline), or CalDAV objects (href, one VCALENDAR each)."""

    files: tuple[tuple[str, bytes], ...] = ()
    objects: tuple[tuple[str, bytes], ...] | None = None


class Source(ABC):
    """Where interviews come from, as ``--from`` named it, parsed once."""

    kind: ClassVar[str]

    def __init__(self, spec: str, config: Config | None = None) -> None:
        self.spec = spec
        self.config = config
        self.address: WebAddress | None = None
        """A link's or a CalDAV calendar's address as ``parse`` checked and split it (None
        for ``@name`` and for the other kinds)."""

    @property
    def shown(self) -> str:
        """The source as it may be printed (a secret link is masked)."""
        return self.spec

    @abstractmethod
    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        """The calendars within ``window``. ``fresh_for``: seconds a copy this process just
        checked with a server is used without asking again."""

    @abstractmethod
    def version(self) -> str | None:
        """A cheap token that changes when the source changes; None when there is none."""

    def settings(self) -> Config:
        """The config file's settings (read once, when first needed)."""
        if self.config is None:
            from followup.engine.config import load_config

            self.config = load_config()
        return self.config


def reach(spec: str) -> Literal["stdin", "file", "remote"]:
    """Where ``spec`` is, without the config or the network: standard input, a path, or a
    remote source (``scheme://...`` or ``@name``)."""
    if spec == "-":
        return "stdin"
    scheme, sep, _ = spec.partition("://")
    scheme = scheme.lower()
    if spec.startswith("@") or (sep and (scheme in WEB or scheme in KINDS.keys() - _BUILT_IN)):
        return "remote"
    return "file"


def parse(spec: str, config: Config | None = None) -> Source:
    """The source ``spec`` names (see the module's docstring), without asking a server.

    ``config``: the config file's settings (default: the file in the config folder)."""
    where = reach(spec)
    if where != "remote":
        return _make(where, spec, config)
    scheme = spec.partition("://")[0].lower()
    if not spec.startswith("@") and scheme not in WEB:
        return _make(scheme, spec, config)
    from followup.engine.config import link_entry, load_config, web_address
    from followup.engine.sources.link import is_link_url, known_link

    # An address is checked and split here, once (an unclosed [ or a bad port: one message,
    # before anything else); what follows takes its parts.
    address = None if spec.startswith("@") else web_address(spec)
    if address is not None and (is_link_url(spec) or known_link(address)):
        return _make("link", spec, config, address)
    config = config if config is not None else load_config()
    kind = "link" if link_entry(address or spec, config) is not None else "caldav"
    return _make(kind, spec, config, address)


def _make(kind: str, spec: str, config: Config | None, address: WebAddress | None = None) -> Source:
    module, _, name = KINDS[kind].partition(":")
    made: Source = getattr(importlib.import_module(module), name)(spec, config)
    made.address = address
    return made


def source_kind(spec: str, config: Config | None = None) -> str:
    """What ``spec`` names: "stdin", "file", "link", "caldav" (or a kind of ``KINDS``)."""
    return parse(spec, config).kind


def source_version(spec: str) -> str | None:
    """A cheap token that changes when the source changes (see ``Source.version``).

    A file: its inode, size and modification time. A link: a digest of the
    calendar's bytes, after one conditional GET (304 when unchanged). A CalDAV
    calendar: its sync token, one PROPFIND (None when the server keeps none,
    or has no calendar by that name). Raises ServerError when the server
    cannot be reached. Standard input has none.
    """
    return parse(spec).version()
