"""Where followup keeps the user's files (config, recorded data, sync state and caches),
and reading and writing the files it keeps there.

On a shared machine another user may reach a folder on the way (a cache under a
world-writable /tmp, say) and plant a link or a file of their own where followup
writes or reads. So followup's own folders are created 0700 and checked before a
file in them is read or written: every folder from the followup folder down is a
real folder (no symbolic link), owned by the user, that nobody else may write;
every folder above it belongs to the user or root, is no link made by anyone
else, and is not writable by others (unless sticky, as /tmp is). Each file is
opened with O_NOFOLLOW and checked after opening (a regular file, the user's,
not writable by others); a write goes to a new file that is renamed into place,
so a link planted at the name is replaced, never written through. A file that
fails is ignored with a warning (and written anew); a folder that fails is not
used.

Each folder is ``$FOLLOWUP_<KIND>_DIR`` when set, else the platform's folder for
followup (platformdirs). Apart from engine.config (which re-exports the config
names) so that a command can tell whether there is a config file at all without
building the config's models.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from followup.engine.errors import WriteError

Kind = Literal["config", "data", "state", "cache"]
KINDS: tuple[Kind, ...] = ("config", "data", "state", "cache")

_warned: set[str] = set()


class UnsafeFolder(WriteError):
    """One of followup's folders, or one on its way, could be changed by someone else."""


def user_folder(kind: Kind) -> Path:
    explicit = os.environ.get(f"FOLLOWUP_{kind.upper()}_DIR")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir("followup", appauthor=False))
    found: Path = getattr(platformdirs, f"user_{kind}_path")("followup")
    return found


def state_dir() -> Path:
    """Where sync keeps what it wrote and the mail check its checkpoints."""
    return user_folder("state")


def cache_dir() -> Path:
    """Where copies (links, calendars, compiled rules) are kept: safe to delete."""
    return user_folder("cache")


def config_dir() -> Path:
    return user_folder("config")


_chosen_config: Path | None = None


def choose_config(path: Path | None) -> None:
    """Use ``path`` as the config file for the rest of the run (``--config``); None: the
    one $FOLLOWUP_CONFIG names, else config.toml in the config folder."""
    global _chosen_config
    _chosen_config = path


def chosen_config() -> Path | None:
    """The config file the user named (--config, else $FOLLOWUP_CONFIG), or None."""
    if _chosen_config is not None:
        return _chosen_config
    named = os.environ.get("FOLLOWUP_CONFIG")
    return Path(named).expanduser() if named else None


def config_path() -> Path:
    return chosen_config() or config_dir() / "config.toml"


def config_named_by() -> str | None:
    """What named the config file: "--config", "$FOLLOWUP_CONFIG", or None (the default)."""
    if _chosen_config is not None:
        return "--config"
    return "$FOLLOWUP_CONFIG" if os.environ.get("FOLLOWUP_CONFIG") else None


def warn_once(message: str) -> None:
    """A warning on standard error, once a process (a long ``serve`` does not repeat it)."""
    if message not in _warned:
        _warned.add(message)
        import logging  # only when there is something to say

        logging.getLogger("followup.folders").warning("warning: %s", message)


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1


def _root_of(path: Path) -> Path:
    """The followup folder ``path`` is in (the cache, state, data or config folder)."""
    absolute = Path(os.path.abspath(path))
    for kind in KINDS:
        root = Path(os.path.abspath(user_folder(kind)))
        if absolute == root or root in absolute.parents:
            return root
    return absolute.parent


def _unsafe_above(folder: Path) -> str | None:
    """Why a folder above followup's own could be swapped by another user, or None."""
    uid = _uid()
    lexical = Path(os.path.abspath(folder))
    for part in [*reversed(lexical.parents), lexical]:
        try:
            info = os.lstat(part)
        except FileNotFoundError:
            return None  # made below by followup, and checked then
        if stat.S_ISLNK(info.st_mode) and info.st_uid not in (0, uid):
            return f"{part} is a symbolic link made by another user"
    real = Path(os.path.realpath(lexical))
    for part in [*reversed(real.parents), real]:
        try:
            info = os.lstat(part)
        except FileNotFoundError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return f"{part} is not a folder"
        if info.st_uid not in (0, uid):
            return f"{part} belongs to another user"
        sticky = info.st_mode & stat.S_ISVTX
        if info.st_mode & 0o002 and not sticky:
            return f"anyone may change {part}"
        if info.st_mode & 0o020 and not sticky and info.st_gid != os.getgid():
            return f"others in its group may change {part}"
    return None


