"""The compiled rules files in the user's cache folder, and ``load_rules``, which reads a
rules file through them (see ``RulesCache``)."""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from followup.engine.errors import WriteError
from followup.engine.installed import code_stamp

if TYPE_CHECKING:
    from followup.rules.model import RuleSet


def load_rules(path: str | Path | None = None, *, fresh: bool = False) -> RuleSet:
    """The rules in ``path``, or the shipped default policy.

    A rules file read before is taken from its compiled form in the cache folder
    (see ``RulesCache``): no YAML parsing, no test-rendering of every template.
    ``fresh`` reads and checks the file in full, as ``followup check`` does, and
    refreshes the compiled form.
    """
    from followup.rules.files import read_rules_text

    text, name = read_rules_text(path)
    slot = name if path is None else _absolute(Path(path))
    cache = RulesCache.here()
    if not fresh:
        known = cache.load(slot, text)
        if known is not None:
            return known
    from followup.rules.loader import parse_rules

    ruleset = parse_rules(text, name)
    cache.store(slot, text, ruleset)
    return ruleset


def _absolute(path: Path) -> str:
    """The same file by the same name from any folder (``--rules my.yaml`` in two places)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path)


MAX_CACHE_BYTES = 64_000_000
"""A compiled rules file is about the size of its source (at most 1 MB) with defaults filled in."""


CACHE_FORMAT = 3


class RulesCache:
    """Compiled rules files in the user's cache folder: one JSON file per rules file,
    holding the validated model's dump and the key it was made under.

    The key is the SHA-256 of the file's text, followup's version and the code stamp
    (``engine.installed.code_stamp``: followup's files and the libraries it plans with;
    the language may change between two commits of the same version), so an edited
    file, an upgrade or a change to the rules language reads the file again.
    The dump is data, never code. It is kept only when the model rebuilt from it without
    validating (``rules.trusted.rebuilt``: no pydantic schema is built for a warm run) is
    the validated one, keys set included, and with a digest of it under the key: a file
    that is damaged, foreign or stale is ignored and replaced. It is
    read and written as every file in followup's folders is (``engine.folders.read_own``,
    ``write_own``): a link or someone else's file at its name is never read or written
    through. Templates are kept as their source and compiled again by each run (about
    10 ms for the shipped rules): code read back from a file would run in every template,
    and no check of a file in a cache folder is worth that.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @classmethod
    def here(cls) -> RulesCache:
        """The cache under $FOLLOWUP_CACHE_DIR or the user's cache folder; none with
        FOLLOWUP_RULES_CACHE=off."""
        if os.environ.get("FOLLOWUP_RULES_CACHE", "").casefold() in {"off", "0", "no"}:
            return cls(None)
        from followup.engine.folders import user_folder

        return cls(user_folder("cache"))

    def path(self, name: str) -> Path | None:
        """One file per rules file (by its name), so edits replace rather than pile up."""
        if self.folder is None:
            return None
        slot = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        return self.folder / "rules" / f"{slot}.json"

    def load(self, name: str, text: str) -> RuleSet | None:
        """The compiled rules for this text, or None if there are none to trust."""
        path = self.path(name)
        if path is None:
            return None
        from followup.engine.folders import read_json_object

        data = read_json_object(path, limit=MAX_CACHE_BYTES)
        if data is None:
            return None
        key = _cache_key(text)
        rules = data.get("rules")
        if data.get("key") != key or data.get("digest") != _digest(key, rules):
            return None
        from followup.rules.model import RuleSet
        from followup.rules.trusted import rebuilt

        try:
            return rebuilt(RuleSet, rules)
        except (ValueError, TypeError):
            return None

    def store(self, name: str, text: str, ruleset: RuleSet) -> None:
        """Keep the compiled rules; a cache that cannot be written is no error."""
        path = self.path(name)
        if path is None:
            return
        from followup.rules.model import RuleSet
        from followup.rules.trusted import rebuilt, same_as

        # Only what the file set: a rule that does not say `unless` (or due, if, hours)
        # takes the default, and must still not say it when read back.
        dump = json.loads(
            json.dumps(ruleset.model_dump(mode="json", by_alias=True, exclude_unset=True))
        )
        key = _cache_key(text)
        digest = _digest(key, dump)
        from followup.engine.folders import read_json_object, write_own

        kept = read_json_object(path, limit=MAX_CACHE_BYTES)
        if (
            kept is not None
            and kept.get("key") == key
            and kept.get("digest") == digest == _digest(key, kept.get("rules"))
        ):
            return  # `followup check` again on the same file: the entry is this one, whole
        try:
            back = rebuilt(RuleSet, dump)
        except (ValueError, TypeError):
            return
        if not same_as(back, ruleset):
            return  # a value that does not survive the round trip is not cached
        data = {"format": CACHE_FORMAT, "key": key, "digest": digest, "name": name, "rules": dump}

        try:
            write_own(path, json.dumps(data, separators=(",", ":")).encode())
        except WriteError:  # e.g. a folder where the entry goes, or a folder not the user's
            return


def _digest(key: str, rules: object) -> str:
    """The digest of a kept dump under its key: an entry damaged after it was written
    (cut short, a value changed) is read again from the rules file, not rebuilt as is."""
    digest = hashlib.sha256(key.encode())
    digest.update(b"\x00")
    digest.update(
        json.dumps(rules, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8", "surrogateescape"
        )
    )
    return digest.hexdigest()


def _cache_key(text: str) -> str:
    digest = hashlib.sha256()
    for part in (str(CACHE_FORMAT), _version(), _code(), text):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\x00")
    return digest.hexdigest()


@cache
def _code() -> str:
    """The code stamp, taken once a process: the code that runs is the code that was loaded
    (and taking it stats every file, a few milliseconds, at every load)."""
    return code_stamp()


@cache
def _version() -> str:
    """followup's installed version, read from its metadata's Version line."""
    from followup.engine.installed import installed_version

    return installed_version("followup")
