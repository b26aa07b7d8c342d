"""Where followup keeps the user's files (config, recorded data, sync state and caches),
and reading the JSON files it keeps there.

Each folder is ``$FOLLOWUP_<KIND>_DIR`` when set, else the platform's folder for
followup (platformdirs). Apart from engine.config (which re-exports the config
names) so that a command can tell whether there is a config file at all without
building the config's models.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

Kind = Literal["config", "data", "state", "cache"]


def user_folder(kind: Kind) -> Path:
    explicit = os.environ.get(f"FOLLOWUP_{kind.upper()}_DIR")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir("followup", appauthor=False))
    found: Path = getattr(platformdirs, f"user_{kind}_path")("followup")
    return found


def config_dir() -> Path:
    return user_folder("config")


def config_path() -> Path:
    return config_dir() / "config.toml"


def read_json_object(
    path: Path, *, limit: int | None = None, on_damage: Callable[[], None] | None = None
) -> dict[str, Any] | None:
    """A JSON object kept in one of followup's folders, or None when there is none to read:
    missing or unreadable, over ``limit`` bytes, not JSON (nested too deep counts) or not an
    object. ``on_damage`` is called for a file that is there but is not a JSON object."""
    try:
        if limit is not None and path.stat().st_size > limit:
            return None
        raw = path.read_bytes()
    except OSError:
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
