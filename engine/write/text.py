"""Plans as text for people (a table, a timeline) and as JSON for scripts; the JSON frame
every command's --json shares. Pure. ``engine.write.outputs`` names them beside the others."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from followup.engine.model import FollowUp, Plan
from followup.engine.questions import question_data

JSON_FORMAT = 1
"""The version of every command's --json output (docs/json.md): raised when a field is
renamed, removed or changes meaning; new fields may appear without it."""


def json_text(data: dict[str, Any]) -> str:
    """A command's --json output: ``format`` first, then the command's own fields."""
    return json.dumps({"format": JSON_FORMAT, **data}, indent=2, ensure_ascii=False) + "\n"


def interviews_count(plan: Plan) -> str:
    """How many interviews a plan is for, said the same way by every command: each one
    read in the window, the cancelled ones among them named (they plan nothing)."""
    total = len(plan.interviews)
    cancelled = sum(iv.cancelled for iv in plan.interviews)
    text = f"{total} interview{'' if total == 1 else 's'}"
    return text + (f", {cancelled} of them cancelled" if cancelled else "")


def interview_label(followup: FollowUp) -> str:
    facts = followup.interview.facts
    return facts.company or followup.interview.summary


def _when(moment: datetime, all_day: bool) -> str:
    return f"{moment:%a %d %b %Y}" + ("" if all_day else f" {moment:%H:%M}")


def plan_table(plan: Plan, followups: Iterable[FollowUp] | None = None, *, width: int = 80) -> str:
    """A readable table, one line a follow-up, past ones marked, fitting ``width`` columns:
    long steps and company names are shortened rather than wrapped."""
    items = list(plan.followups if followups is None else followups)
    if not items:
        return "No follow-ups: no interviews found in the planning window.\n"
    rows = [("WHEN", "", "STEP", "INTERVIEW")]
    for f in items:
        past = "past" if (f.due or f.end) < plan.now else ""
        rows.append((_when(f.start, f.all_day), past, f.title, interview_label(f)))
    # columns as a terminal shows them: a CJK character or an emoji takes two
    when_width = max(shown_width(r[0]) for r in rows)
    past_width = max(shown_width(r[1]) for r in rows)
    fixed = when_width + 2 + (past_width + 2 if past_width else 0)
    step_width, company_width = _share(
        max(width - fixed - 2, 20),
        max(shown_width(r[2]) for r in rows),
        max(shown_width(r[3]) for r in rows),
    )
    lines = []
    for when, past, step, company in rows:
        cells = [ljust(when, when_width)]
        if past_width:
            cells.append(ljust(past, past_width))
        cells += [ljust(shorten(step, step_width), step_width), shorten(company, company_width)]
        lines.append("  ".join(cells).rstrip())
    footer = f"\n{len(items)} follow-ups for {interviews_count(plan)} (times in {plan.timezone})."
    return "\n".join(lines) + footer + "\n"


def _plain(text: str) -> bool:
    """Printable ASCII, or the ellipsis ``shorten`` adds: one column a character, as
    wcwidth counts them too."""
    return text.isprintable() and (text.isascii() or text.replace("…", "").isascii())


def shown_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: a CJK character or an emoji takes two.
    wcwidth (about 13 ms to import) is loaded only for text that needs it."""
    if _plain(text):
        return len(text)
    from wcwidth import width

    return width(text)


def ljust(text: str, columns: int) -> str:
    """``text`` padded with spaces to ``columns`` terminal columns."""
    if _plain(text):
        return text.ljust(columns)
    from wcwidth import ljust as padded

    return padded(text, columns)


def clip(text: str, start: int, end: int) -> str:
    """The columns ``start`` to ``end`` of ``text`` (a wide character split is left out)."""
    if _plain(text):
        return text[start:end]
    from wcwidth import clip as clipped

    return clipped(text, start, end)


