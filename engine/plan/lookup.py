"""Finding the interview a person means: by UID, or by a part of its title or company."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from followup.engine.errors import UsageMistake
from followup.engine.model import Interview


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


def find_application(interviews: Sequence[Interview], query: str) -> tuple[Interview, ...]:
    """Every round of the one application ``query`` names, in order of start.

    ``query`` is a company, words of a title, a UID (every day of a series) or
    a UID/RECURRENCE-ID; the application is that of the interviews it names
    (see engine.plan.applications). An error lists the candidates when it names
    none, or rounds of several applications.
    """
    from followup.engine.plan.applications import applications

    found = matching_interviews(interviews, query)
    if not found:
        find_interview(interviews, query)  # raises, listing the interviews there are
    groups = applications(interviews)
    keys = {iv.key for iv in found}
    named = [group for group in groups if any(iv.key in keys for iv in group)]
    if len(named) > 1:  # "Acme" names Acme's application even if "Acme Labs" is another
        whole = query.strip().casefold()
        exact = [
            group
            for group in named
            if any(
                whole in (iv.summary.casefold(), (iv.facts.company or "").casefold())
                for iv in group
            )
        ]
        named = exact if len(exact) == 1 else named
    if len(named) == 1:
        return named[0]
    raise NoSuchInterview(
        f"{query!r} matches {len(named)} applications:\n" + candidates(found),
        hint="give the company, the UID, or more of the title",
    )


def chosen_rounds(query: str, rounds: Sequence[Interview]) -> tuple[Interview, ...]:
    """Of an application's ``rounds``, those ``query`` names itself: a UID's occurrences,
    one occurrence for a UID/RECURRENCE-ID, else every round."""
    text = query.strip()
    by_key = [iv for iv in rounds if iv.key == text]
    return tuple(by_key or [iv for iv in rounds if iv.uid == text] or rounds)


def with_applications(
    interviews: Sequence[Interview], found: Sequence[Interview]
) -> list[Interview]:
    """``found`` with every other round of their applications, in the order of ``interviews``."""
    from followup.engine.plan.applications import rounds_by_key

    if not found:
        return []
    rounds = rounds_by_key(interviews)
    keys = {other.key for iv in found for other in rounds.get(iv.key, (iv,))}
    return [iv for iv in interviews if iv.key in keys]


def find_event(
    events: Sequence[Interview], query: str, answered: Collection[str] = ()
) -> Interview:
    """The event ``query`` names for an answer: its UID (or UID/RECURRENCE-ID) exactly,
    or words of the title of one asked or ``answered`` event; an error listing those
    otherwise."""
    from followup.engine.questions import is_asked

    text = query.strip()
    exact = [iv for iv in events if text in (iv.key, iv.uid)]
    if exact:
        return exact[0]
    open_ones = [iv for iv in events if is_asked(iv) or iv.uid in answered]
    found = matching_interviews(open_ones, text)
    if len({iv.uid for iv in found}) == 1:
        return found[0]
    hint = "give the UID that `followup review --json` or `followup plan` shows"
    if found:
        raise NoSuchInterview(
            f"{query!r} names {len({iv.uid for iv in found})} events:\n" + candidates(found),
            hint=hint,
        )
    listed = open_ones[:10]
    raise NoSuchInterview(
        f"no event has the UID {query!r}"
        + ("; the events followup asks about are:\n" + candidates(listed) if listed else ""),
        hint=hint,
    )
