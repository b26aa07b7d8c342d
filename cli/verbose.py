"""``-v``: what a run does, on standard error, as vdirsyncer's and khal's ``-v`` say it.

The engine logs to ``followup.*`` (files read, links fetched, decisions); CalDAV's
requests are logged by niquests' urllib3, one line each, shown here as method and
address: never a header, so never a password or token, and no query string.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import click

from followup.cli.terminal import terminal_text

if TYPE_CHECKING:
    from followup.engine.model import Plan

REQUEST_LINE = '%s://%s:%s "%s %s %s" %s %s'
"""How urllib3 (niquests' transport) logs a request it made."""
HTTP_LOGGERS = ("urllib3_future.connectionpool", "urllib3.connectionpool")

log = logging.getLogger("followup.plan")


class _ToStderr(logging.Handler):
    """Each line to the standard error of the moment (click's, under a test runner too)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        click.echo(terminal_text(line), err=True)


class _Lines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if record.msg == REQUEST_LINE and isinstance(record.args, tuple):
            scheme, host, port, method, url, _version, status, _size = record.args
            path = str(url).split("?", 1)[0]
            return f"debug: http: {method} {scheme}://{host}:{port}{path} -> {status}"
        text = record.getMessage()
        return text if record.levelno >= logging.WARNING else f"debug: {text}"


def _requests_only(record: logging.LogRecord) -> bool:
    return record.msg == REQUEST_LINE


_handler = _ToStderr()
_handler.setFormatter(_Lines())
_levels: dict[str, int] = {}


def turn_on() -> None:
    """Show followup's log at INFO and each HTTP request, until ``turn_off``."""
    if _levels:
        return
    for name in ("followup", *HTTP_LOGGERS):
        logger = logging.getLogger(name)
        _levels[name] = logger.level
        logger.setLevel(logging.DEBUG if name in HTTP_LOGGERS else logging.INFO)
        logger.addHandler(_handler)
    _handler.addFilter(lambda r: r.name.startswith("followup") or _requests_only(r))


def turn_off() -> None:
    """Back to quiet (each run of the command starts so)."""
    for name, level in _levels.items():
        logger = logging.getLogger(name)
        logger.removeHandler(_handler)
        logger.setLevel(level)
    _levels.clear()
    _handler.filters.clear()


def log_plan(plan: Plan) -> None:
    """Why each event counts as an interview or not, and why each step is planned or not."""
    if not log.isEnabledFor(logging.INFO):
        return
    for interview in (*plan.interviews, *plan.near_misses, *plan.ignored):
        reasons = "; ".join(interview.verdict.reasons) or interview.not_counted
        state = "cancelled" if interview.cancelled else interview.verdict.outcome
        why = f": {reasons}" if reasons else ""
        log.info("event %s (%s): %s%s", interview.key, interview.summary, state, why)
    for decision in plan.decisions:
        done = "planned" if decision.produced else "not planned"
        log.info(
            "rule %s for %s: %s: %s",
            decision.rule_id,
            decision.interview_key,
            done,
            decision.reason,
        )
