"""Timezones and public holidays by name: what a rules file may name, and the tables behind them.

The rules loader validates names with these lookups, and the planner computes
with the same tables, so both live here at the bottom of the layers (``rules``
imports nothing from ``engine``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_zone_name() -> str:
    """This machine's IANA zone name (TZ, then /etc/localtime), or UTC."""
    env = os.environ.get("TZ", "").lstrip(":")
    if (env and "/" in env) or env == "UTC":
        return env
    try:
        link = Path("/etc/localtime").resolve()
        parts = link.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    timezone_file = Path("/etc/timezone")
    if timezone_file.exists():
        name = timezone_file.read_text().strip()
        if name:
            return name
    return "UTC"


@lru_cache(maxsize=64)
def resolve_zone(name: str) -> ZoneInfo:
    """An IANA zone by name ('local' for this machine's); ValueError names a bad one."""
    zone_name = local_zone_name() if name == "local" else name
    try:
        return ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {name!r}; use an IANA name such as 'Europe/Berlin' or "
            "'America/New_York'"
        ) from None


@lru_cache(maxsize=32)
def holiday_calendar(country: str, subdivision: str | None = None) -> Callable[[date], str | None]:
    """A lookup date -> holiday name for a country (and region), from the holidays package."""
    import holidays as holidays_lib

    try:
        table = holidays_lib.country_holidays(country.upper(), subdiv=subdivision)
        # Names in English where the country has them, whatever the machine's locale,
        # so explanations read the same everywhere.
        if "en_US" in getattr(table, "supported_languages", ()):
            table = holidays_lib.country_holidays(
                country.upper(), subdiv=subdivision, language="en_US"
            )
    except (NotImplementedError, KeyError):
        raise ValueError(
            f"no public holidays known for country {country!r}"
            + (f" and region {subdivision!r}" if subdivision else "")
            + "; use an ISO code such as 'DE', 'US' or 'GB'"
        ) from None

    def lookup(day: date) -> str | None:
        name = table.get(day)
        return str(name) if name else None

    return lookup


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (the schema's list)."""
    from zoneinfo import available_timezones

    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def holiday_countries() -> tuple[str, ...]:
    """The country codes the holidays package has tables for, sorted."""
    import holidays as holidays_lib

    return tuple(sorted(holidays_lib.list_supported_countries()))
