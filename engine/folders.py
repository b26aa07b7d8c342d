"""Where followup keeps the user's files: the config folder and the config file's path.

Apart from engine.config (which re-exports both names) so that a command can tell
whether there is a config file at all without building the config's models.
"""

from __future__ import annotations

import os
from pathlib import Path


def config_dir() -> Path:
    explicit = os.environ.get("FOLLOWUP_CONFIG_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_config_path

    return user_config_path("followup")


def config_path() -> Path:
    return config_dir() / "config.toml"
