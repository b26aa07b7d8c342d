"""The IMAP edge: one TLS connection, read-only, headers only, bounded in time and size.

Built on IMAPClient, which parses IMAP's answers (FETCH structures, SEARCH
results, UIDVALIDITY) into Python values and speaks XOAUTH2; imaplib would
leave that parsing to us. Every folder is opened with EXAMINE (read-only),
messages are read with ``BODY.PEEK[HEADER.FIELDS (...)]<0.N>``, which never
sets \\Seen and asks for at most ``MAX_HEADER_BYTES`` of them, and no command
that changes anything (STORE, COPY, EXPUNGE, APPEND) is ever sent.

The server is not trusted to be fast, small or well-formed:

- the whole session, connecting and logging out included, has one deadline
  (``deadline`` in [mail]): a server that sends one byte every half second
  never trips the read timeout, so a timer shuts the socket when it passes,
  as the link reader does;
- a literal larger than ``MAX_LITERAL`` is refused before it is read, and
  one answer may not bring more than ``MAX_ANSWER`` bytes (lines included);
- an answer that cannot be read (``[UIDVALIDITY abc]``, ``* SEARCH -1``)
  is one message.

Every problem becomes one ``ServerError``.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from followup.engine.errors import ServerError
from followup.engine.mail.replies import HEADER_FIELDS, MAX_HEADER_BYTES, Message, parse_message

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from followup.engine.config import MailSettings

FETCH_BATCH = 500
"""Messages asked for in one FETCH."""

HEADER_ITEM = f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]<0.{MAX_HEADER_BYTES}>"

MAX_LITERAL = 1024 * 1024
"""The largest literal read from the server. followup asks for at most 64 KB of headers a
message, so anything bigger is a server that does not answer what was asked."""
MAX_ANSWER = 64 * 1024 * 1024
"""Bytes one answer may bring, lines and literals together (a FETCH of 500 messages' headers
is at most 33 MB)."""
MAX_LINE = 1_000_000
"""The longest line read (a SEARCH answer of 100,000 UIDs is 700 KB)."""
MAX_UID = 2**32 - 1
"""UIDs and UIDVALIDITY are 32-bit numbers (RFC 3501)."""


class SessionOver(OSError):
    """The session's deadline passed, or the server sent more than followup reads."""


class Wire:
    """What the session may still receive and for how long; shuts the socket when over."""

    def __init__(self, host: str, deadline: float) -> None:
        self.host = host
        self.deadline = deadline
        self.expired = threading.Event()
        self.refused: str | None = None
        """Why the server's answer was refused (too large), once it was."""
        self.received = 0
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(deadline, self._cut_off)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.cancel()
        if self._sock is not None:
            self._sock.close()

    def watch(self, sock: socket.socket) -> None:
        """Cut ``sock``'s connection off at the deadline. A duplicate of it is kept: TLS
        takes the socket object over, and shutting down any descriptor of a connection
        ends it for all."""
        self._sock = sock.dup()
        if self.expired.is_set():
            self._shut()

    @property
    def broken(self) -> bool:
        """The connection is no longer in step with the server: hang up, say nothing more."""
        return self.expired.is_set() or self.refused is not None

    def _cut_off(self) -> None:
        self.expired.set()
        self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def command_sent(self) -> None:
        self.received = 0

    def take(self, size: int, what: str) -> None:
        """Count ``size`` bytes about to be read; refuse them when over a bound."""
        if self.expired.is_set():
            raise SessionOver("deadline")
        if what == "literal" and size > MAX_LITERAL:
            self.refused = (
                f"{self.host} sent {size:,} bytes where followup asked for a message's "
                f"headers (at most {MAX_LITERAL // 1024 // 1024} MB is read in one piece)"
            )
        elif self.received + size > MAX_ANSWER:
            self.refused = (
                f"{self.host} sent more than {MAX_ANSWER // 1024 // 1024} MB in one answer"
            )
        if self.refused is not None:
            self._shut()
            raise SessionOver(self.refused)
        self.received += size

    def error(self, otherwise: str, hint: str | None = None) -> ServerError:
        """The message for a session that ended: because of the wire if it did, else
        ``otherwise``."""
        if self.refused is not None:
            return ServerError(
                f"{self.refused}; stopped, nothing recorded",
                hint="the mail server is misbehaving; tell its administrator, or look for "
                "the reply yourself and use followup mark",
            )
        if self.expired.is_set():
            return ServerError(
                f"{self.host} took more than {self.deadline:g} s for the mail check; "
                "stopped, nothing recorded",
                hint="the server is too slow or stuck; the next run looks again "
                "(deadline in [mail] allows more)",
            )
        return ServerError(otherwise, hint=hint)


