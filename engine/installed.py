"""Which code is installed: stamps that change when followup or a library it uses is
upgraded or edited, found without importing anything.

A stamp is the path, size and modification time of each file: installing another
version, or editing a file, writes it anew. Caches keyed by a stamp (the compiled
templates, the quiet note of sync) are then read again from their sources.
"""

from __future__ import annotations

import importlib.util
import os


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
