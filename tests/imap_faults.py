"""A misbehaving IMAP server: the faults are injected here, at the server, not in followup.

It speaks IMAP over TLS on 127.0.0.1 (port 0, a certificate made with openssl)
just well enough for followup to get to the point where it misbehaves, and
answers one small mailbox honestly otherwise:

- ``dribble``: every answer, the greeting first, one byte every half second
  (for at most ``dribble_for`` seconds, then it hangs up); ``dribble-tls``:
  the same for every byte of the connection, the TLS handshake's first;
- ``huge-literal``: the FETCH of headers answered with a literal of
  ``literal_size`` bytes, streamed (at most ``literal_sent`` of them);
- ``bad-uidvalidity``, ``bad-uidnext``: EXAMINE answers ``[UIDVALIDITY abc]``;
- ``bad-search``: ``* SEARCH -1``; ``bad-uid``: a UID beyond 32 bits; ``bad-fetch``: a FETCH answer that is not a list; ``bad-greeting``: a
  greeting that is not IMAP; ``long-answer``: endless untagged lines.

Not a real server (Dovecot is, in tests/mail_server.py): it exists because a
real one cannot be made to misbehave.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tests.mail_server import certificate

Fault = Literal[
    "none",
    "dribble",
    "dribble-tls",
    "huge-literal",
    "bad-uidvalidity",
    "bad-uidnext",
    "bad-search",
    "bad-uid",
    "bad-fetch",
    "bad-greeting",
    "long-answer",
]
FAULTS: tuple[Fault, ...] = (
    "dribble",
    "dribble-tls",
    "huge-literal",
    "bad-uidvalidity",
    "bad-uidnext",
    "bad-search",
    "bad-uid",
    "bad-fetch",
    "bad-greeting",
    "long-answer",
)

REPLY = (
    b"Authentication-Results: mx.test.example; dkim=pass header.d=acme.example; "
    b"spf=pass smtp.mailfrom=acme.example; dmarc=pass header.from=acme.example\r\n"
    b"From: Dana Smith <dana@acme.example>\r\nSubject: Re: Thank you\r\n"
    b"Date: Wed, 25 Nov 2026 16:00:00 +0100\r\nMessage-ID: <reply@acme.example>\r\n\r\n"
)
"""The one message of the honest mailbox: the recruiter's verified reply."""


@dataclass
class FaultyServer:
    port: int
    cert: Path
    commands: list[str] = field(default_factory=list)
    """The command names received, in order (LOGIN, EXAMINE, UID SEARCH, ...)."""
    sent: list[int] = field(default_factory=list)
    """Bytes of the huge literal actually sent, per connection."""
    gave_up: list[bool] = field(default_factory=list)
    """Per dribbling connection: whether the server dribbled for all of ``dribble_for``
    (False: the client hung up, or the test ended, first)."""


@contextlib.contextmanager
def faulty_imap(
    fault: Fault,
    *,
    literal_size: int = 400_000_000,
    literal_sent: int = 8 * 1024 * 1024,
    dribble_for: float = 30.0,
    messages: int = 1,
) -> Iterator[FaultyServer]:
    """Serve ``fault`` until the block ends; ``messages`` copies of REPLY otherwise."""
    folder = Path(tempfile.mkdtemp(prefix="followup-imap-faults-"))
    cert, key = certificate(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    server = FaultyServer(listener.getsockname()[1], cert)
    stop = threading.Event()
    workers: list[threading.Thread] = []

    def dribble_tls(raw: socket.socket) -> None:
        """Serve honestly on one end of a socket pair; pass the client's bytes in at once and
        the server's out one every half second."""
        inner, outer = socket.socketpair()
        worker = threading.Thread(target=serve, args=(inner, "none"), daemon=True)
        worker.start()
        until = time.monotonic() + dribble_for

        hung_up = threading.Event()

        def inward() -> None:
            with contextlib.suppress(OSError):
                while chunk := raw.recv(4096):
                    outer.sendall(chunk)
            hung_up.set()

        threading.Thread(target=inward, daemon=True).start()
        try:
            outer.settimeout(1)
            while not stop.is_set() and not hung_up.is_set() and time.monotonic() < until:
                try:
                    byte = outer.recv(1)
                except TimeoutError:
                    continue
                if not byte:
                    break
                raw.sendall(byte)
                time.sleep(0.5)
        except OSError:
            hung_up.set()
        finally:
            server.gave_up.append(time.monotonic() >= until)
            for end in (raw, outer, inner):
                end.close()

    def serve(raw: socket.socket, mode: Fault = fault) -> None:
        if mode == "dribble-tls":
            dribble_tls(raw)
            return
        try:
            with context.wrap_socket(raw, server_side=True) as tls:
                tls.settimeout(60)
                Session(tls, mode, server, stop, literal_size, literal_sent, dribble_for).run(
                    messages
                )
        except (OSError, ssl.SSLError):
            pass  # the client hung up: what a misbehaving server deserves

    def accept() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=serve, args=(raw,), daemon=True)
            worker.start()
            workers.append(worker)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
        for worker in workers:
            worker.join(timeout=5)
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


