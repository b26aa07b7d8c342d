"""Calendar links go through the proxy HTTPS_PROXY / HTTP_PROXY name, unless NO_PROXY names
their host: a real proxy on loopback (tests/proxy_server.py) records what it was asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup.cli.main import main
from followup.engine.errors import ServerError, SourceError, UsageMistake
from followup.engine.sources.link import LinkAuth, origin, read_link
from tests.link_server import LinkServer, Served, link_server
from tests.mail_server import certificate
from tests.proxy_server import ProxyServer, proxy_server

ROOT = Path(__file__).resolve().parent.parent
CALENDAR = (ROOT / "examples" / "interviews.ics").read_bytes()
SECRET = "/calendar/ical/alice%40example.com/private-8f14e45fceea167a5a36dedd4bea2543/basic.ics"


@pytest.fixture
def proxy() -> Iterator[ProxyServer]:
    with proxy_server() as running:
        yield running


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with link_server() as running:
        running.routes[SECRET] = Served(CALENDAR)
        yield running


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LinkServer]:
    cert, key = certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trusted as a company's own CA would be
    with link_server(tls=(cert, key)) as running:
        running.routes[SECRET] = Served(CALENDAR)
        yield running


def test_an_http_link_is_asked_through_http_proxy(
    server: LinkServer, proxy: ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    copy = read_link(server.base + SECRET)
    assert copy.data == CALENDAR
    assert [(a.method, a.target, a.status) for a in proxy.asked] == [
        ("GET", server.base + SECRET, 200)
    ]
    assert len(server.requests(SECRET)) == 1  # and the proxy asked the server


def test_an_https_link_goes_through_a_connect_tunnel_of_https_proxy(
    tls_server: LinkServer, proxy: ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", proxy.url)  # lowercase, as curl and wget write it
    copy = read_link(tls_server.base + SECRET)
    assert copy.data == CALENDAR
    port = tls_server.base.rsplit(":", 1)[1]
    assert [(a.method, a.target) for a in proxy.asked] == [("CONNECT", f"127.0.0.1:{port}")]
    assert len(tls_server.requests(SECRET)) == 1


def test_no_proxy_naming_the_host_goes_straight_to_it(
    server: LinkServer, proxy: ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    assert read_link(server.base + SECRET).data == CALENDAR
    assert proxy.asked == []
    assert len(server.requests(SECRET)) == 1


def test_the_proxy_gets_its_own_password_and_never_the_links(
    tls_server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with proxy_server(password=("office", "s3cret")) as proxy:
        host = proxy.url.removeprefix("http://")
        monkeypatch.setenv("HTTPS_PROXY", f"http://office:s3cret@{host}")
        auth = LinkAuth("alice", "link-password", origin(tls_server.base))
        assert read_link(tls_server.base + SECRET, auth=auth).data == CALENDAR
    (connect,) = proxy.asked
    assert connect.headers["proxy-authorization"] == "Basic b2ZmaWNlOnMzY3JldA=="
    assert "authorization" not in connect.headers
    assert "link-password" not in str(connect.headers)
    # the link's password went to the server, inside the tunnel
    assert tls_server.requests(SECRET)[0].headers["authorization"].startswith("Basic ")


def test_a_links_password_is_not_sent_through_a_proxy_over_plain_http(
    server: LinkServer, proxy: ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    auth = LinkAuth("alice", "link-password", origin(server.base))
    with pytest.raises(SourceError) as caught:
        read_link(server.base + SECRET, auth=auth)
    assert "not sent through the proxy" in caught.value.message
    assert caught.value.hint == "use the link's https:// address, or name its host in NO_PROXY"
    assert proxy.asked == [] and server.seen == []


def test_a_proxy_that_wants_a_password_is_one_message_saying_so(
    tls_server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with proxy_server(password=("office", "s3cret")) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        with pytest.raises(ServerError) as caught:
            read_link(tls_server.base + SECRET)
    assert "through the proxy http://127.0.0.1:" in caught.value.message
    assert "407 Proxy Authentication Required" in caught.value.message
    assert tls_server.seen == []


def test_a_proxy_followup_cannot_speak_to_is_named(
    server: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(UsageMistake) as caught:
        read_link(server.base + SECRET)
    assert "HTTP_PROXY names a socks5:// proxy" in caught.value.message


def test_plan_from_a_link_goes_through_the_proxy(
    server: LinkServer, proxy: ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    result = CliRunner().invoke(
        main, ["plan", "--from", server.base + SECRET, "--now", "2026-11-30T08:00"]
    )
    assert result.exit_code == 0, result.output
    assert "Send Dana a thank-you email" in result.output
    assert [a.target for a in proxy.asked] == [server.base + SECRET]


def test_through_a_proxy_a_redirect_is_judged_by_the_address_it_names() -> None:
    from followup.engine.sources.link import LOCAL, LOOPBACK, PUBLIC, name_reach

    assert name_reach("localhost") == name_reach("127.0.0.1") == name_reach("::1") == LOOPBACK
    assert name_reach("10.1.2.3") == name_reach("192.168.1.20") == LOCAL
    assert name_reach("calendar.google.com") == PUBLIC  # the proxy looks the name up
