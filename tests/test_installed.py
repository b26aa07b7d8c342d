"""The installed version of a distribution, read without importlib.metadata."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

from followup.engine.installed import installed_version


@pytest.mark.parametrize("name", ["followup", "click", "icalendar", "Jinja2", "ruamel.yaml"])
def test_an_installed_distribution_has_the_version_importlib_metadata_reads(name: str) -> None:
    assert installed_version(name) == importlib.metadata.version(name)


def test_a_distribution_not_installed_has_an_unknown_version() -> None:
    assert installed_version("no-such-distribution-here") == "unknown"


def test_the_first_folder_on_the_path_holding_the_distribution_gives_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, version in ((first, "2.0"), (second, "1.0")):
        info = folder / f"some_thing-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: some-thing\nVersion: {version}\n\nVersion: 9\n",
            encoding="utf-8",
        )
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(first), str(second)])
    assert installed_version("Some.Thing") == "2.0"
