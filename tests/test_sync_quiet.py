"""A sync with nothing new to read is answered without planning again, and any change is seen."""

from __future__ import annotations

from datetime import timedelta

from followup.engine.caldav.apply import open_sessions, prepare
from followup.engine.marks import Mark, record_mark
from followup.rules.loader import parse_rules, shipped_rules
from tests.sync_support import (
    NOW,
    CalendarApp,
    counts,
    interview,
    one_past_one_ahead,
    request,
    sync,
)

pytest_plugins = ["tests.conftest_caldav"]


def titles(app: CalendarApp, calendar: str) -> list[str]:
    return [str(item["SUMMARY"]) for item in app.followups(calendar).values()]


def planned_again(work: str, target: str, **options: object) -> bool:
    with open_sessions() as sessions:
        return prepare(request(work, target, **options), sessions).quiet is None  # type: ignore[arg-type]


def test_a_rerun_after_a_run_with_nothing_to_do_does_not_plan_again(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    first = sync(work, target)
    assert counts(first)[0] > 0
    second = sync(work, target)  # plans, finds nothing to do, remembers that
    assert counts(second) == (0, 0, 0, 0, 0)

    assert not planned_again(work, target)
    third = sync(work, target)
    assert counts(third) == (0, 0, 0, 0, 0)
    assert (third.interviews, third.followups, third.unchanged) == (
        second.interviews,
        second.followups,
        second.unchanged,
    )
    assert planned_again(work, target, dry_run=True)
    assert planned_again(work, target, force=True)


def test_a_changed_interview_after_a_quiet_run_is_synced(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)
    app.add(work, "i2", interview("i2@x", NOW + timedelta(days=3), company="Hooli"))

    report = sync(work, target)

    assert counts(report)[0] > 0
    assert any("Hooli" in t for t in titles(app, target))


def test_changed_rules_after_a_quiet_run_are_synced(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)
    text, name = shipped_rules()
    other = parse_rules(
        text.replace("timezone: local", "timezone: Europe/Berlin").replace("Send {{", "Write {{"),
        name,
    )

    report = sync(work, target, rules=other)

    assert len(report.updated) > 0
    assert any(t.startswith("Write ") for t in titles(app, target))


def test_a_mark_after_a_quiet_run_is_synced(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)
    before = set(app.followups(target))

    record_mark(Mark("i1@x", "rejected"))
    report = sync(work, target)

    assert counts(report) != (0, 0, 0, 0, 0)
    assert set(app.followups(target)) != before


def test_a_new_day_plans_again(app: CalendarApp, password: str) -> None:
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)

    assert not planned_again(work, target)
    assert planned_again(work, target, now=NOW + timedelta(days=1))


def test_a_follow_up_deleted_in_the_calendar_app_after_a_quiet_run_is_noticed(
    app: CalendarApp, password: str
) -> None:
    work, target = one_past_one_ahead(app)
    sync(work, target)
    sync(work, target)
    app.delete(app.url_of(target, next(iter(app.followups(target)))))

    assert planned_again(work, target)