COMMAND = re.compile(rb"^(\S+) (UID \S+|\S+)")


class Session:
    """One connection: read a command line, answer it (with the fault where it belongs)."""

    def __init__(
        self,
        tls: ssl.SSLSocket,
        fault: Fault,
        server: FaultyServer,
        stop: threading.Event,
        literal_size: int,
        literal_sent: int,
        dribble_for: float,
    ) -> None:
        self.tls = tls
        self.fault = fault
        self.server = server
        self.stop = stop
        self.literal_size = literal_size
        self.literal_sent = literal_sent
        self.dribble_until = time.monotonic() + dribble_for
        self.buffer = b""

    def send(self, data: bytes) -> None:
        if self.fault != "dribble":
            self.tls.sendall(data)
            return
        for byte in data:
            if self.stop.is_set() or time.monotonic() > self.dribble_until:
                self.server.gave_up.append(time.monotonic() > self.dribble_until)
                raise OSError("dribbled long enough")
            try:
                self.tls.sendall(bytes([byte]))
            except OSError:
                self.server.gave_up.append(False)  # the client hung up first
                raise
            time.sleep(0.5)

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.tls.recv(4096)
            if not chunk:
                raise OSError("closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def run(self, messages: int) -> None:
        if self.fault == "bad-greeting":
            self.send(b"HELLO this is not IMAP\r\n")
            self.line()
            return
        self.send(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] followup's faulty test server\r\n")
        while not self.stop.is_set():
            found = COMMAND.match(self.line())
            if found is None:
                continue
            tag, name = found.group(1), found.group(2).decode().upper()
            self.server.commands.append(name)
            if name == "LOGOUT":
                self.send(b"* BYE\r\n" + tag + b" OK bye\r\n")
                return
            self.send(self.answer(name, messages) + tag + b" OK done\r\n")

    def answer(self, name: str, messages: int) -> bytes:
        if name == "CAPABILITY":
            return b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n"
        if name in ("EXAMINE", "SELECT"):
            validity = b"abc" if self.fault == "bad-uidvalidity" else b"7"
            uidnext = b"x1" if self.fault == "bad-uidnext" else str(messages + 1).encode()
            return (
                f"* {messages} EXISTS\r\n* 0 RECENT\r\n".encode()
                + b"* OK [UIDVALIDITY " + validity + b"] UIDs valid\r\n"
                + b"* OK [UIDNEXT " + uidnext + b"] next\r\n"
                + b"* FLAGS (\\Seen)\r\n"
            )  # fmt: skip
        if name == "UID SEARCH":
            if self.fault == "bad-search":
                return b"* SEARCH -1\r\n"
            if self.fault == "bad-uid":
                return b"* SEARCH 1 4294967296\r\n"
            if self.fault == "long-answer":
                self.endless()
            return (
                b"* SEARCH " + b" ".join(str(n).encode() for n in range(1, messages + 1)) + b"\r\n"
            )
        if name == "UID FETCH":
            if self.fault == "huge-literal":
                self.huge_literal()
            if self.fault == "bad-fetch":
                return b"* 1 FETCH UID 1\r\n"
            date = b'"25-Nov-2026 16:00:00 +0100"'
            return b"".join(
                f"* {n} FETCH (UID {n} INTERNALDATE ".encode()
                + date
                + f" BODY[HEADER.FIELDS (FROM)]<0> {{{len(REPLY)}}}\r\n".encode()
                + REPLY
                + b")\r\n"
                for n in range(1, messages + 1)
            )
        return b""

    def huge_literal(self) -> None:
        """Announce ``literal_size`` bytes of headers and stream them until told to stop."""
        self.send(
            f"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)]<0> {{{self.literal_size}}}\r\n".encode()
        )
        chunk = b"X-Filler: " + b"x" * (64 * 1024 - 12) + b"\r\n"
        sent = 0
        try:
            while sent < min(self.literal_size, self.literal_sent) and not self.stop.is_set():
                self.tls.sendall(chunk)
                sent += len(chunk)
        finally:
            self.server.sent.append(sent)
        raise OSError("the literal was cut short on purpose")

    def endless(self) -> None:
        """Untagged lines for ever, until the client hangs up."""
        line = b"* OK " + b"y" * 1000 + b"\r\n"
        while not self.stop.is_set():
            self.tls.sendall(line * 64)