def _client(settings: MailSettings, context: ssl.SSLContext, wire: Wire) -> IMAPClient:
    """An IMAPClient whose connection counts every read against the ``Wire``'s bounds."""
    from imapclient import IMAPClient
    from imapclient.tls import IMAP4_TLS, wrap_socket

    class BoundedIMAP4(IMAP4_TLS):  # type: ignore[misc]  # untyped library
        def _create_socket(self, timeout: float | None = None) -> socket.socket:
            sock = socket.create_connection((self.host, self.port), timeout=settings.timeout)
            wire.watch(sock)  # the TLS handshake is within the deadline too
            wrapped: socket.socket = wrap_socket(sock, self.ssl_context, self.host)
            return wrapped

        def read(self, size: int) -> bytes:
            wire.take(size, "literal")
            data: bytes = self.file.read(size)
            return data

        def readline(self) -> bytes:
            wire.take(0, "line")
            line: bytes = self.file.readline(MAX_LINE + 1)
            wire.take(len(line), "line")
            if len(line) > MAX_LINE:
                raise self.error(f"a line longer than {MAX_LINE:,} bytes")
            return line

        def send(self, data: bytes) -> None:
            wire.command_sent()
            super().send(data)

    class BoundedClient(IMAPClient):  # type: ignore[misc]
        def _create_IMAP4(self) -> BoundedIMAP4:
            return BoundedIMAP4(self.host, self.port, self.ssl_context, settings.timeout)

    return BoundedClient(
        settings.host, port=settings.port, ssl=True, ssl_context=context, timeout=settings.timeout
    )


@dataclass(frozen=True, slots=True)
class Folder:
    """An examined folder: its UIDVALIDITY (ids are only comparable while it holds) and
    the UID the next message will get."""

    name: str
    uidvalidity: int
    uidnext: int


class MailSession:
    """A logged-in, read-only IMAP session."""

    def __init__(
        self, client: IMAPClient, host: str, wire: Wire, authserv_id: str | None = None
    ) -> None:
        self._client = client
        self._wire = wire
        self._authserv_id = authserv_id
        self.host = host
        self.commands = 0
        """IMAP commands sent after logging in (for --json and the tests)."""

    def examine(self, name: str) -> Folder:
        what = f"EXAMINE {name}"
        info = self._call(lambda: self._client.select_folder(name, readonly=True), what)
        # A folder without a UIDVALIDITY (0) is searched in full every time.
        validity = _number(info, b"UIDVALIDITY", self.host, what)
        uidnext = _number(info, b"UIDNEXT", self.host, what)
        return Folder(name, validity, uidnext)

    def search(self, criteria: list[Any]) -> list[int]:
        found = self._call(lambda: self._client.search(criteria), "SEARCH")
        uids = sorted(int(uid) for uid in found if isinstance(uid, int))
        if len(uids) != len(found) or any(not 0 < uid <= MAX_UID for uid in uids):
            raise _malformed(self.host, "SEARCH", "a UID that is not a 32-bit number")
        return uids

    def headers(self, uids: Sequence[int]) -> list[Message]:
        messages: list[Message] = []
        for start in range(0, len(uids), FETCH_BATCH):
            batch = list(uids[start : start + FETCH_BATCH])
            answer = self._call(
                lambda batch=batch: self._client.fetch(batch, [HEADER_ITEM, "INTERNALDATE"]),
                "FETCH",
            )
            for uid, data in answer.items():
                if not isinstance(uid, int) or not isinstance(data, dict):
                    raise _malformed(self.host, "FETCH", "a message without its UID")
                header = next(
                    (v for k, v in data.items() if bytes(k).startswith(b"BODY[HEADER")), b""
                )
                internal = data.get(b"INTERNALDATE")
                messages.append(
                    parse_message(
                        uid,
                        header if isinstance(header, bytes) else b"",
                        internal if isinstance(internal, datetime) else None,
                        authserv_id=self._authserv_id,
                    )
                )
        return messages

    def _call(self, action: Any, what: str) -> Any:
        self.commands += 1
        try:
            return action()
        except answer_errors() as err:
            raise self._failure(err, what) from None

    def _failure(self, err: BaseException, what: str) -> ServerError:
        if self._wire.broken or not _unreadable(err):
            return self._wire.error(f"{self.host}: {what} failed: {_reason(err)}")
        return _malformed(self.host, what)


