"""The proxy a request goes through: HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY.

Calendar links and the sync's quiet check speak HTTP with the standard library
(engine/sources/link.py, engine/caldav/quiet.py); CalDAV's own client reads the
same variables, so every request of a run goes the same way. The variables are
read as curl, requests and Python's urllib read them (lowercase first, then
uppercase; NO_PROXY names hosts, domains with or without a leading dot, host:port,
or ``*`` for all), through urllib's own functions.

Only the proxy's own credentials (``http://user:password@proxy:3128``) are sent
to the proxy, as Proxy-Authorization. An https:// address goes through a CONNECT
tunnel, so what is sent to the server, its password included, is encrypted end
to end and the proxy sees only the host and port.
"""

from __future__ import annotations

import base64
import http.client
import ssl
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit


class ProxyProblem(ValueError):
    """A proxy variable followup cannot use (a scheme other than http://, no host, a bad port)."""


@dataclass(frozen=True, slots=True)
class Proxy:
    """Where the proxy listens, and its own credentials as a header (never shown)."""

    host: str
    port: int
    authorization: str | None
    variable: str
    """The variable that named it, for messages: HTTPS_PROXY."""

    @property
    def shown(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port} ({self.variable})"

    def __repr__(self) -> str:
        return f"Proxy({self.shown})"


def proxy_for(url: str) -> Proxy | None:
    """The proxy the environment names for ``url``, or None (no variable for its scheme,
    or NO_PROXY names its host). ProxyProblem for a variable that cannot be used."""
    from urllib.request import (  # type: ignore[attr-defined]  # typeshed lacks the second
        getproxies_environment,
        proxy_bypass_environment,
    )

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    proxies = getproxies_environment()
    chosen = proxies.get(scheme) or proxies.get("all")
    if not chosen:
        return None
    host = parts.hostname or ""
    where = f"{host}:{parts.port}" if parts.port else host
    if proxy_bypass_environment(where, proxies) or proxy_bypass_environment(host, proxies):
        return None
    variable = f"{scheme.upper()}_PROXY" if proxies.get(scheme) else "ALL_PROXY"
    return _parse(chosen, variable)


def _parse(value: str, variable: str) -> Proxy:
    text = value.strip()
    if "://" not in text:
        text = "http://" + text  # HTTPS_PROXY=proxy.example:3128, as curl takes it
    parts = urlsplit(text)
    if parts.scheme.lower() != "http":
        raise ProxyProblem(
            f"{variable} names a {parts.scheme}:// proxy; followup speaks to proxies over "
            "http:// (https:// addresses go through it in a CONNECT tunnel)"
        )
    try:
        port = parts.port or 80
    except ValueError:
        raise ProxyProblem(f"{variable}'s port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise ProxyProblem(f"{variable} names no proxy host")
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return Proxy(parts.hostname, port, authorization, variable)


@dataclass(slots=True)
class Route:
    """A connection to ask ``url`` on, and what to put in the request line for it."""

    connection: http.client.HTTPConnection
    target: str
    """The request-target: the path, or the whole address when a proxy forwards it."""
    headers: dict[str, str]
    """Headers for the proxy itself (Proxy-Authorization of a forwarded http:// request)."""
    proxy: Proxy | None


def route(
    parts: SplitResult, host: str, *, timeout: float, context: ssl.SSLContext | None
) -> Route:
    """How to reach ``parts`` (``host`` is its host as it goes on the wire): directly, in a
    CONNECT tunnel through the proxy for https, or forwarded by the proxy for http."""
    url = urlunsplit(parts)
    proxy = proxy_for(url)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    https = parts.scheme.lower() == "https"
    connection: http.client.HTTPConnection
    if proxy is None:
        if https:
            connection = http.client.HTTPSConnection(
                host, parts.port, timeout=timeout, context=context
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        return Route(connection, path, {}, None)
    if https:
        connection = http.client.HTTPSConnection(
            proxy.host, proxy.port, timeout=timeout, context=context
        )
        tunnel = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else {}
        connection.set_tunnel(host, parts.port or 443, headers=tunnel)
        return Route(connection, path, {}, proxy)
    connection = http.client.HTTPConnection(proxy.host, proxy.port, timeout=timeout)
    wire = f"[{host}]" if ":" in host else host
    target = urlunsplit(
        (
            "http",
            wire + (f":{parts.port}" if parts.port else ""),
            parts.path or "/",
            parts.query,
            "",
        )
    )
    extra = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else {}
    return Route(connection, target, extra, proxy)
