"""Templates' compiled code by their source, for this process only (a long ``serve``
compiles each template once). Code is never read back from a file: see
engine.rules_cache.RulesCache."""

from __future__ import annotations

from types import CodeType

MAX_KEPT = 1024
"""As many as rules.templates keeps compiled templates: a long ``serve`` whose rules change
often forgets the oldest."""

_codes: dict[str, CodeType] = {}


def code_for(source: str) -> CodeType | None:
    """The code compiled for this template source in this process, or handed in."""
    return _codes.get(source)


def keep(source: str, code: CodeType) -> None:
    if source not in _codes and len(_codes) >= MAX_KEPT:
        del _codes[next(iter(_codes))]
    _codes[source] = code
