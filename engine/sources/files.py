"""A calendar file (an .ics, or a ZIP of them) and standard input."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from followup.engine.errors import SourceError
from followup.engine.sources import Calendars, Source

if TYPE_CHECKING:
    from followup.engine.model import Window

log = logging.getLogger("followup.files")


class File(Source):
    """A file on this machine, read whole (at most one byte past the reader's cap, which the
    reader then reports)."""

    kind = "file"

    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        from followup.engine.read.reader import MAX_BYTES

        path = Path(self.spec).expanduser()
        name = str(self.spec)
        try:
            if path.is_dir():
                raise SourceError(f"{name}: is a folder; give an .ics file")
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise SourceError(f"{name}: no such file") from None
        except PermissionError:
            raise SourceError(f"{name}: permission denied") from None
        except OSError as err:
            raise SourceError(f"{name}: cannot read it ({err.strerror})") from None
        log.info("calendar file: %s (%d bytes)", name, len(data))
        return Calendars(files=((name, data),))

    def version(self) -> str | None:
        """Its inode, size and modification time."""
        try:
            st = os.stat(Path(self.spec).expanduser())
        except OSError:
            return None
        return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


class Stdin(Source):
    """Standard input (``--from -``), read once."""

    kind = "stdin"

    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        from followup.engine.read.reader import MAX_BYTES

        return Calendars(files=(("<stdin>", sys.stdin.buffer.read(MAX_BYTES + 1)),))

    def version(self) -> str | None:
        return None
