"""The question "is this an interview?": the command that answers it, as the outputs show it.

Pure: every output that lists an asked event (plan, ics, explain, sync, the feed
page, review) words the question and its command here, so they read the same.
"""

from __future__ import annotations

from followup.engine.model import Interview

ANSWERS = ("interview", "not-interview", "forget")
"""What ``followup answer UID ANSWER`` takes: yes, no, and taking an answer back."""


def answer_command(uid: str, answer: str = "interview") -> str:
    """The command that answers for the event ``uid``, quoted for a POSIX shell.

    A UID with a line break or another character a terminal would not show as
    written cannot be copied from a line of text: ``followup review`` asks instead.
    One that starts with ``-`` comes after ``--``, so that it is not read as an option.
    """
    if not uid.isprintable():
        return "followup review"
    return f"followup answer {argument(uid)} {answer}"


def argument(value: str) -> str:
    """``value`` as one positional argument of a shown command: quoted for a POSIX shell,
    after ``--`` when it starts with ``-`` (``--from=x`` is a UID, not an option)."""
    import shlex  # only for a question asked: a plan of plain interviews asks none

    return ("-- " if value.startswith("-") else "") + shlex.quote(value)


def question(interview: Interview) -> str:
    """The question for an asked event, with the one command that answers it."""
    command = answer_command(interview.uid)
    if command == "followup review":
        return "is it an interview? answer with `followup review`"
    return f"is it an interview? answer with `{command}` (or not-interview)"


def is_asked(interview: Interview) -> bool:
    """An event the evidence neither counts nor ignores: the user is asked."""
    return interview.verdict.outcome != "ignored" and (
        interview.verdict.outcome == "asked" or interview.not_counted is not None
    )


def is_counted(interview: Interview) -> bool:
    """An event planned as an interview: counted, and no question open about it."""
    return interview.verdict.outcome == "counted" and not is_asked(interview)


def evidence(interview: Interview) -> list[str]:
    """What makes the event look like part of an application, a line each."""
    lines = list(interview.verdict.reasons)
    if interview.not_counted and not lines:
        lines.append(interview.not_counted)
    if interview.location:
        lines.append(f"where: {' '.join(interview.location.split())[:200]}")
    people = [name or address for name, address in interview.attendees if name or address]
    if people:
        more = f" and {len(people) - 5} more" if len(people) > 5 else ""
        lines.append(f"with: {', '.join(p for p in people[:5] if p)}{more}")
    return lines or ["it may be part of an application"]


def question_data(interview: Interview, zone: str) -> dict[str, object]:
    """An open question for scripts: the event, the evidence and the commands that answer."""
    from followup.rules.zones import resolve_zone

    return {
        "uid": interview.uid,
        "key": interview.key,
        "title": interview.summary,
        "start": interview.start.astimezone(resolve_zone(zone)).isoformat(),
        "evidence": list(interview.verdict.reasons) or [interview.not_counted or ""],
        "fix": interview.verdict.fix,
        "answer": {
            "interview": answer_command(interview.uid, "interview"),
            "not_interview": answer_command(interview.uid, "not-interview"),
        },
    }


def rules_fix(fix: str) -> str:
    """What to change in the rules so that such events count without being asked."""
    advice = fix.removeprefix("to count it, ")
    return f"so the rules count such events without asking, {advice}"
