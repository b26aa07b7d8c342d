"""Gather the public test calendars of other calendar readers, from package registries only.

Each source below is a pinned release of a project whose published package
carries its test calendars: an sdist from PyPI (``pip download``), a tarball
from the npm registry (``npm pack``) or a Debian source package
(``apt-get source --download-only``, with a private apt state built from the
machine's own ``deb`` lines). Every ``.ics`` inside is copied to a cache
folder outside the repository, and ``manifest.json`` there records where
each file came from.

Usage: ``python tests/corpus/fetch.py [--cache DIR]``; prints the manifest's
path. The cache defaults to ``$FOLLOWUP_CORPUS`` or
``$XDG_CACHE_HOME/followup/corpus`` (``~/.cache/followup/corpus``); archives
already there are not downloaded again, and an archive whose SHA-256 differs
from its pin is refused.

``manifest.json``::

    {
      "sources": [{"id", "registry", "package", "version", "archive", "sha256",
                   "licence", "project"}],
      "files": [{"file": "<path relative to the cache>", "source": "<id>",
                 "path": "<path inside the archive>", "bytes": N, "sha256": "..."}],
      "unavailable": [{"project", "why"}]
    }

Projects whose test calendars no reachable registry publishes are listed
under ``unavailable``, with the reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    id: str
    project: str
    registry: str  # "pypi", "npm" or "debian"
    package: str
    version: str
    archive: str  # the file name the registry's client saves
    sha256: str
    licence: str
    skip: tuple[str, ...] = ()  # folders inside the archive left out


SOURCES = (
    Source(
        "icalendar",
        "icalendar",
        "pypi",
        "icalendar",
        "7.3.2",
        "icalendar-7.3.2.tar.gz",
        "f15380927aed4318860e001c03b543c48578c73aec46e2d384c5d0802082b808",
        "BSD-2-Clause",
    ),
    Source(
        "recurring-ical-events",
        "recurring-ical-events",
        "pypi",
        "recurring-ical-events",
        "3.8.2",
        "recurring_ical_events-3.8.2.tar.gz",
        "e731af31d0b7dec5cd47a1defacd8549e2f36fab1c1995e8b9f042822a0acf8e",
        "LGPL-3.0-or-later",
    ),
    Source(
        "vobject",
        "vobject",
        "pypi",
        "vobject",
        "0.9.8",  # 0.9.9's sdist cannot prepare its metadata, so pip cannot download it
        "vobject-0.9.8.tar.gz",
        "db00a7f4db49397155dd8a6871e8a2a0175a6eba5a654c30e910f82b29514b58",
        "Apache-2.0",
    ),
    Source(
        "khal",
        "khal",
        "pypi",
        "khal",
        "0.14.1",
        "khal-0.14.1.tar.gz",
        "2b51679d80662b2d65e757c509813bd72b496043d789839bfd970f0026da687d",
        "MIT",
    ),
    Source(
        "ical-npm",
        "node-ical (its calendars come from ical, the package it was forked from)",
        "npm",
        "ical",
        "0.8.0",
        "ical-0.8.0.tgz",
        "d81b62635d8a0a0a90a337163ebf42c5fb2eb9292db40ccacfbd575b875d1f54",
        "Apache-2.0",
    ),
    Source(
        "libical",
        "libical",
        "debian",
        "libical3",
        "3.0.16-1",
        "libical3_3.0.16.orig.tar.gz",
        "b44705dd71ca4538c86fb16248483ab4b48978524fb1da5097bd76aa2e0f0c33",
        "MPL-2.0 OR LGPL-2.1-only",
        # 595 files of one VTIMEZONE each: time zone data, not calendars.
        skip=("zoneinfo/",),
    ),
)

UNAVAILABLE = (
    ("ical.js", "its npm package ships no test calendars (checked 1.2.2, 1.5.0, 2.2.1)"),
    ("node-ical", "its npm package ships no test calendars (checked 0.10.0 to 0.27.2)"),
    ("ical (allenporter)", "its PyPI sdist ships no test calendars (checked 4.0.0, 14.3.1)"),
    ("x-wr-timezone", "its PyPI sdist ships no test calendars; Debian's source is not served"),
    ("ical4j", "published on Maven Central only, which is not reachable; not in Debian"),
    ("ical.net", "published on NuGet only, which is not reachable; not in Debian"),
)


def default_cache() -> Path:
    if os.environ.get("FOLLOWUP_CORPUS"):
        return Path(os.environ["FOLLOWUP_CORPUS"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "followup" / "corpus"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"{' '.join(command)} failed: {' / '.join(tail)}")


def _download_pypi(source: Source, folder: Path) -> None:
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"{source.package}=={source.version}",
            "-d",
            str(folder),
        ],
        folder,
    )


def _download_npm(source: Source, folder: Path) -> None:
    _run(["npm", "pack", "--silent", f"{source.package}@{source.version}"], folder)


def _deb_src_lines() -> list[str]:
    """The machine's own Debian archives as ``deb-src`` lines (deb822 and one-line formats)."""
    lines: list[str] = []
    folder = Path("/etc/apt/sources.list.d")
    for path in sorted(folder.glob("*.sources")) if folder.is_dir() else []:
        for stanza in path.read_text().split("\n\n"):
            fields: dict[str, str] = {}
            for line in stanza.splitlines():
                if ":" in line and not line.startswith(("#", " ")):
                    key, value = line.split(":", 1)
                    fields[key.strip().lower()] = value.strip()
            if "deb" not in fields.get("types", "").split():
                continue
            for uri in fields.get("uris", "").split():
                for suite in fields.get("suites", "").split():
                    lines.append(f"deb-src {uri} {suite} {fields.get('components', 'main')}")
    for path in [Path("/etc/apt/sources.list"), *sorted(folder.glob("*.list"))]:
        if path.is_file():
            for line in path.read_text().splitlines():
                if line.strip().startswith("deb "):
                    lines.append("deb-src " + line.strip()[4:])
    return lines


