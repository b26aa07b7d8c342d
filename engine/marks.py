"""Replies recorded with ``followup mark``: facts that override the event's own lines."""

from __future__ import annotations

from collections.abc import Sequence

from engine.model import Interview


def apply_marks_if_any(interviews: Sequence[Interview]) -> list[Interview]:
    """The interviews with recorded marks applied (none are recorded yet)."""
    return list(interviews)
