"""A source of one's own, for tests/test_sources.py: ``memory://NAME`` reads a calendar kept
in this module. It is one class; the table in engine/sources/__init__.py gets one line."""

from __future__ import annotations

from followup.engine.model import Window
from followup.engine.sources import Calendars, Source

CALENDARS: dict[str, bytes] = {}
"""The calendars by name, as a test puts them."""


class Memory(Source):
    kind = "memory"

    @property
    def name(self) -> str:
        return self.spec.partition("://")[2]

    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        return Calendars(files=((self.spec, CALENDARS[self.name]),))

    def version(self) -> str | None:
        return str(hash(CALENDARS[self.name]))
