"""Reading the provider's Authentication-Results (RFC 8601): pure, no server needed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.engine.mail.authres import (
    MAX_RESULTS,
    aligned,
    check_sender,
    parse_results,
    strip_comments,
)

GMAIL = (
    "mx.google.com; dkim=pass header.i=@acme.com header.s=s1 header.b=abc; "
    "spf=pass (google.com: domain of dana@acme.com designates 192.0.2.1 as permitted "
    "sender) smtp.mailfrom=dana@acme.com; dmarc=pass (p=REJECT sp=REJECT dis=NONE) "
    "header.from=acme.com"
)
MICROSOFT = (
    "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=acme.com; dkim=pass (signature was "
    "verified) header.d=acme.com;dmarc=pass action=none header.from=acme.com;compauth=pass "
    "reason=100"
)


def test_a_gmail_header_is_read_with_its_comments_left_out() -> None:
    authserv, results = parse_results(GMAIL)
    assert authserv == "mx.google.com"
    assert [(r.method, r.result) for r in results] == [
        ("dkim", "pass"),
        ("spf", "pass"),
        ("dmarc", "pass"),
    ]
    assert results[1].prop("smtp.mailfrom") == "dana@acme.com"
    assert results[2].prop("header.from") == "acme.com"


def test_a_microsoft_header_without_an_authserv_id_is_read_too() -> None:
    authserv, results = parse_results(MICROSOFT)
    assert authserv == ""
    assert [r.method for r in results] == ["spf", "dkim", "dmarc", "compauth"]
    assert check_sender("acme.com", [MICROSOFT]).verdict == "verified"


def test_nested_comments_and_quoted_semicolons_do_not_split_results() -> None:
    text = 'mx.example; dkim=pass (a (nested; comment) here) header.d="acme.com;x"; spf=fail'
    _, results = parse_results(text)
    assert [(r.method, r.result) for r in results] == [("dkim", "pass"), ("spf", "fail")]
    assert strip_comments("a (b (c) d) e") == "a   e"


@pytest.mark.parametrize(
    ("header", "verdict", "evidence"),
    [
        ("mx.p; dmarc=pass header.from=acme.com", "verified", "dmarc=pass"),
        ("mx.p; dkim=pass header.d=mail.acme.com", "verified", "dkim=pass for mail.acme.com"),
        ("mx.p; spf=pass smtp.mailfrom=bounce@acme.com", "verified", "spf=pass"),
        (
            "mx.p; spf=fail smtp.mailfrom=acme.com; dkim=none; dmarc=fail header.from=acme.com",
            "failed",
            "spf=fail, dkim=none, dmarc=fail",
        ),
        # Passing for someone else's domain is no evidence for acme.com.
        (
            "mx.p; dkim=pass header.d=sendgrid.net; spf=pass smtp.mailfrom=x@sendgrid.net; "
            "dmarc=fail header.from=acme.com",
            "failed",
            "dkim=pass, spf=pass, dmarc=fail",
        ),
        ("mx.p; dkim=pass header.d=notacme.com", "unchecked", "dkim=pass"),
        ("mx.p; dkim=pass header.d=com", "unchecked", "dkim=pass"),
        ("mx.p; spf=softfail smtp.mailfrom=acme.com", "failed", "spf=softfail"),
        ("mx.p; spf=neutral smtp.mailfrom=acme.com", "unchecked", "spf=neutral"),
        ("mx.p; none", "unchecked", "none"),
        # A DMARC result for another From domain is not about this message's.
        ("mx.p; dmarc=pass header.from=evil.net", "unchecked", "dmarc=pass"),
    ],
)
def test_the_verdict_for_acme_com(header: str, verdict: str, evidence: str) -> None:
    check = check_sender("acme.com", [header])
    assert (check.verdict, check.evidence) == (verdict, evidence)


def test_only_the_topmost_header_is_the_providers() -> None:
    """The provider writes its header above any the sender wrote."""
    forged_below = ["mx.p; dmarc=fail header.from=acme.com", "mx.p; dmarc=pass"]
    assert check_sender("acme.com", forged_below).verdict == "failed"


def test_with_an_authserv_id_headers_by_other_names_are_ignored() -> None:
    headers = ["mx.evil.net; dmarc=pass", "mx3.messagingengine.com; dmarc=fail"]
    assert check_sender("acme.com", headers, authserv_id="messagingengine.com").verdict == (
        "failed"
    )
    lonely = check_sender("acme.com", ["mx.evil.net; dmarc=pass"], authserv_id="mx.google.com")
    assert (lonely.verdict, lonely.evidence) == (
        "unchecked",
        "no Authentication-Results from mx.google.com",
    )


def test_without_authentication_results_the_latest_arc_instance_is_read() -> None:
    arc = ["i=1; mx.p; dmarc=fail header.from=acme.com", "i=2; mx.p; dmarc=pass"]
    assert check_sender("acme.com", [], arc).verdict == "verified"
    assert check_sender("acme.com", []).evidence == "no Authentication-Results"


@pytest.mark.parametrize(
    ("domain", "from_domain", "expected"),
    [
        ("acme.com", "acme.com", True),
        ("mail.acme.com", "acme.com", True),
        ("acme.com", "careers.acme.com", True),
        ("@acme.com", "acme.com", True),
        ("bounce@acme.com", "acme.com", True),
        ("notacme.com", "acme.com", False),
        ("acme.com.evil.net", "acme.com", False),
        ("com", "acme.com", False),
    ],
)
def test_alignment_is_on_label_boundaries(domain: str, from_domain: str, expected: bool) -> None:
    assert aligned(domain, from_domain) is expected


def test_a_header_of_a_million_parentheses_is_read_in_bounded_work() -> None:
    """Only MAX_RESULTS_CHARS of a header are looked at, each character once."""
    huge = "mx.p; dmarc=pass " + "(" * 1_000_000
    authserv, results = parse_results(huge)
    assert authserv == "mx.p" and [r.method for r in results] == ["dmarc"]
    many = "mx.p" + "; dkim=pass header.d=x.com" * 100_000
    assert len(parse_results(many)[1]) <= MAX_RESULTS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=40))
def test_any_text_gives_a_verdict_never_an_error(header: str, from_domain: str) -> None:
    check = check_sender(from_domain, [header], [header])
    assert check.verdict in ("verified", "failed", "unchecked")
