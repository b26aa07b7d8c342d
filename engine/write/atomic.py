"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from engine.errors import UnsafeChange


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The temporary file is fsynced before the rename so a crash leaves either
    the old content or the new one. An existing file keeps its permissions
    unless ``mode`` is given.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_new(path: str | os.PathLike[str], data: bytes, *, replace: bool = False) -> None:
    """Write a file into a folder that exists; an existing file only when ``replace`` says so.

    Without ``replace`` the file is created with O_EXCL, so nothing that is
    already there (a file, a link, a device) is ever written over, even one
    made a moment ago. Folders are never created.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise UnsafeChange(
            f"{target.parent} is not a folder that exists; followup does not create folders",
            hint="make the folder first, or write somewhere else",
        )
    if replace:
        write_atomic(target, data)
        return
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        raise UnsafeChange(
            f"{target} exists; it is not replaced", hint="add --force to replace it"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        raise
