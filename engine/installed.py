"""Which code is installed: stamps that change when followup or a library it uses is
upgraded or edited, found without importing anything.

A stamp is the path, size and modification time of each file: installing another
version, or editing a file, writes it anew. ``code_stamp`` is the one stamp of the
code a plan depends on; everything that decides "nothing changed" keys on it (the
compiled rules, sync's fingerprints and quiet stamp, the quiet note), so an upgrade
of followup or of a library it plans with is never taken for no change.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os

PACKAGES = ("followup.cli", "followup.engine", "followup.rules")
"""followup's code: a change to any file in these folders is a change of inputs."""
LIBRARIES = (
    "icalendar", "recurring_ical_events", "x_wr_timezone", "dateutil", "dateparser", "holidays",
    "jinja2", "pydantic", "caldav", "tzdata",
)  # fmt: skip
"""Libraries whose upgrade can change a plan or what is written (new holidays, another
reading of a recurrence, another serialisation): their top-level files are watched."""


def code_stamp() -> str:
    """The code that reads, plans and writes: every file of followup and the top-level files
    of the libraries above, digested. Stats about a hundred and fifty files, imports none."""
    digest = hashlib.sha256()
    for part in (*(package_stamp(n, deep=True) for n in PACKAGES), *map(package_stamp, LIBRARIES)):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\x00")
    return digest.hexdigest()


def package_stamp(name: str, *, deep: bool = False) -> str:
    """The stamp of an installed package or module ``name``: its top-level files, or with
    ``deep`` every file below it (``__pycache__`` and bytecode left out)."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        return f"{name} -"
    folders = list(spec.submodule_search_locations or [])
    if not folders:  # a module of one file
        return _stamp(spec.origin) if spec.origin else f"{name} -"
    lines: list[str] = []
    for top in folders:
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__") if deep else []
            lines += [
                _stamp(os.path.join(folder, n)) for n in sorted(names) if not n.endswith(".pyc")
            ]
    return "\n".join(lines)


def _stamp(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return f"{path} -"
    return f"{path} {info.st_size} {info.st_mtime_ns}"


def installed_version(name: str) -> str:
    """The Version line of ``name``'s installed metadata, "unknown" if it is not installed.

    The ``<name>-<version>.dist-info`` folders on ``sys.path`` are looked for as
    ``importlib.metadata.distribution`` looks for them, without importing it (and the
    email parser it reads METADATA with: a fifth of a plan's start on the example).
    """
    import sys

    wanted = _normalized(name)
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for found in names:
            stem, dot, suffix = found.rpartition(".")
            if not dot or suffix not in ("dist-info", "egg-info"):
                continue
            if _normalized(stem.partition("-")[0]) != wanted:
                continue
            folder = os.path.join(entry or ".", found)
            for file in ("METADATA", "PKG-INFO"):
                version = _version_line(os.path.join(folder, file))
                if version is not None:
                    return version
    return "unknown"


def _normalized(name: str) -> str:
    """A distribution's name as the packaging standards compare them (PEP 503)."""
    out = name.casefold()
    for mark in "-.":
        out = out.replace(mark, "_")
    return out


def _version_line(path: str) -> str | None:
    """The Version header of a metadata file (the headers end at the first empty line)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            text = file.read(64_000)
    except OSError:
        return None
    lines = text.splitlines()
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        if not line:
            break
        key, colon, value = line.partition(":")
        if colon and key.strip().casefold() == "version" and not after[:1].isspace():
            return value.strip()
    return None
