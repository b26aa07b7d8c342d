"""The sync planner on its own (no server): its rules, and properties it keeps under any history."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from followup.engine.caldav.syncplan import (
    MANY_CREATES,
    Action,
    Create,
    Delete,
    Desired,
    Keep,
    RefusedFlood,
    RefusedRemoval,
    Remote,
    TargetState,
    Update,
    diff,
    href_for,
    settle,
)
from followup.engine.model import Window

COLLECTION = "/cal/"
UIDS = [f"{n:02d}-step@followup" for n in range(6)]
WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def want(uid: str, version: str = "v1") -> Desired:
    return Desired(uid, version.encode(), version, f"step {uid}", WHEN)


def there(uid: str, version: str = "v1", **changes: object) -> Remote:
    item = Remote(
        href=href_for(COLLECTION, uid),
        etag='"1"',
        uid=uid,
        fingerprint=version,
        stamped=version,
        title=f"step {uid}",
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def plan(*args: object, **kwargs: object) -> list[Action]:
    return diff(*args, collection=COLLECTION, **kwargs)  # type: ignore[arg-type, misc]


def test_a_new_follow_up_is_created_at_an_address_named_after_its_uid() -> None:
    assert plan([want(UIDS[0])], [], TargetState()) == [
        Create(UIDS[0], "/cal/00-step@followup.ics", b"v1", f"step {UIDS[0]}")
    ]


def test_an_unchanged_item_whose_plan_changed_is_updated_over_the_version_read() -> None:
    actions = plan([want(UIDS[0], "v2")], [there(UIDS[0])], TargetState())
    assert actions == [Update(UIDS[0], there(UIDS[0]).href, '"1"', b"v2", f"step {UIDS[0]}")]


def test_an_item_the_user_changed_is_kept_whatever_the_plan_says() -> None:
    edited = there(UIDS[0], fingerprint="theirs")
    completed = there(UIDS[1], fingerprint="done", completed=True)
    cancelled = there(UIDS[2], fingerprint="no", cancelled=True)
    actions = plan([want(UIDS[0], "v2")], [edited, completed, cancelled], TargetState())
    assert [(a.uid, a.reason) for a in actions if isinstance(a, Keep)] == [
        (UIDS[0], "edited"),
        (UIDS[1], "completed"),
        (UIDS[2], "dismissed"),
    ]
    assert all(isinstance(a, Keep) for a in actions)


def test_a_deleted_item_is_recorded_only_when_the_listing_proves_it() -> None:
    state = TargetState(known={UIDS[0]: href_for(COLLECTION, UIDS[0])})
    seen = plan([want(UIDS[0])], [], state, deletions_seen=True)
    unsure = plan([want(UIDS[0])], [], state, deletions_seen=False)
    assert seen == [Keep(UIDS[0], None, "deleted", f"step {UIDS[0]}")]
    assert [type(a) for a in unsure] == [Create]


def test_an_item_of_an_interview_outside_the_window_is_not_removed() -> None:
    window = Window(datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
    old = there(UIDS[0], interview_start=datetime(2026, 9, 1, tzinfo=UTC))
    recent = there(UIDS[1], interview_start=datetime(2026, 11, 20, tzinfo=UTC))
    assert plan([], [old, recent], TargetState(), scope=window) == [
        Delete(UIDS[1], recent.href, '"1"', f"step {UIDS[1]}")
    ]


def test_removing_every_follow_up_with_nothing_in_their_place_is_refused() -> None:
    with pytest.raises(RefusedRemoval) as refused:
        plan([], [there(UIDS[0]), there(UIDS[1])], TargetState())
    assert refused.value.removed == 2 and refused.value.exit_code == 7
    with pytest.raises(RefusedRemoval) as refused:
        plan([], [there(UIDS[0])], TargetState())  # one follow-up is a calendar too
    assert refused.value.removed == 1
    assert len(plan([], [there(UIDS[0])], TargetState(), force=True)) == 1
    assert plan([want(UIDS[2])], [there(UIDS[0])], TargetState())  # a replacement: allowed


def test_a_plan_that_would_flood_the_calendar_is_refused_without_force() -> None:
    """An interview series repeating every hour makes thousands of follow-ups: refused like
    emptying the calendar; a first sync of a real job search (hundreds) goes through."""
    flood = [want(f"{n:05d}-step@followup") for n in range(MANY_CREATES + 1)]
    with pytest.raises(RefusedFlood) as refused:
        plan(flood, [there(UIDS[0])], TargetState())
    assert refused.value.created == MANY_CREATES + 1 and refused.value.exit_code == 7
    assert len(plan(flood, [there(UIDS[0])], TargetState(), force=True)) == MANY_CREATES + 2
    assert len(plan(flood[:MANY_CREATES], [], TargetState())) == MANY_CREATES
    held = [there(f"{n:05d}-old@followup") for n in range(MANY_CREATES // 10 + 1)]
    assert plan(flood, held, TargetState(), scope=None, force=False)  # ten-fold at most: fine


def test_a_second_copy_of_an_item_is_removed_and_the_one_at_home_kept() -> None:
    home = there(UIDS[0])
    stray = there(UIDS[0], href="/cal/elsewhere.ics")
    assert plan([want(UIDS[0])], [stray, home], TargetState()) == [
        Delete(UIDS[0], "/cal/elsewhere.ics", '"1"', f"step {UIDS[0]}")
    ]


def test_a_second_copy_the_user_edited_is_kept_beside_the_one_at_home() -> None:
    home = there(UIDS[0])
    edited = there(UIDS[0], href="/cal/elsewhere.ics", fingerprint="theirs")
    assert plan([want(UIDS[0])], [edited, home], TargetState()) == [
        Keep(UIDS[0], "/cal/elsewhere.ics", "edited", f"step {UIDS[0]}")
    ]
    assert plan([], [edited, home], TargetState(), force=True) == [
        Keep(UIDS[0], "/cal/elsewhere.ics", "edited", f"step {UIDS[0]}"),
        Delete(UIDS[0], home.href, '"1"', f"step {UIDS[0]}"),
    ]


def test_after_a_second_copy_is_removed_the_one_kept_is_still_known_and_its_deletion_honoured() -> (
    None
):
    home = there(UIDS[0])
    stray = there(UIDS[0], href="/cal/elsewhere.ics")
    actions = plan([want(UIDS[0])], [home, stray], TargetState())
    state = settle(TargetState(), [home, stray], actions, today=date(2026, 12, 1))
    assert dict(state.known) == {UIDS[0]: home.href}
    assert plan([want(UIDS[0])], [], state) == [Keep(UIDS[0], None, "deleted", f"step {UIDS[0]}")]


def test_an_item_imported_from_an_ics_file_is_adopted_when_it_matches() -> None:
    imported = there(UIDS[0], stamped=None)
    assert plan([want(UIDS[0])], [imported], TargetState()) == []
    assert plan([want(UIDS[0], "v2")], [imported], TargetState()) == [
        Keep(UIDS[0], imported.href, "edited", f"step {UIDS[0]}")
    ]


def test_a_deleted_follow_up_is_forgotten_after_a_long_while() -> None:
    state = TargetState(dismissed={UIDS[0]: "2025-01-01", UIDS[1]: "2026-11-01"})
    after = settle(state, [], [], today=date(2026, 12, 1))
    assert dict(after.dismissed) == {UIDS[1]: "2026-11-01"}


# -- a calendar in memory, a user, and followup, in any order --------------------------------


@dataclass
class Stored:
    uid: str
    content: str
    stamped: str | None
    completed: bool = False
    etag: int = 1
    interview_start: datetime | None = None


WINDOW = Window(datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 11, 1, tzinfo=UTC))
OLD_INTERVIEW = datetime(2026, 9, 1, tzinfo=UTC)
RECENT_INTERVIEW = datetime(2026, 11, 20, tzinfo=UTC)


def interview_start(uid: str) -> datetime:
    """Half the follow-ups belong to an interview that has aged out of the window."""
    return OLD_INTERVIEW if UIDS.index(uid) % 2 else RECENT_INTERVIEW


class SyncHistory(RuleBasedStateMachine):
    """followup and a user take turns on one calendar; every sync must settle it."""

    def __init__(self) -> None:
        super().__init__()
        self.calendar: dict[str, Stored] = {}
        self.state = TargetState()
        self.desired: dict[str, Desired] = {}
        self.users_own: dict[str, Stored] = {}
        self.changed_by_user: dict[str, Stored] = {}
        self.deleted_by_user: set[str] = set()

    def remote(self) -> list[Remote]:
        return [
            Remote(
                href,
                f'"{s.etag}"',
                s.uid,
                s.content,
                s.stamped,
                s.uid,
                completed=s.completed,
                interview_start=s.interview_start,
            )
            for href, s in self.calendar.items()
            if s.uid.endswith("@followup")
        ]

    def ours(self) -> list[str]:
        return sorted(h for h, s in self.calendar.items() if s.uid.endswith("@followup"))

    @rule(
        uids=st.sets(st.sampled_from(UIDS)),
        version=st.sampled_from(["v1", "v2", "v3"]),
    )
    def plan_changes(self, uids: set[str], version: str) -> None:
        self.desired = {uid: want(uid, version) for uid in uids}

    @rule(number=st.integers(0, 3))
    def user_adds_their_own_event(self, number: int) -> None:
        item = Stored(f"own-{number}@example.com", "mine", None)
        self.calendar[f"/cal/own-{number}.ics"] = item
        self.users_own[f"/cal/own-{number}.ics"] = item

    @precondition(lambda self: bool(self.ours()))
    @rule(data=st.data(), number=st.integers(0, 2))
    def another_client_copies_a_follow_up(self, data: st.DataObject, number: int) -> None:
        """A second copy of an item at another address (a crash, a restore, another client)."""
        href = data.draw(st.sampled_from(self.ours()))
        copy = f"/cal/copy-{number}.ics"
        if copy not in self.calendar:
            self.calendar[copy] = replace(self.calendar[href], etag=1)
            if href in self.changed_by_user:
                self.changed_by_user[copy] = self.calendar[copy]

    @precondition(lambda self: bool(self.ours()))
    @rule(data=st.data(), how=st.sampled_from(["edit", "complete", "delete"]))
    def user_touches_a_follow_up(self, data: st.DataObject, how: str) -> None:
        href = data.draw(st.sampled_from(self.ours()))
        item = self.calendar[href]
        if how == "delete":
            del self.calendar[href]
            self.changed_by_user.pop(href, None)
            if all(s.uid != item.uid for s in self.calendar.values()):
                self.deleted_by_user.add(item.uid)
            return
        item.content = "user:" + how
        item.completed = how == "complete"
        item.etag += 1
        self.changed_by_user[href] = item

    @rule(force=st.booleans(), scoped=st.booleans(), deletions_seen=st.booleans())
    def followup_syncs(self, force: bool, scoped: bool, deletions_seen: bool) -> None:
        """A sync; ``deletions_seen`` False as after an expired sync token, ``scoped`` with
        the planning window (out of which nothing is removed)."""
        before_user = {h: (s.content, s.etag) for h, s in self.users_own.items()}
        before_edits = {h: (s.content, s.etag) for h, s in self.changed_by_user.items()}
        had_ours = bool(self.ours())
        scope = WINDOW if scoped else None
        try:
            actions = diff(
                self.desired.values(),
                self.remote(),
                self.state,
                collection=COLLECTION,
                scope=scope,
                deletions_seen=deletions_seen,
                force=force,
            )
        except RefusedRemoval:
            assert not force
            return
        remote = self.remote()
        self.apply(actions, deletions_seen=deletions_seen)
        self.state = settle(self.state, remote, actions, today=date(2026, 12, 1))
        again = diff(
            self.desired.values(),
            self.remote(),
            self.state,
            collection=COLLECTION,
            scope=scope,
            force=True,
        )
        assert [a for a in again if not isinstance(a, Keep)] == []
        assert {h: (s.content, s.etag) for h, s in self.users_own.items()} == before_user
        edits = {h: (s.content, s.etag) for h, s in self.changed_by_user.items()}
        assert edits == before_edits, "a copy the user changed was written or removed"
        assert force or not had_ours or self.ours(), "the calendar was emptied without --force"
        unedited = [s.uid for h, s in self.calendar.items() if h not in self.changed_by_user]
        assert len(unedited) == len(set(unedited)), "two unedited copies of a follow-up"

    def apply(self, actions: list[Action], *, deletions_seen: bool) -> None:
        for action in actions:
            if isinstance(action, Keep):
                continue
            assert action.href not in self.users_own, "followup wrote to the user's own event"
            assert action.href not in self.changed_by_user, "followup overwrote the user's change"
            if isinstance(action, Create):
                if deletions_seen:
                    assert action.uid not in self.deleted_by_user, "a deleted follow-up came back"
                self.deleted_by_user.discard(action.uid)  # unproven deletions: re-created
                content = action.data.decode()
                self.calendar[action.href] = Stored(
                    action.uid, content, content, interview_start=interview_start(action.uid)
                )
            elif isinstance(action, Update):
                item = self.calendar[action.href]
                assert action.etag == f'"{item.etag}"'
                item.content = item.stamped = action.data.decode()
                item.etag += 1
            else:
                del self.calendar[action.href]


SyncHistory.TestCase.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)
test_any_history_of_syncs_and_user_changes_settles = SyncHistory.TestCase
