"""The board commands: status (your applications at a glance) and stats (the numbers).

Parse options, call the engine, format. The board and the numbers are pure
functions of the plan (engine/plan/board.py, engine/plan/stats.py).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from followup.cli.options import Job, job_options, json_option, make_job
from followup.cli.terminal import echo, warn
from followup.engine.write.text import shorten

if TYPE_CHECKING:
    from followup.engine.plan.board import BoardRow
    from followup.engine.plan.stats import Stats


def board_rows(job: Job) -> tuple[tuple[BoardRow, ...], ZoneInfo, datetime, tuple[str, ...]]:
    """Every application on the board, the plan's zone, its now (a --now without an offset
    read in that zone, as plan reads it) and its warnings."""
    from followup.cli.core import build_plan
    from followup.engine.plan.board import board, steps_of

    plan = build_plan(job)
    return board(plan, steps_of(job.rules)), ZoneInfo(plan.timezone), plan.now, plan.warnings


# ------------------------------------------------------------------- status ----


@click.command(short_help="Your applications at a glance: stage, last contact, next step.")
@job_options
@click.option("--all", "show_all", is_flag=True, help="Include closed applications too.")
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for a spreadsheet.")
def status(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    show_all: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Show one line per application: its stage, the days since your last
    contact, and the next step with its date, what needs you first.

    \b
    Stages: check-in due, offer, interview ahead, waiting (for their
    timeline), checked in, heard back; closed: silent (the move-on day passed
    with no answer), rejected, withdrawn, cancelled. `followup mark COMPANY
    replied` turns a silent application back into heard back.

    \b
    Examples:
      followup status --from calendar.ics
      followup status --from calendar.ics --all --csv > applications.csv
      followup status --from calendar.ics --json | jq '.applications[].stage'
    """
    from followup.engine.plan.board import board_csv, open_rows, row_data

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    job = make_job(source, rules_path, now_text, since_text)
    rows, zone, now, warnings = board_rows(job)
    shown = rows if show_all else open_rows(rows)
    if as_json:
        data = {
            "now": now.isoformat(),
            "timezone": zone.key,
            "applications": [row_data(row, zone) for row in shown],
            "closed_not_shown": len(rows) - len(shown),
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif as_csv:
        click.echo(board_csv(shown, zone), nl=False)
    else:
        width = shutil.get_terminal_size((80, 24)).columns
        echo(board_table(shown, len(rows), now, zone, width=max(width, 60)), nl=False)
    warn(warnings)


def _short_day(day: date) -> str:
    return f"{day:%a} {day.day:02d} {day:%b}"


def _next(row: BoardRow, today: date, zone: ZoneInfo) -> str:
    if row.next_at is None:
        return "–"
    day = row.next_at.date() if row.next_all_day else row.next_at.astimezone(zone).date()
    if day == today:
        return "today"
    if (day - today).days == 1:
        return "tomorrow"
    return _short_day(day) if day.year == today.year else day.isoformat()


def _days(count: int | None) -> str:
    return "–" if count is None else f"{count}d"


def board_table(
    rows: tuple[BoardRow, ...], total: int, now: datetime, zone: ZoneInfo, *, width: int = 80
) -> str:
    """The board as text: a line per application (stage, company, days since the last
    contact, next step) and beneath it the role, the recruiter and the rounds; long
    texts are shortened to fit ``width`` columns."""
    if total == 0:
        return "No applications: no interviews found in the planning window.\n"
    hidden = total - len(rows)
    if not rows:
        return f"No open applications; {hidden} closed (--all shows them).\n"
    today = now.astimezone(zone).date()
    head = ("STAGE", "COMPANY", "LAST", "NEXT", "STEP")
    cells = [
        (row.stage, row.company, _days(row.days_since_contact), _next(row, today, zone), row)
        for row in rows
    ]
    stage_w = max(len(head[0]), *(len(c[0]) for c in cells))
    last_w = max(len(head[2]), *(len(c[2]) for c in cells))
    next_w = max(len(head[3]), *(len(c[3]) for c in cells))
    fixed = stage_w + last_w + next_w + 4 * 2
    room = max(width - fixed, 20)
    longest_company = max(len(head[1]), *(len(c[1]) for c in cells))
    steps = [c[4].next_step or "" for c in cells]
    company_w = min(longest_company, max(room // 3, room - max(len(s) for s in steps)))
    step_w = room - company_w
    indent = " " * (stage_w + 2)
    columns = (stage_w, company_w, last_w, next_w)
    lines = ["  ".join([*(f"{h:<{w}}" for h, w in zip(head, columns, strict=False)), head[4]])]
    for (stage, company, last, nxt, row), step in zip(cells, steps, strict=True):
        texts = (stage, shorten(company, company_w), last, nxt)
        line = "  ".join(
            [*(f"{t:<{w}}" for t, w in zip(texts, columns, strict=True)), shorten(step, step_w)]
        )
        lines.append(line.rstrip())
        lines.append(indent + shorten(_detail(row), width - len(indent)))
    count = f"{total} application{'s' if total != 1 else ''}"
    closed = f"; {hidden} closed not shown (--all shows them)" if hidden else ""
    footer = (
        f"\n{count}{closed}. LAST: days since your last contact (their latest round or "
        f"answer). Times in {zone.key}."
    )
    return "\n".join(lines) + "\n" + "\n".join(_wrap(footer, width)) + "\n"


def _detail(row: BoardRow) -> str:
    parts = [p for p in (row.role, row.recruiter) if p]
    if row.rounds:
        days = ", ".join(_short_day(d) for d in row.rounds)
        parts.append(f"{'round' if len(row.rounds) == 1 else 'rounds'} {days}")
    if row.ahead:
        parts.append(f"next round {_short_day(row.ahead[0])}")
    if row.latest:
        parts.append(f"latest: {row.latest}")
    return " · ".join(parts)


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return [
        line for paragraph in text.split("\n") for line in (textwrap.wrap(paragraph, width) or [""])
    ]


# -------------------------------------------------------------------- stats ----


@click.command(short_help="The numbers of your search: interviews, answers, offers, waits.")
@job_options
@json_option
def stats(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    as_json: bool,
) -> None:
    """Count your applications, interviews, answers and offers, with the rates
    between them; the median days from an interview to each kind of answer;
    the companies that went silent after the move-on day; and all of it by month.

    \b
    Answers are the ones recorded with `followup mark` (or a Status line in the
    event); the days to an answer count only for marks, which carry their day.

    \b
    Examples:
      followup stats --from calendar.ics
      followup stats --from calendar.ics --since 2026-09-01 --json
    """
    from followup.engine.plan.stats import stats as count
    from followup.engine.plan.stats import stats_data

    job = make_job(source, rules_path, now_text, since_text)
    rows, zone, now, warnings = board_rows(job)
    numbers = count(rows)
    if as_json:
        data = {"now": now.isoformat(), "timezone": zone.key, **stats_data(numbers)}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        echo(stats_text(numbers), nl=False)
    warn(warnings)


def stats_text(numbers: Stats) -> str:
    """The numbers as text, within 80 columns."""
    from followup.engine.plan.stats import KIND_WORDS, percent

    if numbers.applications == 0:
        return "No applications: no interviews found in the planning window.\n"
    lines = [
        f"Applications  {numbers.applications:>4}",
        f"Interviewed   {numbers.interviewed:>4}  {percent(numbers.interview_rate):>4} "
        "of the applications",
        f"Answered      {numbers.answered:>4}  {percent(numbers.answer_rate):>4} "
        "of those interviewed",
        f"Offers        {numbers.offers:>4}  {percent(numbers.offer_rate):>4} of those answered",
        f"Rounds held {numbers.rounds}, rejected {numbers.rejected}, "
        f"withdrawn {numbers.withdrawn}, silent {len(numbers.silent)}.",
        "",
        "Days from the interview to their answer (median):",
    ]
    for wait in numbers.waits:
        days = "–" if wait.median_days is None else f"{wait.median_days:g} days"
        over = f"{wait.timed} answer{'s' if wait.timed != 1 else ''}"
        untimed = f", {wait.untimed} more without a day" if wait.untimed else ""
        lines.append(f"  {KIND_WORDS[wait.kind]:<11} {days:>9}  ({over}{untimed})")
    lines += ["", "Silent after the move-on day (`followup mark COMPANY replied` reopens):"]
    if not numbers.silent:
        lines.append("  none")
    for company, day in numbers.silent:
        lines.append(f"  {shorten(company, 50):<50}  since {day}")
    lines += ["", "Month     applications  rounds  answers  offers"]
    for month in numbers.months:
        lines.append(
            f"{month.month}   {month.applications:>12}  {month.rounds:>6}  "
            f"{month.answers:>7}  {month.offers:>6}"
        )
    return "\n".join(lines) + "\n"
