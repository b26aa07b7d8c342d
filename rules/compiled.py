"""Templates' compiled code by their source, kept apart from jinja so that handing in the
code an earlier run compiled costs no import (see engine.pipeline.RulesCache)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def use(codes: Mapping[str, CodeType]) -> None:
    """Code compiled by an earlier run of the same followup, the same Python and the same
    jinja: rules.templates takes it instead of compiling the template again."""
    for source, code in codes.items():
        keep(source, code)


def known(sources: Iterable[str]) -> dict[str, CodeType]:
    """The code of those of ``sources`` compiled (or handed in) in this process."""
    return {source: _codes[source] for source in sources if source in _codes}
