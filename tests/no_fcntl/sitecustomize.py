"""Makes ``import fcntl`` fail, as it does on Windows: put this folder first on PYTHONPATH.

Python imports ``sitecustomize`` at start-up, before any test or followup code,
so every ``import fcntl`` after it raises ModuleNotFoundError.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class NoFcntl:
    """A meta-path finder that refuses ``fcntl`` and leaves every other module alone."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl' (hidden, as on Windows)", name=name)
        return None


sys.modules.pop("fcntl", None)
sys.meta_path.insert(0, NoFcntl())
