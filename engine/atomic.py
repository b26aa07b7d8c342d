"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Every file followup writes goes through ``write_atomic``: the calendar of
``-o``, drafts, the marks file, sync state, the feed token, ``init``'s files.
What it does with what is already at the path is decided here, once:

- a regular file (or nothing): a temporary file in the same folder, fsynced,
  then renamed over it, so a crash leaves the old content or the new one;
- a symbolic link: the file it points to is replaced the same way and the
  link is kept, as ``>`` in a shell does (a link to a link is followed to
  the end; a loop is refused);
- a FIFO or a character device (``/dev/null``, ``/dev/tty``) and the
  standard streams (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``):
  written through, never replaced by a regular file. A FIFO that nobody
  reads is refused rather than waited on;
- a folder, a block device (a disk) or a socket: refused.

Anything the system refuses (a missing or read-only folder, a full disk) is
one ``WriteError`` naming the path, never a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from followup.engine.errors import Busy, UnsafeChange, WriteError

try:  # POSIX
    import fcntl
except ImportError:  # Windows, and systems with neither
    fcntl = None  # type: ignore[assignment]
try:  # Windows
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]


class LockTimeout(Busy):
    """Another followup process held a lock for longer than we wait."""


# Paths that name an already open stream of this process: written through, appending.
STREAM_PREFIXES = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFBLK: "a disk device",
    stat.S_IFSOCK: "a socket",
}


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    mode: int | None = None,
    make_folders: bool = True,
) -> None:
    """Write ``data`` to ``path``: atomically for files, through for FIFOs and devices.

    An existing file keeps its permissions unless ``mode`` is given. With
    ``make_folders`` (the default, for followup's own state) missing folders
    are created; without it (a path the user typed) a missing folder is an
    error, so a typo does not scatter folders about.
    """
    given = Path(path)
    try:
        info: os.stat_result | None = os.stat(given)  # follows links
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise _failure(given, err) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode))
        if kind is not None:
            raise WriteError(f"cannot write to {given}: it is {kind}, not a file")
        _write_through(given, data, info)
        return
    if info is not None and str(os.path.abspath(given)).startswith(STREAM_PREFIXES):
        _write_through(given, data, info)  # e.g. -o /dev/stdout with stdout sent to a file
        return
    _replace(_final_target(given), data, mode=mode, make_folders=make_folders, given=given)


def _final_target(given: Path) -> Path:
    """Where a write to ``given`` lands: the end of its chain of symbolic links."""
    if not given.is_symlink():
        return given
    final = Path(os.path.realpath(given))
    if final.is_symlink():
        raise WriteError(f"cannot write to {given}: its symbolic links form a loop")
    return final


def _write_through(given: Path, data: bytes, info: os.stat_result) -> None:
    """Write into what is already there (a FIFO, a device, an open stream): no rename."""
    flags = os.O_WRONLY
    if stat.S_ISFIFO(info.st_mode):
        flags |= os.O_NONBLOCK  # opening a FIFO nobody reads would wait for ever
    elif stat.S_ISREG(info.st_mode):
        flags |= os.O_APPEND  # a stream the shell opened: keep what it holds
    try:
        fd = os.open(given, flags)
    except OSError as err:
        if err.errno == errno.ENXIO:
            raise WriteError(
                f"cannot write to {given}: no program is reading from that pipe"
            ) from None
        raise _failure(given, err) from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as err:
        raise _failure(given, err) from None
    finally:
        os.close(fd)


def _replace(
    target: Path, data: bytes, *, mode: int | None, make_folders: bool, given: Path
) -> None:
    """Write through a temporary file in the same folder, fsynced, then renamed over ``target``."""
    folder = target.parent
    try:
        if make_folders:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise WriteError(
                f"cannot write to {given}: the folder {folder} does not exist",
                hint="create it first, or give a path in an existing folder",
            )
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise _failure(given, err) from None
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
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _failure(given, err) from None
        raise


def _failure(given: Path, err: OSError) -> WriteError:
    reason = err.strerror or str(err)
    where = f" ({err.filename})" if err.filename and str(err.filename) != str(given) else ""
    hint = None
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose a folder you can write to"
    return WriteError(f"cannot write to {given}: {reason.lower()}{where}", hint=hint)


@contextlib.contextmanager
def locked(path: Path, *, wait: float = 10.0, what: str = "the file") -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a lock file beside the data) for a read-modify-write.

    Waits at most ``wait`` seconds for another followup process to finish, then
    gives up with a message rather than hang. The lock is the system's own:
    ``flock`` on POSIX, ``msvcrt.locking`` on Windows, released when the block
    ends or the process dies, so it never goes stale. Where the system has
    neither, a file made with O_EXCL beside it stands in (``_held``).
    """
    if fcntl is None and msvcrt is None:
        with _held(path.with_name(path.name + ".held"), wait=wait, what=what):
            yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # never through a link planted at the lock's name (it would make or open any file)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as err:
        raise _failure(path, err) from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise _timeout(path, wait, what)
            time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    """Take the system's exclusive lock on ``fd`` without waiting; False if another holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # the first byte; beyond the end of an empty file is allowed
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as err:  # BlockingIOError on POSIX, EACCES/EDEADLOCK on Windows
        if isinstance(err, BlockingIOError) or err.errno in (errno.EACCES, errno.EDEADLOCK):
            return False
        raise
    return True


@contextlib.contextmanager
def _held(marker: Path, *, wait: float, what: str) -> Iterator[None]:
    """A lock for systems without flock or msvcrt: ``marker`` exists while it is held.

    Made with O_EXCL, so only one process can make it; removed when the block
    ends. A process killed while holding it leaves it behind: the timeout's
    hint names the file to delete.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise _timeout(marker, wait, what) from None
            time.sleep(0.02)
        except OSError as err:
            raise _failure(marker, err) from None
    try:
        try:
            os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for a person looking
        finally:
            os.close(fd)
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(marker)


def _timeout(path: Path, wait: float, what: str) -> LockTimeout:
    return LockTimeout(
        f"another followup is still writing {what} after {wait:g} s; nothing was changed",
        hint=f"try again; if nothing else is running, delete {path}",
    )


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
        write_atomic(target, data, make_folders=False)
        return
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        raise UnsafeChange(
            f"{target} exists; it is not replaced", hint="add --force to replace it"
        ) from None
    except OSError as err:
        raise _failure(target, err) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        if isinstance(err, OSError):
            raise _failure(target, err) from None
        raise
