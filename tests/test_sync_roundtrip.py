"""followup sync against a real CalDAV server: interviews in, follow-ups out, edits respected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup.engine.caldav.apply import SyncReport, open_sessions, prepare
from followup.engine.folders import cache_dir, state_dir
from tests.caldav_server import CalDAVServer
from tests.conftest import default_rules
from tests.sync_support import NOW, CalendarApp, counts, expected_plan, interview, request, sync

pytest_plugins = ["tests.conftest_caldav"]

BERLIN = ZoneInfo("Europe/Berlin")
ACME = datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)
GLOBEX = datetime(2026, 12, 3, 14, 0, tzinfo=BERLIN)


def setup_calendars(app: CalendarApp) -> tuple[str, str, dict[str, bytes]]:
    """A work calendar with two interviews and an empty follow-ups calendar."""
    work = app.make_calendar("work")
    target = app.make_calendar("followups")
    objects = {
        app.add(work, "acme", interview("acme-1@example.com", ACME, company="ACME")): b"",
        app.add(work, "globex", interview("globex-1@example.com", GLOBEX, company="Globex")): b"",
    }
    return work, target, {url: app.request("GET", url).content for url in objects}


def change(app: CalendarApp, name: str, data: bytes) -> tuple[dict[str, Any], SyncReport]:
    """Sync, change one interview in the calendar app, sync again. The objects then include
    the change, and the follow-ups calendar under "target"."""
    work, target, objects = setup_calendars(app)
    sync(work, target)
    url = work + name + ".ics"
    app.put(url, data, app.get(url)[1])
    report = sync(work, target)
    objects[url] = data
    return {**objects, "target": target}, report


def starts(app: CalendarApp, target: str) -> dict[str, datetime]:
    return {
        uid: item.decoded("DTSTART").astimezone(UTC) for uid, item in app.followups(target).items()
    }


def planned(objects: dict[str, bytes], **options: object) -> dict[str, datetime]:
    plan = expected_plan(list(objects.items()), **options)  # type: ignore[arg-type]
    return {f.uid: f.start.astimezone(UTC) for f in plan.followups}


def writes(server: CalDAVServer) -> list[str]:
    return [f"{e.method} {e.path}" for e in server.log if e.method in ("PUT", "DELETE")]


def test_follow_ups_appear_at_their_times_and_a_second_sync_asks_one_question_per_calendar(
    any_server: CalDAVServer, password: str
) -> None:
    app = CalendarApp(any_server)
    work, target, objects = setup_calendars(app)

    first = sync(work, target)

    assert starts(app, target) == planned(objects)
    assert counts(first) == (len(planned(objects)), 0, 0, 0, 0)
    any_server.log.clear()
    second = sync(work, target)
    assert counts(second) == (0, 0, 0, 0, 0)
    assert second.unchanged == len(planned(objects))
    assert writes(any_server) == []
    assert sorted(e.method for e in any_server.log) == ["REPORT", "REPORT"]


def test_a_timeline_added_to_an_interview_changes_only_that_interviews_items(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = setup_calendars(app)
    sync(work, target)
    before = starts(app, target)

    acme = work + "acme.ics"
    _, etag = app.get(acme)
    changed = interview("acme-1@example.com", ACME, company="ACME", notes="Timeline: 3 weeks")
    app.put(acme, changed, etag)
    report = sync(work, target)

    after = starts(app, target)
    objects[acme] = changed
    assert after == planned(objects)
    touched = {a.uid for a in report.created + report.updated + report.removed}
    assert touched == {
        uid for uid in before.keys() | after.keys() if before.get(uid) != after.get(uid)
    }
    assert touched and all(
        uid in {f.uid for f in expected_plan([(acme, changed)]).followups} or uid not in after
        for uid in touched
    )


def test_a_recruiters_answer_removes_the_steps_still_waiting_for_one(
    app: CalendarApp, password: str
) -> None:
    objects, report = change(app, "acme", interview("acme-1@example.com", ACME, status="rejected"))

    assert starts(app, objects.pop("target")) == planned(objects)
    assert report.removed and not report.created


def test_moving_an_interview_moves_its_follow_ups(app: CalendarApp, password: str) -> None:
    moved = interview("globex-1@example.com", GLOBEX + timedelta(days=2), company="Globex")

    objects, report = change(app, "globex", moved)

    assert starts(app, objects.pop("target")) == planned(objects)
    assert report.updated and not report.failed


def test_cancelling_an_interview_removes_its_follow_ups(app: CalendarApp, password: str) -> None:
    work, target, objects = setup_calendars(app)
    sync(work, target)
    globex = work + "globex.ics"
    app.delete(globex)

    report = sync(work, target)

    del objects[globex]
    assert starts(app, target) == planned(objects)
    assert report.removed and not report.created and not report.updated


def test_an_item_the_user_edited_is_left_as_they_have_it_and_reported(
    app: CalendarApp, password: str
) -> None:
    work, target, _objects = setup_calendars(app)
    sync(work, target)
    uid = next(iter(app.followups(target)))
    url = app.url_of(target, uid)
    cal, etag = app.get(url)
    item = next(c for c in cal.subcomponents if c.name in ("VEVENT", "VTODO"))
    item["SUMMARY"] = "Call them instead"
    item.pop("DTSTART")
    item.add("dtstart", datetime(2026, 12, 10, 17, 0, tzinfo=BERLIN))
    item.pop("DTEND", None)
    app.put(url, cal.to_ical(), etag)

    report = sync(work, target)
    again = sync(work, target)

    assert [(k.uid, k.reason) for k in report.kept] == [(uid, "edited")]
    assert counts(report)[:3] == (0, 0, 0)
    assert str(app.followups(target)[uid]["SUMMARY"]) == "Call them instead"
    assert counts(again)[:3] == (0, 0, 0)


def test_a_completed_todo_stays_completed_even_when_the_plan_changes(
    app: CalendarApp, password: str
) -> None:
    work, target, _objects = setup_calendars(app)
    base = default_rules()
    rules = base.model_copy(update={"defaults": base.defaults.model_copy(update={"kind": "todo"})})
    sync(work, target, rules=rules)
    uid = next(u for u, i in app.followups(target).items() if i.name == "VTODO")
    url = app.url_of(target, uid)
    cal, etag = app.get(url)
    todo = next(c for c in cal.subcomponents if c.name == "VTODO")
    todo["STATUS"] = "COMPLETED"
    todo.add("completed", datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    app.put(url, cal.to_ical(), etag)
    acme = work + "acme.ics"
    app.put(
        acme,
        interview("acme-1@example.com", ACME + timedelta(hours=1), company="ACME"),
        app.get(acme)[1],
    )

    report = sync(work, target, rules=rules)

    assert (uid, "completed") in [(k.uid, k.reason) for k in report.kept]
    assert str(app.followups(target)[uid]["STATUS"]) == "COMPLETED"


def test_an_item_the_user_deleted_is_not_created_again(app: CalendarApp, password: str) -> None:
    work, target, _objects = setup_calendars(app)
    sync(work, target)
    uid = next(iter(app.followups(target)))
    app.delete(app.url_of(target, uid))

    report = sync(work, target)
    again = sync(work, target)

    assert [(k.uid, k.reason) for k in report.kept] == [(uid, "deleted")]
    assert uid not in app.followups(target)
    assert counts(again)[:3] == (0, 0, 0)
    assert uid not in app.followups(target)


def test_the_users_own_events_in_a_shared_calendar_are_never_touched(
    app: CalendarApp, password: str
) -> None:
    work = app.make_calendar("work")
    app.add(work, "acme", interview("acme-1@example.com", ACME, company="ACME"))
    mine = interview("mine@example.com", ACME + timedelta(hours=2), company="ACME")
    own = app.add(
        work, "mine", mine.replace(b"Interview with ACME", b"Appraise the ACME interview")
    )
    before = app.get(own)

    sync(work, work)
    sync(work, work)
    app.delete(work + "acme.ics")
    report = sync(work, work, force=True)

    assert app.get(own) == before
    assert report.removed
    assert all(a.href != own.removeprefix(app.server.base) for a in report.removed)
    related = {str(item["RELATED-TO"]) for item in app.followups(work).values()}
    assert "acme-1@example.com" not in related


def test_changed_rules_move_the_items_that_were_not_edited(app: CalendarApp, password: str) -> None:
    work, target, objects = setup_calendars(app)
    sync(work, target)
    rules = default_rules("America/New_York")

    report = sync(work, target, rules=rules)

    assert starts(app, target) == planned(objects, rules=rules)
    assert report.updated and not report.failed


def test_an_empty_source_is_refused_unless_forced(app: CalendarApp, password: str) -> None:
    from followup.engine.errors import UnsafeChange

    work, target, objects = setup_calendars(app)
    sync(work, target)
    for url in objects:
        app.delete(url)

    with pytest.raises(UnsafeChange, match="refusing to remove all"):
        sync(work, target)
    assert len(app.followups(target)) == len(planned(objects))
    sync(work, target, force=True)
    assert app.followups(target) == {}


def test_a_dry_run_shows_the_plan_and_writes_nothing(app: CalendarApp, password: str) -> None:
    work, target, objects = setup_calendars(app)
    app.server.log.clear()

    report = sync(work, target, dry_run=True)

    assert len(report.created) == len(planned(objects))
    assert writes(app.server) == []
    assert app.followups(target) == {}


def test_follow_ups_of_interviews_that_left_the_window_stay(
    app: CalendarApp, password: str
) -> None:
    work, target, _objects = setup_calendars(app)
    sync(work, target)
    before = set(app.followups(target))

    later = NOW + timedelta(days=120)
    report = sync(work, target, now=later)

    assert not report.removed
    assert before <= set(app.followups(target))


def test_losing_the_state_and_the_cache_duplicates_nothing(app: CalendarApp, password: str) -> None:
    work, target, objects = setup_calendars(app)
    sync(work, target)
    import shutil

    shutil.rmtree(state_dir())
    shutil.rmtree(cache_dir())

    report = sync(work, target)

    # The key of the stamps went with the state: the same follow-ups are adopted as they are
    # (tests/test_sync_lost_state.py counts the PUTs: none).
    assert counts(report) == (0, 0, 0, 0, 0)
    assert report.unchanged == len(planned(objects))
    assert starts(app, target) == planned(objects)
    assert counts(sync(work, target)) == (0, 0, 0, 0, 0)


def test_losing_the_state_brings_back_a_deleted_follow_up_at_worst(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = setup_calendars(app)
    sync(work, target)
    uid = next(iter(app.followups(target)))
    app.delete(app.url_of(target, uid))
    import shutil

    shutil.rmtree(state_dir())

    report = sync(work, target)

    assert [a.uid for a in report.created] == [uid]
    assert starts(app, target) == planned(objects)


def test_the_default_target_is_a_calendar_of_its_own_with_the_name_chosen(
    app: CalendarApp, password: str
) -> None:
    work = app.make_calendar("work")
    app.add(work, "acme", interview("acme-1@example.com", ACME))

    report = sync(work, None, target_name="Applications")
    again = sync(work, None, target_name="Applications")

    assert report.calendar.endswith("/applications/")
    assert len(app.followups(report.calendar)) == len(report.created) > 0
    assert again.calendar == report.calendar and counts(again) == (0, 0, 0, 0, 0)
    info = app.request(
        "PROPFIND",
        report.calendar,
        data=b'<propfind xmlns="DAV:"><prop><displayname/></prop></propfind>',
        headers={"Depth": "0", "Content-Type": "text/xml"},
    )
    assert b"Applications" in info.content


def test_a_dry_run_of_a_prepared_sync_names_each_item(app: CalendarApp, password: str) -> None:
    work, target, objects = setup_calendars(app)
    with open_sessions() as sessions:
        prepared = prepare(request(work, target, dry_run=True), sessions)
    titles = {a.title for a in prepared.actions}
    assert titles == {f.title for f in expected_plan(list(objects.items())).followups}


def test_a_server_without_sync_tokens_is_listed_and_still_respected(
    app: CalendarApp, password: str
) -> None:
    app.server.without_sync_tokens = True
    work, target, objects = setup_calendars(app)
    sync(work, target)
    uid = next(iter(app.followups(target)))
    app.delete(app.url_of(target, uid))
    app.server.log.clear()

    report = sync(work, target)
    again = sync(work, target)

    assert [(k.uid, k.reason) for k in report.kept] == [(uid, "deleted")]
    assert counts(report)[:3] == (0, 0, 0) and counts(again)[:3] == (0, 0, 0)
    assert {e.method for e in app.server.log} == {"PROPFIND"}  # one ETag listing per calendar
    assert set(starts(app, target)) == set(planned(objects)) - {uid}


def test_an_interview_cancelled_in_the_calendar_app_loses_its_follow_ups(
    app: CalendarApp, password: str
) -> None:
    cancelled = interview("globex-1@example.com", GLOBEX, company="Globex", cancelled=True)

    objects, report = change(app, "globex", cancelled)

    assert starts(app, objects.pop("target")) == planned(objects)
    assert report.removed and not report.created and not report.updated


def test_a_second_round_replaces_the_first_rounds_waiting_steps(
    app: CalendarApp, password: str
) -> None:
    work, target, objects = setup_calendars(app)
    sync(work, target)
    second = interview("acme-2@example.com", ACME + timedelta(days=9), company="ACME")
    objects[app.add(work, "acme-2", second)] = second

    report = sync(work, target)

    assert starts(app, target) == planned(objects)
    first_round = {
        f.uid for f in expected_plan([(work + "acme.ics", objects[work + "acme.ics"])]).followups
    }
    assert {a.uid for a in report.removed} <= first_round and report.removed


def test_a_follow_ups_calendar_deleted_by_the_user_is_made_again(
    app: CalendarApp, password: str
) -> None:
    work = app.make_calendar("work")
    app.add(work, "acme", interview("acme-1@example.com", ACME))
    first = sync(work, None)
    assert app.request("DELETE", first.calendar).status_code in (200, 204)

    again = sync(work, None)

    assert again.calendar == first.calendar
    assert len(again.created) == len(first.created)
    assert set(app.followups(again.calendar)) == {a.uid for a in first.created}