def _unreadable(err: BaseException) -> bool:
    """An answer that is not IMAP, as opposed to a connection that failed or a refusal."""
    from imapclient.exceptions import ProtocolError

    return isinstance(err, ProtocolError) or not isinstance(err, OSError | _imap_error())


def _imap_error() -> type[Exception]:
    import imaplib

    return imaplib.IMAP4.error


def _number(info: dict[bytes, Any], key: bytes, host: str, what: str) -> int:
    value = info.get(key, 0)
    if isinstance(value, int) and 0 <= value <= MAX_UID:
        return value
    raise _malformed(host, what, f"a {key.decode()} that is not a 32-bit number")


def _malformed(host: str, what: str, found: str = "") -> ServerError:
    detail = f" ({found})" if found else ""
    return ServerError(
        f"{host}: the answer to {what} is not valid IMAP{detail}; stopped, nothing recorded",
        hint="the mail server is misbehaving; tell its administrator",
    )


@contextmanager
def connect(settings: MailSettings) -> Iterator[MailSession]:
    """Log in to the mail server over TLS; one ``ServerError`` for every way it can fail,
    and one deadline for all of it."""
    context = ssl.create_default_context(cafile=settings.ca_file)
    if not settings.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    wire = Wire(settings.host, settings.deadline)
    wire.start()
    try:
        with _session(settings, context, wire) as session:
            yield session
    finally:
        wire.stop()


@contextmanager
def _session(settings: MailSettings, context: ssl.SSLContext, wire: Wire) -> Iterator[MailSession]:
    from imapclient.exceptions import LoginError

    host = settings.host
    try:
        client = _client(settings, context, wire)
    except ssl.SSLCertVerificationError as err:
        raise ServerError(
            f"{host}'s certificate could not be verified ({err.verify_message})",
            hint="check the host name; for a server with its own certificate authority set "
            "ca_file in [mail]",
        ) from None
    except answer_errors() as err:
        if not wire.broken and (_unreadable(err) or isinstance(err, _imap_error())):
            raise ServerError(
                f"{host}:{settings.port} does not answer as an IMAP server: {_reason(err)}",
                hint="check host and port in [mail] (IMAP over TLS is usually port 993)",
            ) from None
        raise wire.error(
            f"cannot reach the mail server {host}:{settings.port}: {_reason(err)}",
            hint="check host and port in [mail] (IMAP over TLS is usually port 993)",
        ) from None
    try:
        try:
            if settings.oauth2_token is not None:
                client.oauth2_login(settings.username, settings.oauth2_token)
            else:
                client.login(settings.username, settings.password or "")
        except LoginError as err:
            if wire.broken:
                raise wire.error(str(err)) from None
            if settings.oauth2_token is not None:
                raise ServerError(
                    f"{host} refused the OAuth2 access token for {settings.username}",
                    hint="the token from oauth2_command in [mail] may have expired or be for "
                    "another account: check that the command prints a fresh access token for "
                    "username",
                ) from None
            raise ServerError(
                f"{host} refused the user name or password for {settings.username}",
                hint="check username in [mail] and the password command",
            ) from None
        except answer_errors() as err:
            raise wire.error(f"{host}: logging in failed: {_reason(err)}") from None
        yield MailSession(client, host, wire, settings.authserv_id)
    finally:
        if wire.broken:
            with contextlib.suppress(*answer_errors()):
                client.shutdown()
        else:
            try:
                client.logout()
            except answer_errors():
                with contextlib.suppress(*answer_errors()):
                    client.shutdown()


def answer_errors() -> tuple[type[Exception], ...]:
    """What reading a server's answer can raise: each becomes one message, never a traceback."""
    return (
        OSError,  # socket errors, ssl.SSLError, SessionOver
        _imap_error(),  # imaplib's and IMAPClient's own (LoginError, ProtocolError...)
        ValueError,  # IMAPClient's parser, numbers that are not numbers, bad encodings
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
    )


def _reason(err: BaseException) -> str:
    if isinstance(err, socket.timeout | TimeoutError):
        return "no answer within the timeout"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, socket.gaierror):
        return "unknown host"
    text = str(err).strip()
    return text[:200] if text else type(err).__name__
