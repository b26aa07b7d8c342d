"""A ZIP's central directory is bounded before the standard zipfile walks it.

The archives are made byte by byte (a directory of entries and an end record, as a
hostile archive is made): zipfile makes an object per entry and reads extra
fields in quadratic time, so the bounds must hold before it starts. Each run is
``followup plan`` in a new process, whose peak memory is read from the system.
"""

from __future__ import annotations

import struct
from pathlib import Path

from followup.engine.sources.archive import MAX_EXTRA, MAX_MEMBERS
from tests.conftest import ROOT
from tests.peak_memory import followup_with_peak

NOW = "2026-11-30T08:00"


def entry(name: bytes, extra: bytes = b"") -> bytes:
    """One central directory entry (46 bytes, the name and the extra field)."""
    head = struct.pack(
        "<4s6H3I5HII",
        b"PK\x01\x02",
        20,
        20,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        len(name),
        len(extra),
        0,
        0,
        0,
        0,
        0,
    )
    return head + name + extra


def archive(directory: bytes, count: int, *, zip64: bool = False) -> bytes:
    """A first file's header, the directory and its end record (and a ZIP64 end record
    when asked)."""
    out = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    out += directory
    if zip64:
        record = struct.pack(
            "<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), 0
        )
        locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, len(directory), 1)
        out += record + locator
        count = 0xFFFF
    return out + struct.pack(
        "<4s4H2IH",
        b"PK\x05\x06",
        0,
        0,
        min(count, 0xFFFF),
        min(count, 0xFFFF),
        len(directory),
        0,
        0,
    )


def plan(path: Path) -> tuple[int, str, int]:
    """Exit code, standard error and peak memory (kB) of ``followup plan --from path``."""
    return followup_with_peak(["plan", "--from", str(path), "--now", NOW], ROOT)


def test_an_archive_of_980000_entries_is_refused_from_its_end_record(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    path.write_bytes(archive(entry(b"a") * 980_000, 980_000, zip64=True))
    code, err, peak = plan(path)
    assert code == 4, err
    assert f"980000 files in the archive; followup reads at most {MAX_MEMBERS}" in err
    assert "Traceback" not in err
    assert peak < 250_000  # kB: the file's 45 MB and Python, never an object per entry


def test_an_end_record_that_understates_the_entries_is_caught_by_the_walk(tmp_path: Path) -> None:
    path = tmp_path / "lies.zip"
    path.write_bytes(archive(entry(b"a.ics") * 80_000, 10))
    code, err, peak = plan(path)
    assert code == 4, err
    assert f"more than {MAX_MEMBERS} files in the archive" in err
    assert peak < 250_000


def test_a_directory_too_big_for_any_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.zip"
    padding = b"\x99\x99\x00\x00" * (65_532 // 4)  # 16,383 empty extra fields
    path.write_bytes(archive(entry(b"a.ics", padding) * 750, 750))
    code, err, _ = plan(path)
    assert code == 4, err
    assert "the archive's list of files takes" in err


def test_an_entry_with_a_long_extra_field_is_refused_before_zipfile_reads_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "slow.zip"
    padding = b"\x99\x99\x00\x00" * (65_532 // 4)
    path.write_bytes(archive(entry(b"a.ics", padding) * 60, 60))
    code, err, _ = plan(path)
    assert code == 4, err
    assert f"followup reads archives with at most {MAX_EXTRA:,}" in err
