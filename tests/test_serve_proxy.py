"""docs/feed.md's nginx recipe, run: a real nginx on loopback in front of ``followup serve``.

The site is the recipe's, without the TLS lines (the tests have no certificate).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.feed_support import fetch
from tests.test_serve_cli import EXAMPLE, NOW, started

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def recipe_location() -> str:
    """The ``location`` block of the recipe in docs/feed.md, as written there."""
    doc = (Path(__file__).parent.parent / "docs" / "feed.md").read_text(encoding="utf-8")
    found = re.search(r"(    location / \{.*?\n    \})", doc, re.DOTALL)
    assert found is not None
    return found.group(1)


@pytest.fixture
def nginx_in_front(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """nginx on a free port, passing requests to 127.0.0.1:<backend port>."""
    listen, backend = free_port(), free_port()
    location = recipe_location().replace("127.0.0.1:8765", f"127.0.0.1:{backend}")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{listen};
        server_name localhost;
{location}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", listen)) == 0:
                    break
            assert process.poll() is None, (tmp_path / "error.log").read_text()
            time.sleep(0.05)
        yield listen, backend
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_nginx_recipe_serves_the_feed_at_the_public_address_with_its_token(
    tmp_path: Path, nginx_in_front: tuple[int, int]
) -> None:
    listen, backend = nginx_in_front
    public = f"http://localhost:{listen}"
    with started(
        tmp_path,
        "--from",
        str(EXAMPLE),
        "--now",
        NOW,
        "--port",
        str(backend),
        "--public-url",
        public,
    ) as server:
        web = server.link(r"Subscribe:\s+webcal://\S+\s+")
        assert re.fullmatch(rf"{re.escape(public)}/[A-Za-z0-9_-]{{16,}}/calendar\.ics", web)
        assert "Anyone with the link can open this calendar" in server.output
        feed = fetch(web)
        assert feed.status == 200
        assert b"BEGIN:VEVENT" in feed.body
        page = fetch(web.removesuffix("calendar.ics"))
        assert page.status == 200
        assert f'value="{web}"'.encode() in page.body
        # Without the token, nginx passes on the same 404 as any unknown path.
        assert fetch(f"{public}/calendar.ics").status == 404
