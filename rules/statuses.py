"""The recruiter's statuses, one vocabulary: what an interview's status is (the calendar's
notes, ``followup mark``), and the words a rule's ``if: status`` takes, which add
``answered`` for any of the answers. No pydantic: the engine's model imports it."""

from __future__ import annotations

from typing import Literal, get_args

Answer = Literal["replied", "offer", "rejected", "withdrawn"]
"""The statuses that mean the recruiter answered (or the candidate withdrew)."""

StatusKind = Literal["pending", Answer]
"""What the recruiter's side of an interview amounts to: ``pending``, or an answer."""

StatusWord = Literal["pending", "answered", Answer]
"""What a rule's ``if: status`` may name: a status, or ``answered`` for any answer."""

ANSWERED: frozenset[StatusKind] = frozenset(get_args(Answer))
"""The statuses ``answered`` stands for."""
