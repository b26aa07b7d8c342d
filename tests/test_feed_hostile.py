"""The feed server against hostile clients: DNS rebinding through the Host header, a crowd
of clients trickling their headers, a token file others can read, and stopping while
requests finish."""

from __future__ import annotations

import os
import signal
import socket
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from followup.engine.feed.server import (
    FeedApp,
    FeedServer,
    accepted_hosts,
    load_or_create_token,
    protect_token_file,
)
from tests.feed_support import NOW, ControlledInputs, cache_for, fetch, serving, site
from tests.test_serve_cli import EXAMPLE, started

NOW_TEXT = "2026-12-01T08:00"


@pytest.fixture
def inputs() -> ControlledInputs:
    return ControlledInputs({"a": "Follow up with ACME"})


@contextmanager
def loopback_feed(inputs: ControlledInputs, **server: float) -> Iterator[str]:
    """A feed on 127.0.0.1 without a token, as ``followup serve`` sets it up."""
    hosts = accepted_hosts("127.0.0.1", None, None)
    app = FeedApp(cache_for(inputs), site(hosts=hosts), clock=lambda: NOW)
    feed = FeedServer(app, host="127.0.0.1", port=0, threads=4, **server)  # type: ignore[arg-type]
    thread = threading.Thread(target=feed.run, daemon=True)
    thread.start()
    try:
        yield feed.url
    finally:
        feed.close()
        thread.join(timeout=10)
        assert not thread.is_alive()


# -- DNS rebinding ----------------------------------------------------------------------------


def test_a_name_pointed_at_loopback_by_someone_else_gets_421_and_no_agenda(
    inputs: ControlledInputs,
) -> None:
    with loopback_feed(inputs) as url:
        port = url.rsplit(":", 1)[1]
        for path in ("/", "/calendar.ics"):
            answer = fetch(url + path, headers={"Host": f"rebind.attacker.example:{port}"})
            assert answer.status == 421
            assert b"ACME" not in answer.body and b"attacker" not in answer.body


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_the_loopback_names_are_answered(inputs: ControlledInputs, name: str) -> None:
    with loopback_feed(inputs) as url:
        port = url.rsplit(":", 1)[1]
        page = fetch(url + "/", headers={"Host": f"{name}:{port}"})
        assert page.status == 200
        assert f"{name}:{port}/calendar.ics" in page.body.decode()


@pytest.mark.parametrize("header", ["a b", "x\ty", "[::1", "evil.example:80:80", ""])
def test_a_malformed_host_header_gets_400(inputs: ControlledInputs, header: str) -> None:
    with loopback_feed(inputs) as url:
        assert fetch(url + "/", headers={"Host": header}).status == 400


def test_with_a_token_or_a_public_url_any_name_is_answered() -> None:
    assert accepted_hosts("127.0.0.1", "t" * 32, None) is None
    assert accepted_hosts("0.0.0.0", "t" * 32, "https://cal.example.org") is None
    names = accepted_hosts("::1", None, "https://Cal.Example.org:8443/feed")
    assert names is not None and {"[::1]", "cal.example.org", "localhost"} <= names


def test_the_serve_command_refuses_other_names_on_loopback(tmp_path: Path) -> None:
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW_TEXT) as server:
        page = server.link("Page:")
        port = page.rstrip("/").rsplit(":", 1)[1]
        assert fetch(page, headers={"Host": f"rebind.example:{port}"}).status == 421
        assert fetch(page).status == 200


# -- slow clients -------------------------------------------------------------------------------