def _own(folder: Path, *, create: bool) -> str | None:
    """Make ``folder`` (0700) if asked and check it is followup's own; why not, or None."""
    uid = _uid()
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            with contextlib.suppress(FileExistsError):  # made by another run a moment ago
                os.mkdir(folder, 0o700)
            info = os.lstat(folder)
        except OSError as err:
            return f"{folder} cannot be made ({err.strerror or err})"
    if stat.S_ISLNK(info.st_mode):
        return f"{folder} is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder"
    if uid >= 0 and info.st_uid != uid:
        return f"{folder} belongs to another user"
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700, follow_symlinks=False)
        except OSError:
            return f"others may open {folder}"
    return None


def checked_folder(folder: Path, *, create: bool = True) -> Path:
    """``folder``, inside one of followup's folders, made and checked from the top down.
    Raises UnsafeFolder (with a warning) when someone else could change it."""
    root = _root_of(folder)
    absolute = Path(os.path.abspath(folder))
    reason = _unsafe_above(root.parent)
    if reason is None and create:
        try:
            root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            reason = f"{root.parent} cannot be made ({err.strerror or err})"
    below = [p for p in reversed(absolute.parents) if root in p.parents]
    chain = [root, *below, *([absolute] if absolute != root else [])]
    for part in chain:
        if reason is not None:
            break
        reason = _own(part, create=create)
    if reason is not None:
        warn_once(f"not using {root}: {reason}; remove it, or set the folder elsewhere")
        raise UnsafeFolder(
            f"cannot use {root}: {reason}",
            hint="remove what is in the way, or point FOLLOWUP_*_DIR at a folder of your own",
        )
    return absolute


def read_own(path: Path, *, limit: int | None = None) -> bytes | None:
    """The bytes of a file followup keeps, or None when there is none to trust: missing,
    unreadable, over ``limit`` bytes, in a folder someone else could change, or not a
    regular file of the user's that only the user may write (a planted one is warned
    about, and written anew by the next store)."""
    try:
        checked_folder(path.parent, create=False)
    except UnsafeFolder:
        return None
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except FileNotFoundError:
        return None
    except OSError:
        if os.path.islink(path):  # O_NOFOLLOW refused it
            warn_once(f"ignoring {path}: it is a symbolic link; followup writes it anew")
        return None
    try:
        info = os.fstat(fd)
        reason = None
        if not stat.S_ISREG(info.st_mode):
            reason = "it is not a file"
        elif _uid() >= 0 and info.st_uid != _uid():
            reason = "it belongs to another user"
        elif info.st_mode & 0o022:
            reason = "others may write it"
        if reason is not None:
            warn_once(f"ignoring {path}: {reason}; followup writes it anew")
            return None
        if limit is not None and info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as file:
            return file.read() if limit is None else file.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def write_own(path: Path, data: bytes) -> None:
    """Write a file followup keeps (mode 0600): a new file beside it, renamed over it, so
    whatever is at the name (a link, someone else's file) is replaced, never written
    through. Raises UnsafeFolder or WriteError."""
    folder = checked_folder(path.parent)
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise WriteError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write {path}: {err.strerror or err}") from None


def read_json_object(
    path: Path, *, limit: int | None = None, on_damage: Callable[[], None] | None = None
) -> dict[str, Any] | None:
    """A JSON object kept in one of followup's folders, or None when there is none to read:
    missing, unreadable or not to be trusted (see ``read_own``), over ``limit`` bytes, not
    JSON (nested too deep counts) or not an object. ``on_damage`` is called for a file that
    is there but is not a JSON object."""
    raw = read_own(path, limit=limit)
    if raw is None or (limit is not None and len(raw) > limit):
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        if on_damage is not None:
            on_damage()
        return None
    return data