def _download_debian(source: Source, folder: Path, cache: Path) -> None:
    apt = cache / "apt"
    for sub in ("lists/partial", "cache/archives/partial"):
        (apt / sub).mkdir(parents=True, exist_ok=True)
    (apt / "sources.list").write_text("\n".join(_deb_src_lines()) + "\n")
    options = [
        "-o",
        f"Dir::Etc::SourceList={apt / 'sources.list'}",
        "-o",
        "Dir::Etc::SourceParts=/dev/null",
        "-o",
        f"Dir::State::Lists={apt / 'lists'}",
        "-o",
        f"Dir::Cache={apt / 'cache'}",
        "-o",
        "APT::Sandbox::User=root",
    ]
    if not any((apt / "lists").glob("*Sources*")):
        _run(["apt-get", *options, "-qq", "update"], folder)
    # The Debian packaging (.debian.tar.xz) is not needed and may be missing;
    # only the upstream tarball must arrive.
    subprocess.run(
        [
            "apt-get",
            *options,
            "-qq",
            "source",
            "--download-only",
            f"{source.package}={source.version}",
        ],
        cwd=folder,
        capture_output=True,
        timeout=900,
    )


def _archive(source: Source, cache: Path) -> Path:
    folder = cache / "archives"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / source.archive
    if not path.exists():
        if source.registry == "pypi":
            _download_pypi(source, folder)
        elif source.registry == "npm":
            _download_npm(source, folder)
        else:
            _download_debian(source, folder, cache)
        if not path.exists():
            raise RuntimeError(f"{source.id}: the registry gave no {source.archive}")
    digest = _sha256(path)
    if digest != source.sha256:
        raise RuntimeError(
            f"{source.id}: {source.archive} has SHA-256 {digest}, pinned {source.sha256}"
        )
    return path


def _extract(source: Source, archive: Path, cache: Path) -> list[dict[str, object]]:
    target = cache / "files" / source.id
    if target.exists():
        shutil.rmtree(target)
    files: list[dict[str, object]] = []
    with tarfile.open(archive) as tar:
        for member in tar:
            if not member.isfile() or not member.name.lower().endswith(".ics"):
                continue
            inner = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if any(inner.startswith(skipped) or f"/{skipped}" in inner for skipped in source.skip):
                continue
            stream = tar.extractfile(member)
            if stream is None:
                continue
            data = stream.read()
            out = target / inner
            if ".." in Path(inner).parts:
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            files.append(
                {
                    "file": str(out.relative_to(cache)),
                    "source": source.id,
                    "path": member.name,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
    return files


def fetch(cache: Path) -> Path:
    """Download (once) and extract every source; write and return ``manifest.json``."""
    cache.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, list[dict[str, object]]] = {"sources": [], "files": [], "unavailable": []}
    for source in SOURCES:
        archive = _archive(source, cache)
        manifest["sources"].append(
            {
                "id": source.id,
                "project": source.project,
                "registry": source.registry,
                "package": source.package,
                "version": source.version,
                "archive": source.archive,
                "sha256": source.sha256,
                "licence": source.licence,
            }
        )
        manifest["files"].extend(_extract(source, archive, cache))
    manifest["unavailable"] = [{"project": p, "why": why} for p, why in UNAVAILABLE]
    path = cache / "manifest.json"
    path.write_text(json.dumps(manifest, indent=1) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=default_cache())
    args = parser.parse_args()
    path = fetch(args.cache)
    count = len(json.loads(path.read_text())["files"])
    print(f"{count} calendars; manifest: {path}")


if __name__ == "__main__":
    main()
