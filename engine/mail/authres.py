"""Did the mail provider check the sender: Authentication-Results (RFC 8601), read in bounded work.

Anyone can put any address in From. The receiving provider checks SPF, DKIM
and DMARC when a message arrives and writes what it found in an
``Authentication-Results`` header at the top of the message (and, when it
seals, in ``ARC-Authentication-Results``). followup reads that verdict:

- **verified**: ``dmarc=pass``; or ``dkim=pass`` for a domain aligned with the
  From domain (the same, or one inside the other on a label boundary); or
  ``spf=pass`` for an aligned envelope sender (``smtp.mailfrom``).
- **failed**: ``dmarc=fail``, or a failed DKIM or SPF check with nothing
  aligned that passed.
- **unchecked**: no verdict from the provider at all, or only ``none``,
  ``neutral`` or temporary errors.

Only the provider's own header is read. A sender can write
Authentication-Results too, but below the provider's (headers are added at
the top): so the topmost one is taken, or, when ``authserv_id`` names the
provider (``mx.google.com``), the topmost one it wrote. Pure: text in, verdict out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MAX_RESULTS_HEADERS = 20
"""Authentication-Results headers of one message looked at (the provider's is among the first)."""
MAX_RESULTS_CHARS = 8192
"""Characters of one Authentication-Results header read; the rest is ignored."""
MAX_RESULTS = 50
"""Results (``method=result``) read from one header."""

Verdict = Literal["verified", "failed", "unchecked"]


@dataclass(frozen=True, slots=True)
class Result:
    """One ``method=result`` with its properties (``header.d``, ``smtp.mailfrom``, ...)."""

    method: str
    result: str
    properties: tuple[tuple[str, str], ...]

    def prop(self, name: str) -> str:
        return next((v for k, v in self.properties if k == name), "")


@dataclass(frozen=True, slots=True)
class SenderCheck:
    """The provider's verdict on a message's From address, and the results that gave it."""

    verdict: Verdict
    evidence: str
    """The results that decided, as the header wrote them ("dmarc=fail, spf=fail"), or why
    there are none."""


def strip_comments(text: str) -> str:
    """``text`` without its (nested) comments, quoted strings kept: one pass, linear."""
    out: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if depth == 0:
                out.append(ch)
            continue
        if quoted:
            quoted = ch != '"'
            out.append(ch)
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append(" ")
        elif depth == 0:
            quoted = ch == '"'
            out.append(ch)
    return "".join(out)


def _split(text: str) -> list[str]:
    """Split on ``;`` outside quoted strings (comments are gone already)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
            if len(parts) > MAX_RESULTS:
                return parts
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def parse_results(value: str) -> tuple[str, tuple[Result, ...]]:
    """An Authentication-Results value as (authserv-id, results).

    A header that starts with a result (Microsoft's do) has an empty authserv-id.
    What cannot be read is left out; ``none`` gives no results.
    """
    parts = _split(strip_comments(value[:MAX_RESULTS_CHARS]))
    first = parts[0].split()
    authserv = ""
    if first and "=" not in first[0]:
        authserv = first[0].strip('"').casefold().rstrip(".")
        parts = parts[1:]
    results: list[Result] = []
    for part in parts[:MAX_RESULTS]:
        words = part.split()
        if not words or "=" not in words[0]:
            continue
        method, _, result = words[0].partition("=")
        properties = []
        for word in words[1:]:
            name, equals, prop = word.partition("=")
            if equals and "." in name:
                properties.append((name.casefold(), prop.strip('"').casefold()))
        results.append(
            Result(method.split("/", 1)[0].casefold(), result.casefold(), tuple(properties))
        )
    return authserv, tuple(results)


def _arc_instance(value: str) -> tuple[int, str]:
    """ARC-Authentication-Results start with ``i=N;``: the instance and the rest."""
    head, _, rest = value[:MAX_RESULTS_CHARS].partition(";")
    name, _, number = head.strip().partition("=")
    if name.strip().casefold() == "i" and number.strip().isdigit() and len(number.strip()) < 4:
        return int(number.strip()), rest
    return 0, value


def within(domain: str, parent: str) -> bool:
    """``domain`` is ``parent`` or inside it, on a label boundary (never "notacme.com")."""
    return domain == parent or domain.endswith("." + parent)


def aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment without a public-suffix list: one domain inside the other, and the
    checked domain more than a top-level name."""
    domain = domain.strip().casefold().rstrip(".").lstrip("@")
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    if "." not in domain or not from_domain:
        return False
    return within(from_domain, domain) or within(domain, from_domain)


def _provider_results(
    results: Sequence[str], arc_results: Sequence[str], authserv_id: str | None
) -> tuple[str, tuple[Result, ...]] | None:
    """The provider's own header: the topmost (matching ``authserv_id`` when given), else the
    ARC-Authentication-Results of the highest instance; None when there is none."""
    wanted = (authserv_id or "").casefold().rstrip(".")
    for value in results[:MAX_RESULTS_HEADERS]:
        authserv, found = parse_results(value)
        if not wanted or within(authserv, wanted):
            return authserv, found
    best: tuple[int, str, tuple[Result, ...]] | None = None
    for value in arc_results[:MAX_RESULTS_HEADERS]:
        instance, rest = _arc_instance(value)
        authserv, found = parse_results(rest)
        if (not wanted or within(authserv, wanted)) and (best is None or instance > best[0]):
            best = (instance, authserv, found)
    return None if best is None else (best[1], best[2])


def check_sender(
    from_domain: str,
    results: Sequence[str],
    arc_results: Sequence[str] = (),
    *,
    authserv_id: str | None = None,
) -> SenderCheck:
    """The provider's verdict on a From domain, from the message's authentication headers
    (each as its unfolded value, in the order they appear, topmost first)."""
    provider = _provider_results(results, arc_results, authserv_id)
    if provider is None:
        named = f" from {authserv_id}" if authserv_id else ""
        return SenderCheck("unchecked", f"no Authentication-Results{named}")
    _authserv, found = provider
    from_domain = from_domain.casefold().rstrip(".")
    by_method: dict[str, list[Result]] = {}
    for result in found:
        by_method.setdefault(result.method, []).append(result)
    shown = ", ".join(f"{r.method}={r.result}" for r in found if r.method in SHOWN) or "none"
    for dmarc in by_method.get("dmarc", []):
        header_from = dmarc.prop("header.from")
        if header_from and not aligned(header_from, from_domain):
            continue
        if dmarc.result == "pass":
            return SenderCheck("verified", "dmarc=pass")
        if dmarc.result == "fail":
            return SenderCheck("failed", shown)
    for dkim in by_method.get("dkim", []):
        signer = dkim.prop("header.d") or dkim.prop("header.i")
        if dkim.result == "pass" and signer and aligned(signer, from_domain):
            return SenderCheck("verified", f"dkim=pass for {signer.lstrip('@')}")
    for spf in by_method.get("spf", []):
        envelope = spf.prop("smtp.mailfrom")
        if spf.result == "pass" and envelope and aligned(envelope, from_domain):
            return SenderCheck("verified", "spf=pass")
    failures = {"fail", "softfail", "permerror"}
    if any(r.result in failures for m in ("dkim", "spf") for r in by_method.get(m, [])):
        return SenderCheck("failed", shown)
    return SenderCheck("unchecked", shown)


SHOWN = ("spf", "dkim", "dmarc")
"""The methods named in a verdict's evidence."""
