"""Finding the interview a person means: by UID, or by a part of its title or company."""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import UsageMistake
from engine.model import Interview


class NoSuchInterview(UsageMistake):
    """No interview, or more than one, answers to what the user typed."""


def matching_interviews(interviews: Sequence[Interview], query: str) -> list[Interview]:
    """Every interview ``query`` names: its key or UID exactly, else a part of title or company.

    When several titles or companies contain the words but exactly one of
    them is the whole title or company, that one is meant.
    """
    text = query.strip()
    exact = [iv for iv in interviews if text in (iv.key, iv.uid)]
    if exact:
        by_key = [iv for iv in exact if iv.key == text]
        return by_key or exact
    wanted = text.casefold()
    if not wanted:
        return []
    found = [
        iv
        for iv in interviews
        if wanted in iv.summary.casefold() or wanted in (iv.facts.company or "").casefold()
    ]
    whole = [
        iv for iv in found if wanted in (iv.summary.casefold(), (iv.facts.company or "").casefold())
    ]
    return whole if len(whole) == 1 else found


def find_interview(interviews: Sequence[Interview], query: str) -> Interview:
    """The one interview ``query`` names; an error listing the candidates otherwise."""
    found = matching_interviews(interviews, query)
    if len(found) == 1:
        return found[0]
    if not found:
        listed = interviews[:10]
        raise NoSuchInterview(
            f"no interview matches {query!r}"
            + ("; the interviews are:\n" + candidates(listed) if listed else " (none were found)"),
            hint="give a UID, or a word from the title or the company",
        )
    raise NoSuchInterview(
        f"{query!r} matches {len(found)} interviews:\n" + candidates(found),
        hint="give the UID, or more of the title",
    )


def candidates(interviews: Sequence[Interview]) -> str:
    """One line an interview: when, UID and title, for choosing between them."""
    return "\n".join(
        f"  {iv.start:%a %d %b %Y %H:%M}  {iv.key}  {iv.summary}"
        for iv in sorted(interviews, key=lambda iv: (iv.start, iv.key))
    )
