"""The IMAP edge: one TLS connection, read-only, headers only.

Built on IMAPClient, which parses IMAP's answers (FETCH structures, SEARCH
results, UIDVALIDITY) into Python values and speaks XOAUTH2; imaplib would
leave that parsing to us. Every folder is opened with EXAMINE (read-only),
messages are read with ``BODY.PEEK[HEADER.FIELDS (...)]``, which never sets
\\Seen, and no command that changes anything (STORE, COPY, EXPUNGE, APPEND)
is ever sent. Every problem becomes one ``ServerError``.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from engine.errors import ServerError
from engine.mail.replies import HEADER_FIELDS, Message, parse_message

if TYPE_CHECKING:
    from imapclient import IMAPClient

    from engine.config import MailSettings

FETCH_BATCH = 500
"""Messages asked for in one FETCH."""

HEADER_ITEM = "BODY.PEEK[HEADER.FIELDS (" + " ".join(HEADER_FIELDS) + ")]"


@dataclass(frozen=True, slots=True)
class Folder:
    """An examined folder: its UIDVALIDITY (ids are only comparable while it holds) and
    the UID the next message will get."""

    name: str
    uidvalidity: int
    uidnext: int


class MailSession:
    """A logged-in, read-only IMAP session."""

    def __init__(self, client: IMAPClient, host: str) -> None:
        self._client = client
        self.host = host
        self.commands = 0
        """IMAP commands sent after logging in (for --json and the tests)."""

    def examine(self, name: str) -> Folder:
        info = self._call(lambda: self._client.select_folder(name, readonly=True), name)
        validity = int(info.get(b"UIDVALIDITY", 0))
        uidnext = int(info.get(b"UIDNEXT", 0))
        return Folder(name, validity, uidnext)

    def search(self, criteria: list[Any]) -> list[int]:
        found = self._call(lambda: self._client.search(criteria), "SEARCH")
        return sorted(int(uid) for uid in found)

    def headers(self, uids: Sequence[int]) -> list[Message]:
        messages: list[Message] = []
        for start in range(0, len(uids), FETCH_BATCH):
            batch = list(uids[start : start + FETCH_BATCH])
            answer = self._call(
                lambda batch=batch: self._client.fetch(batch, [HEADER_ITEM, "INTERNALDATE"]),
                "FETCH",
            )
            for uid, data in answer.items():
                header = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
                internal = data.get(b"INTERNALDATE")
                messages.append(
                    parse_message(
                        int(uid),
                        header if isinstance(header, bytes) else b"",
                        internal if isinstance(internal, datetime) else None,
                    )
                )
        return messages

    def _call(self, action: Any, what: str) -> Any:
        from imapclient.exceptions import IMAPClientError

        self.commands += 1
        try:
            return action()
        except (IMAPClientError, OSError, ssl.SSLError) as err:
            raise ServerError(f"{self.host}: {what} failed: {_reason(err)}") from None


@contextmanager
def connect(settings: MailSettings) -> Iterator[MailSession]:
    """Log in to the mail server over TLS; one ``ServerError`` for every way it can fail."""
    from imapclient import IMAPClient
    from imapclient.exceptions import IMAPClientError, LoginError

    host = settings.host
    context = ssl.create_default_context(cafile=settings.ca_file)
    if not settings.verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        client = IMAPClient(
            host, port=settings.port, ssl=True, ssl_context=context, timeout=settings.timeout
        )
    except ssl.SSLCertVerificationError as err:
        raise ServerError(
            f"{host}'s certificate could not be verified ({err.verify_message})",
            hint="check the host name; for a server with its own certificate authority set "
            "ca_file in [mail]",
        ) from None
    except (OSError, IMAPClientError) as err:
        raise ServerError(
            f"cannot reach the mail server {host}:{settings.port}: {_reason(err)}",
            hint="check host and port in [mail] (IMAP over TLS is usually port 993)",
        ) from None
    try:
        try:
            if settings.oauth2_token is not None:
                client.oauth2_login(settings.username, settings.oauth2_token)
            else:
                client.login(settings.username, settings.password or "")
        except LoginError:
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
        except (OSError, IMAPClientError) as err:
            raise ServerError(f"{host}: logging in failed: {_reason(err)}") from None
        yield MailSession(client, host)
    finally:
        try:
            client.logout()
        except (OSError, IMAPClientError, ssl.SSLError):
            client.shutdown()


def _reason(err: BaseException) -> str:
    if isinstance(err, socket.timeout | TimeoutError):
        return "no answer within the timeout"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, socket.gaierror):
        return "unknown host"
    text = str(err).strip()
    return text[:200] if text else type(err).__name__