# -- files the user keeps in followup's folders (marks, answers) -----------------------------


def _kept_in_own_folder(path: Path, kind: Kind = "data") -> bool:
    """Is ``path`` a file in followup's ``kind`` folder (the data folder: the marks and
    answers; the config folder: config.toml)?"""
    root = Path(os.path.abspath(user_folder(kind)))
    return Path(os.path.abspath(path)).parent == root


def _record_problem(path: Path) -> str | None:
    """Why the file at ``path`` is not the user's to trust, or None (also when missing).

    A link the user made is followed (a marks file kept in another folder of theirs), as
    ``>`` in a shell does; one made by someone else is not, and what it leads to must be a
    regular file of the user's that nobody else may write."""
    uid = _uid()
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode) and uid >= 0 and info.st_uid != uid:
        return "it is a symbolic link made by another user"
    try:
        info = os.stat(path)
    except OSError:
        return None  # a link to nothing yet: written at its end, as before
    if not stat.S_ISREG(info.st_mode):
        return "it is not a file"
    if uid >= 0 and info.st_uid != uid:
        return "it belongs to another user"
    if _others_may_write(info):
        return "others may write it"
    return None


def _others_may_write(info: os.stat_result) -> bool:
    """Anyone may write it, or a group other than the user's own (as for the folders
    above followup's: a umask of 002 with a group of one's own is no one else's)."""
    return bool(info.st_mode & 0o002 or (info.st_mode & 0o020 and info.st_gid != os.getgid()))


def read_record(path: Path) -> bytes | None:
    """The bytes of a file the user keeps in followup's data folder (marks, answers), or
    None when there is none to trust: missing, or planted (a link someone else made, a file
    of theirs, one others may write: warned about, and written anew by the next record).
    The folder is checked as every followup folder is (UnsafeFolder when it fails); a path
    elsewhere (given by the caller) is read as it is. Raises OSError when it cannot be read."""
    if not _kept_in_own_folder(path):
        return path.read_bytes()
    try:
        os.lstat(path.parent)
    except FileNotFoundError:
        return None
    checked_folder(path.parent, create=False)
    reason = _record_problem(path)
    if reason is not None:
        warn_once(f"ignoring {path}: {reason}; followup writes it anew")
        return None
    return path.read_bytes()


def write_record(path: Path, data: bytes) -> None:
    """Write a file the user keeps in followup's data folder: through a link the user made,
    as ``>`` does; anything planted at its name is replaced by a new file of the user's,
    never written through. A path elsewhere is written as it is (``write_atomic``)."""
    from followup.engine.atomic import write_atomic

    if _kept_in_own_folder(path):
        checked_folder(path.parent)
        if _record_problem(path) is not None:
            write_own(path, data)
            return
    write_atomic(path, data)


def check_record_folder(path: Path) -> None:
    """Make and check the data folder before a record file in it is locked and written
    (UnsafeFolder when someone else could change it); nothing for a path elsewhere."""
    if _kept_in_own_folder(path):
        checked_folder(path.parent)


def config_problem(path: Path) -> str | None:
    """Why the config file at ``path`` could be someone else's, or None: in followup's
    config folder, the folders on the way must be no one else's to change (as for the other
    folders, but nothing is changed here), the folder yours and closed to others' writes,
    and the file yours (a link only if you made it) and only yours to write. A config file
    names the command that gives your password: one planted by another user would run as
    you. A path given with --config, or elsewhere, is the caller's to vouch for."""
    if not _kept_in_own_folder(path, "config"):
        return None
    folder = Path(os.path.abspath(path.parent))
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    reason = _unsafe_above(folder.parent)
    if reason is None and stat.S_ISLNK(info.st_mode) and _uid() >= 0 and info.st_uid != _uid():
        reason = f"{folder} is a symbolic link made by another user"
    if reason is None:
        try:
            info = os.stat(folder)
        except OSError:
            return None
        if _uid() >= 0 and info.st_uid != _uid():
            reason = f"{folder} belongs to another user"
        elif _others_may_write(info):
            reason = f"others may change {folder}"
    return reason or _record_problem(path)
