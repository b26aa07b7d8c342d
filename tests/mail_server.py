"""A real Dovecot IMAP server for the tests: TLS on a free loopback port, a throwaway mailbox.

Dovecot comes from Debian's packages (tests/run installs it). The certificate is
made for each server with openssl, for localhost and 127.0.0.1; the tests trust it
through ``ca_file``, as a user of a self-hosted server would.

With ``introspection_url`` Dovecot also takes OAuth2 access tokens (XOAUTH2 and
OAUTHBEARER, as Gmail and Outlook.com want) through its oauth2 passdb, which asks
that URL whether a token is active, as it would ask a provider's RFC 7662
introspection endpoint; ``token_checker`` is such an endpoint on 127.0.0.1.
"""

from __future__ import annotations

import imaplib
import json
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "jo@example.org"
PASSWORD = "correct-horse-battery-staple"
TOKEN = "ya29.a0-test-access-token-for-jo"
"""The access token the test introspection endpoint calls active for USER."""
OTHER_TOKEN = "ya29.a0-test-access-token-for-sam"
"""An active token, but for another account (sam@example.org)."""
PROVIDER = "mx.test.example"
"""The authserv-id of the mail provider the test messages arrived through."""
PASSED = object()
"""``append``'s default: the provider found SPF, DKIM and DMARC passing for the From domain."""


def passed(sender: str) -> str:
    """The Authentication-Results a provider writes for a message whose checks all pass."""
    domain = sender.rsplit("@", 1)[1].rstrip(">").strip()
    return (
        f"{PROVIDER}; dkim=pass header.d={domain} header.s=s1; "
        f"spf=pass (domain of {domain} designates 192.0.2.1 as permitted sender) "
        f"smtp.mailfrom=bounce@{domain}; dmarc=pass (p=REJECT) header.from={domain}"
    )


@dataclass
class MailServer:
    root: Path
    port: int
    cert: Path

    @property
    def maildir(self) -> Path:
        return self.root / "home" / USER / "Maildir"

    def admin(self) -> imaplib.IMAP4_SSL:
        """A separate client to put messages in and read flags (the tests' own, not followup's)."""
        context = ssl.create_default_context(cafile=str(self.cert))
        client = imaplib.IMAP4_SSL("localhost", self.port, ssl_context=context, timeout=20)
        client.login(USER, PASSWORD)
        return client

    def append(
        self,
        *,
        sender: str,
        subject: str,
        date: datetime,
        message_id: str,
        headers: dict[str, str] | None = None,
        flags: str = "",
        folder: str = "INBOX",
        authentication: object = PASSED,
    ) -> None:
        """Put a message in ``folder`` as it would arrive: the provider's Authentication-Results
        on top (all passing by default; None for none; or the value given), then ``headers``."""
        stamp = passed(sender) if authentication is PASSED else authentication
        top = f"Authentication-Results: {stamp}\r\n" if isinstance(stamp, str) else ""
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        message = (
            f"{top}From: {sender}\r\nTo: {USER}\r\nSubject: {subject}\r\n"
            f"Date: {date.strftime('%a, %d %b %Y %H:%M:%S %z')}\r\n"
            f"Message-ID: {message_id}\r\n{extra}"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Thanks for your time last week. We would like to invite you to a second round.\r\n"
        ).encode()
        client = self.admin()
        try:
            status, _ = client.append(
                folder, flags or None, imaplib.Time2Internaldate(date), message
            )
            assert status == "OK"
        finally:
            client.logout()

    def recreate(self, folder: str) -> None:
        """Delete ``folder`` and make it again, empty, as a rebuilt mailbox is: its
        UIDVALIDITY changes and UIDs start again at 1."""
        client = self.admin()
        try:
            client.delete(folder)
            status, _ = client.create(folder)
            assert status == "OK"
        finally:
            client.logout()

    def create(self, folder: str) -> None:
        client = self.admin()
        try:
            status, _ = client.create(folder)
            assert status == "OK"
        finally:
            client.logout()

    def uidvalidity(self, folder: str) -> int:
        client = self.admin()
        try:
            status, data = client.status(folder, "(UIDVALIDITY)")
            assert status == "OK"
            text = data[0].decode() if isinstance(data[0], bytes) else str(data[0])
            return int(text.rsplit("UIDVALIDITY", 1)[1].strip(" )"))
        finally:
            client.logout()

    def snapshot(self) -> dict[str, bytes]:
        """Every message file of the mailbox (Maildir keeps flags in the names) with its bytes."""
        return {
            str(path.relative_to(self.maildir)): path.read_bytes()
            for path in sorted(self.maildir.rglob("*"))
            if path.is_file() and path.parent.name in ("cur", "new", "tmp")
        }

    def flags(self) -> list[bytes]:
        client = self.admin()
        try:
            client.select("INBOX", readonly=True)
            status, data = client.fetch("1:*", "(UID FLAGS)")
            assert status == "OK"
            return [item for item in data if isinstance(item, bytes)]
        finally:
            client.logout()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def mail_owner() -> tuple[int, int]:
    """Who owns the mailbox: this user, or nobody when the tests run as root (Dovecot
    never reads mail as root)."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid


@dataclass
class TokenChecker:
    """An OAuth2 token introspection endpoint (RFC 7662) that knows two active tokens."""

    url: str
    asked: list[str]
    """Every token it was asked about, in order."""


@contextmanager
def token_checker() -> Iterator[TokenChecker]:
    """Answer ``POST token=...`` with ``{"active": true, "username": USER}`` for TOKEN (and
    sam@example.org for OTHER_TOKEN) and ``{"active": false}`` for any other token, on
    127.0.0.1 port 0."""
    users = {TOKEN: USER, OTHER_TOKEN: "sam@example.org"}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            token = form.get("token", [""])[0]
            asked.append(token)
            user = users.get(token)
            answer = {"active": True, "username": user} if user else {"active": False}
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield TokenChecker(f"http://127.0.0.1:{httpd.server_address[1]}/introspect", asked)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key for localhost and 127.0.0.1, made with openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def dovecot(*, introspection_url: str | None = None) -> Iterator[MailServer]:
    """Start Dovecot with its own config, storage and certificate in a new folder.

    The folder is made outside pytest's (which only root may enter) so that the
    mailbox's owner and Dovecot's own users can reach what they need. With
    ``introspection_url`` it takes OAuth2 tokens too (see the module's docstring);
    passwords stay for the tests' own client.
    """
    root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
    root.chmod(0o755)
    uid, gid = mail_owner()
    home = root / "home" / USER
    home.mkdir(parents=True)
    os.chown(home, uid, gid)
    cert, key = certificate(root)
    port = free_port()
    mechanisms, oauth2 = "plain login", ""
    if introspection_url is not None:
        mechanisms = "plain login xoauth2 oauthbearer"
        # Dovecot 2.3's oauth2 passdb: POST the token to the introspection URL, take the
        # user from "username", and refuse unless "active" is true.
        (root / "oauth2.conf").write_text(
            f"introspection_mode = post\nintrospection_url = {introspection_url}\n"
            "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
        )
        oauth2 = f"""
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf
}}
"""
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:~/Maildir
default_internal_user = dovecot
default_login_user = dovenull
auth_mechanisms = {mechanisms}
auth_verbose = yes
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}

passdb {{
  driver = static
  mechanisms = plain login
  args = password={PASSWORD}
}}
{oauth2}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
"""
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"dovecot did not start:\n{stderr}\n{log}")
            time.sleep(0.05)
        yield MailServer(root, port, cert)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        shutil.rmtree(root, ignore_errors=True)
