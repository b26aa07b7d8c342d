"""--from is parsed once into a Source; a kind of source is one module and one table line."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.sources import KINDS, Source, parse, reach
from tests import memory_source
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "interviews.ics"
NOW = "2026-11-30T08:00"


def plan(source: str) -> bytes:
    result = CliRunner().invoke(main, ["plan", "--from", source, "--now", NOW])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_in_the_table_is_a_source_of_that_kind(kind: str) -> None:
    module, _, name = KINDS[kind].partition(":")
    found = getattr(importlib.import_module(module), name)
    assert issubclass(found, Source)
    assert found.kind == kind


def test_a_new_source_is_one_module_and_one_line_in_the_table(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path
) -> None:
    monkeypatch.setitem(memory_source.CALENDARS, "interviews", EXAMPLE.read_bytes())
    monkeypatch.setitem(KINDS, "memory", "tests.memory_source:Memory")

    assert reach("memory://interviews") == "remote"
    source = parse("memory://interviews")
    assert source.kind == "memory" and source.shown == "memory://interviews"
    assert plan("memory://interviews") == plan(str(EXAMPLE))


def test_a_kind_not_in_the_table_is_a_file_name(isolated_home: Path) -> None:
    assert reach("memory://interviews") == "file"
    assert parse("memory://interviews").kind == "file"
    result = CliRunner().invoke(main, ["plan", "--from", "memory://interviews", "--now", NOW])
    assert isinstance(result.exception, SystemExit) and result.exit_code != 0  # a message
    assert "no such file" in result.output


@pytest.mark.parametrize(
    ("spec", "where", "kind"),
    [
        ("-", "stdin", "stdin"),
        ("calendar.ics", "file", "file"),
        ("webcal://example.org/cal", "remote", "link"),
        ("https://example.org/basic.ics", "remote", "link"),
    ],
)
def test_the_from_value_says_where_and_what_it_is(
    spec: str, where: str, kind: str, isolated_home: Path
) -> None:
    assert reach(spec) == where
    assert parse(spec).kind == kind