def _share(room: int, step: int, company: int) -> tuple[int, int]:
    """Split ``room`` columns between the step and the company, each shortened only as
    much as needed: the company keeps at least a third, the step the rest."""
    if step + company <= room:
        return step, company
    company = min(company, max(room // 3, room - step))
    return room - company, company


def shorten(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` terminal columns with an ellipsis when it is wider (a
    wide character split at the cut is left out whole)."""
    if shown_width(text) <= columns:
        return text
    return clip(text, 0, max(columns - 1, 0)).rstrip() + "…"


def plan_timeline(plan: Plan, followups: Iterable[FollowUp] | None = None) -> str:
    """Follow-ups grouped by interview, in order: the path if no answer ever comes."""
    items = list(plan.followups if followups is None else followups)
    if not items:
        return "No follow-ups: no interviews found in the planning window.\n"
    from followup.engine.plan.explain import chain_stop

    out: list[str] = []
    by_interview: dict[str, list[FollowUp]] = {}
    for f in items:
        by_interview.setdefault(f.interview.key, []).append(f)
    done = 0
    for group in sorted(
        by_interview.values(), key=lambda g: (g[0].interview.start, g[0].interview.key)
    ):
        iv = group[0].interview
        shown = {f.uid for f in group}
        later = sum(1 for f in plan.followups if f.interview.key == iv.key and f.uid not in shown)
        stop = chain_stop(plan, iv)
        if not later and stop is None and all((f.due or f.end) < plan.now for f in group):
            done += 1  # a chain run to its end, all behind the user: nothing to see ahead
            continue
        when = _when(iv.start.astimezone(group[0].start.tzinfo), iv.all_day)
        out.append(f"{iv.summary} ({when})")
        for f in sorted(group, key=lambda f: f.start):
            mark = " (past)" if (f.due or f.end) < plan.now else ""
            due = f" .. {_when(f.due, f.all_day)}" if f.due else ""
            out.append(f"  {_when(f.start, f.all_day)}{due}  {f.title}{mark}")
        if later:
            out.append(f"  ... and {later} more {'step' if later == 1 else 'steps'} later")
        if stop:
            out.append(f"  then nothing more: {stop}")
        out.append("")
    if done:
        out.append(
            f"Not shown: {done} interview{'s' if done > 1 else ''} whose steps are all done."
        )
    out.append(
        f"Times in {plan.timezone}. The path if no answer comes; "
        "`followup mark INTERVIEW replied` stops a chain."
    )
    return "\n".join(out) + "\n"


def followup_json(f: FollowUp) -> dict[str, Any]:
    iv = f.interview
    return {
        "uid": f.uid,
        "rule": f.rule_id,
        "kind": f.kind,
        "title": f.title,
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
        "due": f.due.isoformat() if f.due else None,
        "all_day": f.all_day,
        "description": f.description,
        "categories": list(f.categories),
        "alarm_before_minutes": int(f.alarm_before.total_seconds() // 60)
        if f.alarm_before is not None
        else None,
        "email": None
        if f.email is None
        else {
            "to": f.email.to,
            "subject": f.email.subject,
            "body": f.email.body,
            "mailto": f.email.mailto(),
        },
        "interview": {
            "uid": iv.uid,
            "recurrence_id": iv.recurrence_id,
            "key": iv.key,
            "title": iv.summary,
            "start": iv.start.isoformat(),
            "company": iv.facts.company,
            "role": iv.facts.role,
        },
    }


def plan_json(plan: Plan, followups: Iterable[FollowUp] | None = None) -> str:
    items = list(plan.followups if followups is None else followups)
    data = {
        "now": plan.now.isoformat(),
        "timezone": plan.timezone,
        "interviews": len(plan.interviews),
        "cancelled_interviews": sum(iv.cancelled for iv in plan.interviews),
        "followups": [followup_json(f) for f in items],
        "warnings": list(plan.warnings),
        "questions": [question_data(iv, plan.timezone) for iv in plan.near_misses],
    }
    return json_text(data)
