"""Where followup keeps the user's files: config, recorded data, sync state and caches.

Each folder is ``$FOLLOWUP_<KIND>_DIR`` when set, else the platform's folder for
followup (platformdirs). Apart from engine.config (which re-exports the config
names) so that a command can tell whether there is a config file at all without
building the config's models.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

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
