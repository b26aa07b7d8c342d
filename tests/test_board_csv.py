"""The board's CSV as a spreadsheet reads it: LibreOffice Calc, headless, converts it to a
flat OpenDocument spreadsheet, and the test reads back each cell's type and value."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.test_board import CLOSED, HOSTILE, OPEN, ok, run, with_answers

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

# Comma, double quote, UTF-8 (76), from line 1, default columns, English (1033),
# quoted fields not forced to text, special numbers (dates) detected: a user's defaults.
CSV_FILTER = "CSV:44,34,76,1,,1033,false,true"

Cell = tuple[str | None, str]
"""(value type, value): ("date", "2026-11-24"), ("float", "13"), ("string", "Cobalt")."""


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return with_answers(tmp_path)


def spreadsheet(csv: Path, tmp_path: Path) -> list[list[Cell]]:
    """The rows LibreOffice reads from ``csv``, each cell as its type and value."""
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            f"--infilter={CSV_FILTER}",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path / "out"),
            str(csv),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    tree = ET.parse(tmp_path / "out" / (csv.stem + ".fods"))
    rows: list[list[Cell]] = []
    for row in tree.iter(f"{TABLE}table-row"):
        cells: list[Cell] = []
        for cell in row.findall(f"{TABLE}table-cell"):
            assert cell.get(f"{TABLE}formula") is None, "no cell may become a formula"
            kind = cell.get(f"{OFFICE}value-type")
            value = cell.get(f"{OFFICE}date-value") or cell.get(f"{OFFICE}value")
            text = "".join(cell.itertext()).strip()
            repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
            cells.extend([(kind, value or text)] * min(repeat, 10))
        rows.append(cells[:10])
    return [row for row in rows if any(kind for kind, _ in row)]


def test_libreoffice_reads_the_columns_the_dates_and_the_numbers_of_the_csv(
    rules: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "applications.csv"
    csv.write_bytes(ok(run(rules, "status", "--csv", "--all")).stdout_bytes)
    rows = spreadsheet(csv, tmp_path)
    assert [value for _, value in rows[0]] == [
        "company",
        "role",
        "stage",
        "rounds",
        "latest_round",
        "recruiter",
        "last_contact",
        "days_since_contact",
        "next_step",
        "next_date",
    ]
    assert len(rows) == 1 + len(OPEN) + len(CLOSED)
    assert [row[0][1] for row in rows[1:]] == [
        "'" + HOSTILE if name == HOSTILE else name for name, _ in OPEN + CLOSED
    ]
    assert [row[2][1] for row in rows[1:]] == [stage for _, stage in OPEN + CLOSED]
    cobalt = rows[1]
    assert cobalt == [
        ("string", "Cobalt"),
        ("string", "SRE"),
        ("string", "check-in due"),
        ("date", "2026-11-24"),
        ("string", "Cobalt phone screen"),
        ("string", "Cara Lin"),
        ("date", "2026-11-24"),
        ("float", "13"),
        ("string", "Check in with Cobalt about your application"),
        ("date", "2026-12-04T09:00:00"),
    ]
    harbor = rows[2]
    assert harbor[3] == ("string", "2026-11-10 2026-11-20")  # two rounds, one cell
    assert harbor[6] == ("date", "2026-12-02")
    # The company named like a formula stays text, and so does a role with a comma in quotes.
    pine = rows[1 + [name for name, _ in OPEN].index(HOSTILE)]
    assert pine[0] == ("string", "'" + HOSTILE)
    assert pine[1] == ("string", '"Lead", Data')
    assert pine[9] == ("date", "2026-12-28T09:00:00")
