"""The numbers of a job search, counted from the board. Pure.

How many applications reach an interview, an answer and an offer, and the
rates between them; how many days companies take from the interview to their
answer, by kind of answer; who went silent after the move-on day; and the
same counts by month.

Counted as:

- an application is interviewed once one of its rounds is held (its start is past);
- an application is answered when it heard back, got an offer or was rejected
  (withdrawing is the user's own answer, counted apart);
- the days to an answer run from the day of the latest round before it to the day
  the answer was recorded with ``followup mark``; an answer recorded without a day
  is counted, but not timed (``untimed`` says how many).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from followup.engine.model import StatusKind
from followup.engine.plan.board import BoardRow

ANSWER_KINDS: tuple[StatusKind, ...] = ("replied", "offer", "rejected")
"""The answers a company gives (the board calls ``replied`` "heard back")."""

KIND_WORDS: dict[StatusKind, str] = {
    "replied": "heard back",
    "offer": "offer",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "pending": "pending",
}


@dataclass(frozen=True, slots=True)
class Month:
    """One calendar month: what began and what came back in it."""

    month: str
    """YYYY-MM."""
    applications: int
    """Applications whose first round falls in the month."""
    rounds: int
    """Rounds held in the month."""
    answers: int
    """Answers (heard back, offer, rejected) recorded in the month."""
    offers: int


@dataclass(frozen=True, slots=True)
class Wait:
    """How long one kind of answer took: the median days, over how many timed answers."""

    kind: StatusKind
    median_days: float | None
    timed: int
    untimed: int


@dataclass(frozen=True, slots=True)
class Stats:
    applications: int
    interviewed: int
    rounds: int
    answered: int
    offers: int
    rejected: int
    withdrawn: int
    silent: tuple[tuple[str, str], ...]
    """(company, the move-on day, ISO) of each application silent after its move-on day."""
    waits: tuple[Wait, ...]
    months: tuple[Month, ...]

    @property
    def interview_rate(self) -> float | None:
        return _rate(self.interviewed, self.applications)

    @property
    def answer_rate(self) -> float | None:
        return _rate(self.answered, self.interviewed)

    @property
    def offer_rate(self) -> float | None:
        return _rate(self.offers, self.answered)


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def stats(rows: Sequence[BoardRow]) -> Stats:
    """The numbers of the applications on the board (closed ones included)."""
    kinds = [{answer.status for answer in row.answers} for row in rows]
    waits = []
    for kind in ANSWER_KINDS:
        answers = [a for row in rows for a in row.answers if a.status == kind]
        days = [(a.on - a.round_day).days for a in answers if a.on is not None]
        waits.append(
            Wait(kind, median(days) if days else None, len(days), len(answers) - len(days))
        )
    months: dict[str, list[int]] = {}

    def count(day_text: str, index: int) -> None:
        months.setdefault(day_text[:7], [0, 0, 0, 0])[index] += 1

    for row in rows:
        if row.first_day is not None:
            count(row.first_day.isoformat(), 0)
        for day in row.rounds:
            count(day.isoformat(), 1)
        for answer in row.answers:
            if answer.status in ANSWER_KINDS:
                count((answer.on or answer.round_day).isoformat(), 2)
            if answer.status == "offer":
                count((answer.on or answer.round_day).isoformat(), 3)
    return Stats(
        applications=len(rows),
        interviewed=sum(1 for row in rows if row.rounds),
        rounds=sum(len(row.rounds) for row in rows),
        answered=sum(1 for found in kinds if found & set(ANSWER_KINDS)),
        offers=sum(1 for found in kinds if "offer" in found),
        rejected=sum(1 for found in kinds if "rejected" in found),
        withdrawn=sum(1 for found in kinds if "withdrawn" in found),
        silent=tuple(
            (row.company, row.move_on_day.isoformat() if row.move_on_day else "")
            for row in rows
            if row.stage == "silent"
        ),
        waits=tuple(waits),
        months=tuple(Month(m, *counts) for m, counts in sorted(months.items())),
    )


def stats_data(numbers: Stats) -> dict[str, Any]:
    """The numbers as JSON takes them; rates as fractions (0.5), null when undefined."""
    return {
        "applications": numbers.applications,
        "interviewed": numbers.interviewed,
        "rounds": numbers.rounds,
        "answered": numbers.answered,
        "offers": numbers.offers,
        "rejected": numbers.rejected,
        "withdrawn": numbers.withdrawn,
        "rates": {
            "interview": numbers.interview_rate,
            "answer": numbers.answer_rate,
            "offer": numbers.offer_rate,
        },
        "days_to_answer": {
            KIND_WORDS[w.kind]: {"median": w.median_days, "timed": w.timed, "untimed": w.untimed}
            for w in numbers.waits
        },
        "silent": [{"company": c, "move_on": day or None} for c, day in numbers.silent],
        "months": [
            {
                "month": m.month,
                "applications": m.applications,
                "rounds": m.rounds,
                "answers": m.answers,
                "offers": m.offers,
            }
            for m in numbers.months
        ],
    }


def percent(rate: float | None) -> str:
    """A rate as people read it: '42%', or '–' when there is nothing to divide by."""
    return "–" if rate is None else f"{round(rate * 100)}%"
