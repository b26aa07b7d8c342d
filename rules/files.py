"""A rules file's text: read with its size and encoding checked, or a shipped policy's.

Kept apart from the loader so that a command whose rules are already compiled
(see engine.pipeline's RulesCache) reads the text without importing YAML or pydantic.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from followup.rules.errors import RulesError

MAX_RULES_BYTES = 1_000_000

DEFAULT_RULES = "default.yaml"


def shipped_rules(name: str = DEFAULT_RULES) -> tuple[str, str]:
    """The text of a policy shipped in rules/, and a name to show for it."""
    ref = resources.files("followup.rules").joinpath(name)
    return ref.read_text(encoding="utf-8"), f"rules/{name}"


def read_rules_text(path: str | Path | None = None) -> tuple[str, str]:
    """The text of the rules file at ``path`` (the shipped default if None) and its name."""
    if path is None:
        return shipped_rules()
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise RulesError("no such rules file", path=name) from None
    except OSError as err:
        raise RulesError(f"cannot read the rules file: {err.strerror}", path=name) from None
    if len(raw) > MAX_RULES_BYTES:
        raise RulesError("the rules file is larger than 1 MB", path=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise RulesError(f"not UTF-8 text (byte {err.start})", path=name) from None
    return text, name