def trickler(url: str, stop: threading.Event, opened: list[socket.socket]) -> None:
    """A client that opens a connection and sends a header line a byte at a time."""
    host, port = url.removeprefix("http://").split(":")
    try:
        sock = socket.create_connection((host, int(port)), timeout=5)
    except OSError:
        return
    opened.append(sock)
    with sock, suppress(OSError):
        sock.sendall(b"GET /calendar.ics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for byte in b"X-Slow: " + b"a" * 10_000:
            if stop.wait(0.3):
                return
            sock.sendall(bytes([byte]))


def test_a_crowd_of_clients_trickling_headers_does_not_keep_a_normal_request_out(
    inputs: ControlledInputs,
) -> None:
    stop = threading.Event()
    opened: list[socket.socket] = []
    with loopback_feed(inputs, header_deadline=120) as url:  # only the cap can help here
        crowd = [
            threading.Thread(target=trickler, args=(url, stop, opened), daemon=True)
            for _ in range(300)  # more than waitress's default connection limit (100)
        ]
        try:
            for client in crowd:
                client.start()
            for client in crowd:
                client.join(timeout=0.05)
            assert len(opened) > 100
            answer = fetch(url + "/calendar.ics")  # a 10 s client timeout: a hang fails
            assert answer.status == 200 and b"ACME" in answer.body
        finally:
            stop.set()
            for client in crowd:
                client.join(timeout=5)


def test_a_client_that_trickles_its_headers_is_hung_up_on_at_the_deadline(
    inputs: ControlledInputs,
) -> None:
    with loopback_feed(inputs, header_deadline=1.0) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b"GET /calendar.ics HTTP/1.1\r\n")
            closed = False
            for _ in range(100):  # a byte every 0.1 s, for up to 10 s
                try:
                    sock.sendall(b"X")
                    sock.settimeout(0.1)
                    if sock.recv(1) == b"":
                        closed = True
                        break
                except TimeoutError:
                    continue
                except OSError:
                    closed = True
                    break
            assert closed


# -- the token file ----------------------------------------------------------------------------


def test_a_token_file_others_can_read_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "feed-token"
    token, _ = load_or_create_token(path)
    os.chmod(path, 0o644)

    note = protect_token_file(path)

    assert note is not None and "now only you can read it" in note
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token(path) == (token, False)
    assert protect_token_file(path) is None


def test_serve_says_when_it_made_the_token_file_private(tmp_path: Path) -> None:
    path = tmp_path / "config" / "followup" / "feed-token"
    path.parent.mkdir(parents=True)
    path.write_text("a" * 32 + "\n")
    os.chmod(path, 0o644)
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW_TEXT, "--private") as server:
        assert "a" * 32 in server.link("Page:")
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)
        assert server.process.stderr is not None
        assert "now only you can read it" in server.process.stderr.read()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# -- stopping ----------------------------------------------------------------------------------


def test_stopping_while_answers_wake_the_loop_never_fails(inputs: ControlledInputs) -> None:
    """Each finished answer wakes the server's loop through the same pipe that stopping
    closes; stopping right after requests, many times over, must never write to it closed."""
    app = FeedApp(cache_for(inputs), site(), clock=lambda: NOW)
    statuses: list[int] = []

    def ask(url: str) -> None:
        statuses.append(fetch(url + "/calendar.ics").status)

    for _ in range(40):
        with serving(app) as url:  # and serving() checks that the server stopped
            requests = [threading.Thread(target=ask, args=(url,)) for _ in range(3)]
            for request in requests:
                request.start()
            for request in requests:
                request.join(timeout=10)
                assert not request.is_alive()
    # Every request was answered; a failure in a server thread fails the test (pyproject.toml).
    assert statuses == [200] * 120


def test_closing_twice_or_before_running_is_harmless(inputs: ControlledInputs) -> None:
    app = FeedApp(cache_for(inputs), site(), clock=lambda: NOW)
    server = FeedServer(app, host="127.0.0.1", port=0)
    server.close()
    server.close()
    server.run()  # returns at once: it was closed


def test_two_stop_signals_in_a_row_stop_the_server_cleanly(tmp_path: Path) -> None:
    with started(tmp_path, "--from", str(EXAMPLE), "--now", NOW_TEXT) as server:
        server.process.send_signal(signal.SIGTERM)
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=30) == 0
    assert server.process.stderr is not None
    assert "Traceback" not in server.process.stderr.read()
    assert "Stopped." in server.output
