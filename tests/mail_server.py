"""A real Dovecot IMAP server for the tests: TLS on a free loopback port, a throwaway mailbox.

Dovecot comes from Debian's packages (tests/run installs it). The certificate is
made for each server with openssl, for localhost and 127.0.0.1; the tests trust it
through ``ca_file``, as a user of a self-hosted server would.
"""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "jo@example.org"
PASSWORD = "correct-horse-battery-staple"


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
    ) -> None:
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        message = (
            f"From: {sender}\r\nTo: {USER}\r\nSubject: {subject}\r\n"
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


@contextmanager
def dovecot() -> Iterator[MailServer]:
    """Start Dovecot with its own config, storage and certificate in a new folder.

    The folder is made outside pytest's (which only root may enter) so that the
    mailbox's owner and Dovecot's own users can reach what they need.
    """
    root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
    root.chmod(0o755)
    uid, gid = mail_owner()
    home = root / "home" / USER
    home.mkdir(parents=True)
    os.chown(home, uid, gid)
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    port = free_port()
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
auth_mechanisms = plain login
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
  args = password={PASSWORD}
}}
userdb {{
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
