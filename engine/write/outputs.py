"""Outputs as one family: a plan as bytes, chosen by name.

Each output is one class with a name, a media type and ``render(plan, view) -> bytes``,
listed once in ``OUTPUTS``: ``ics`` (the calendar to import or subscribe to), ``json``
(for scripts, docs/json.md), ``table`` and ``timeline`` (for people), ``csv`` (the board of
applications, for a spreadsheet). ``followup plan``, ``followup ics`` and the feed render
through it; tests/test_outputs.py renders one plan through every output. A new output is
one class and one line in the table. Pure: values in, bytes out; the libraries an output
needs (icalendar) are imported when it renders.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from followup.engine.model import FollowUp, Plan
    from followup.engine.plan.board import Steps
    from followup.engine.plan.stopped import Stopped
    from followup.engine.write.render import RenderOptions


@dataclass(frozen=True, slots=True)
class View:
    """How a plan is shown, beside the plan itself; each output takes what applies to it."""

    followups: tuple[FollowUp, ...] | None = None
    """The follow-ups to show (default: the plan's); ``plan --until`` shows those up to a day."""
    width: int = 80
    """Terminal columns a table fits in."""
    options: RenderOptions | None = None
    """How follow-ups become calendar items (default: ``RenderOptions()``)."""
    stopped: tuple[Stopped, ...] = ()
    """Steps a reply stopped, written to a calendar as cancelled."""
    steps: Steps | None = None
    """Which rules are the check-in and the move-on, for the board (``engine.plan.board``);
    without them no step counts as either."""
    closed: bool = True
    """Whether the board lists closed applications too."""

    def shown(self, plan: Plan) -> Plan:
        """The plan with only the follow-ups to show."""
        return plan if self.followups is None else replace(plan, followups=self.followups)


class Output(ABC):
    """One way to write a plan down."""

    name: ClassVar[str]
    media_type: ClassVar[str]

    @abstractmethod
    def render(self, plan: Plan, view: View) -> bytes:
        """The plan as this output's bytes: the same plan and view give the same bytes."""


class Ics(Output):
    name = "ics"
    media_type = "text/calendar"

    def render(self, plan: Plan, view: View) -> bytes:
        from followup.engine.write.render import render_calendar

        return render_calendar(view.shown(plan), view.options, view.stopped)


class Json(Output):
    name = "json"
    media_type = "application/json"

    def render(self, plan: Plan, view: View) -> bytes:
        from followup.engine.write.text import plan_json

        return plan_json(plan, view.followups).encode()


class Table(Output):
    name = "table"
    media_type = "text/plain"

    def render(self, plan: Plan, view: View) -> bytes:
        from followup.engine.write.text import plan_table

        return plan_table(plan, view.followups, width=view.width).encode()


class Timeline(Output):
    name = "timeline"
    media_type = "text/plain"

    def render(self, plan: Plan, view: View) -> bytes:
        from followup.engine.write.text import plan_timeline

        return plan_timeline(plan, view.followups).encode()


class Csv(Output):
    name = "csv"
    media_type = "text/csv"

    def render(self, plan: Plan, view: View) -> bytes:
        from zoneinfo import ZoneInfo

        from followup.engine.plan.board import Steps, board, board_csv, open_rows

        steps = view.steps or Steps(frozenset(), frozenset())
        rows = board(view.shown(plan), steps)
        return board_csv(rows if view.closed else open_rows(rows), ZoneInfo(plan.timezone)).encode()


OUTPUTS: dict[str, type[Output]] = {
    output.name: output for output in (Ics, Json, Table, Timeline, Csv)
}
"""Every output by name."""


def render(plan: Plan, name: str, view: View | None = None) -> bytes:
    """``plan`` written as the output ``name`` (a key of ``OUTPUTS``)."""
    return OUTPUTS[name]().render(plan, view or View())
