"""The one place CalDAV requests go out: one HTTP session, a timeout, errors mapped.

``Transport`` holds the caldav library's ``DAVClient`` (its niquests session and
authentication); ``discovery``, ``reads`` and ``writes`` add the requests on top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import urlsplit, urlunsplit

from followup.engine.dav.bounded import BoundedSession, Limits
from followup.engine.dav.bounded import ConnectionLost as ConnectionLost
from followup.engine.dav.protocol import (
    Entry,
    inside,
    normalise_href,
    parse_multistatus,
    quote_path,
)
from followup.engine.errors import ServerError

T = TypeVar("T")

if TYPE_CHECKING:
    from followup.engine.config import Endpoint


class Transport:
    """One server, one ``DAVClient`` (one niquests session), a timeout on every request."""

    def __init__(
        self, endpoint: Endpoint, *, auth_hint: str | None = None, limits: Limits | None = None
    ) -> None:
        """``auth_hint``: the scheme this server took last time, to skip asking it again."""
        from caldav.davclient import DAVClient

        self.endpoint = endpoint
        scheme: str | None = endpoint.auth if endpoint.auth != "auto" else None
        self._hinted = scheme is None and auth_hint is not None and endpoint.password is not None
        if self._hinted:
            scheme = auth_hint
        parts = urlsplit(endpoint.url)
        self.origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        self.host = parts.hostname or endpoint.url
        self.client = DAVClient(
            url=endpoint.url,
            username=endpoint.username,
            password=endpoint.password,
            auth_type=scheme,
            timeout=endpoint.timeout,  # type: ignore[arg-type]  # niquests takes a float
            ssl_verify_cert=endpoint.verify,
            enable_rfc6764=False,
            headers={"User-Agent": "followup"},
        )
        # Every exchange, the library's own included, is streamed, capped and timed.
        self.client.session.close()
        self.client.session = BoundedSession(self.host, endpoint.timeout, limits or Limits())

    def close(self) -> None:
        self.client.close()

    def auth_scheme(self) -> str | None:
        """The scheme the client ended up using (basic, digest, bearer), if any."""
        auth = self.client.auth
        if auth is None:
            return None
        name = type(auth).__name__.lower()
        return next((s for s in ("basic", "digest", "bearer") if s in name), None)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return self.origin + quote_path(path)

    def path(self, url: str) -> str:
        return normalise_href(url)

    # -- the one place requests go out ---------------------------------------------------

    def request(
        self, method: str, path: str, body: str | bytes = "", headers: dict[str, str] | None = None
    ) -> Any:
        """Send one request; connection problems and refusals become ServerError."""
        from caldav.lib import error

        try:
            return self.guarded(
                lambda: self.client.request(self.url(path), method, body, headers or {})  # type: ignore[arg-type]
            )
        except Unauthorised:
            if not self._hinted:
                raise
            self._hinted = False  # the server changed its scheme: ask it
            self.client.auth = None
            self.client.auth_type = None
            return self.request(method, path, body, headers)
        except error.AuthorizationError as err:
            return _Refused(err.status or 403, err.body if isinstance(err.body, bytes) else b"")

    def guarded(self, call: Callable[[], T]) -> T:
        """Run a call into the caldav library: whatever goes wrong becomes one ServerError.

        A 403 is left to the caller as the library's ``AuthorizationError``."""
        from caldav.lib import error
        from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]

        try:
            return call()
        except ServerError:
            raise
        except error.AuthorizationError as err:
            if err.status == 401 or err.status is None:
                raise Unauthorised(
                    f"{self.host} refused the user name or password"
                    + (f" for {self.endpoint.username}" if self.endpoint.username else ""),
                    hint="check the user name, and the password in FOLLOWUP_PASSWORD, your "
                    "password command or your keyring (see docs/sync.md)",
                ) from None
            raise
        except error.RateLimitError:
            raise ServerError(
                f"{self.host} asks to slow down (rate limited)", hint="run followup sync later"
            ) from None
        except NotImplementedError as err:  # no authentication scheme caldav knows
            raise ServerError(f"{self.host}: {err}") from None
        except XMLSyntaxError as err:
            raise ServerError(
                f"{self.host} sent XML that cannot be read ({err.msg})",
                hint="the server is misbehaving; check the URL, or tell its administrator",
            ) from None
        except Exception as err:
            if _is_connection_error(err):
                raise ConnectionLost(
                    f"cannot reach {self.host}: {_connection_reason(err)}",
                    hint="check the URL and your connection; a re-run picks up where this "
                    "one stopped",
                ) from None
            raise

    def _multistatus(self, response: Any, what: str, path: str) -> tuple[list[Entry], str | None]:
        status = int(response.status)
        body = response_body(response)
        if status == 207:
            try:
                entries, token = parse_multistatus(body)
            except ValueError:
                pass
            else:
                # An answer about a calendar speaks of that calendar only: an href elsewhere
                # (another calendar, ``..``) is never read, kept or written to.
                collection = normalise_href(path)
                return [e for e in entries if inside(e.href, collection)], token
        raise not_caldav(self.url(path), status, what)


class Unauthorised(ServerError):
    """The server refused the credentials (HTTP 401)."""


@dataclass(frozen=True, slots=True)
class _Refused:
    """A 403 the client raised as an exception, turned back into a response to read."""

    status: int
    body: bytes
    headers: dict[str, str] | None = None


def response_body(response: Any) -> bytes:
    """The raw body of a response (or of a refusal turned back into one)."""
    if isinstance(response, _Refused):
        return response.body
    raw = getattr(response, "_raw_body", b"") or getattr(response, "_raw", b"")
    return raw if isinstance(raw, bytes) else str(raw).encode()


class NotCalDAV(ServerError):
    """The URL does not answer as a CalDAV calendar; ``found`` says what it answered."""

    def __init__(self, message: str, *, url: str, found: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.url = url
        self.found = found


class CalendarMissing(NotCalDAV):
    """There is no calendar at the URL (any more)."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"there is no calendar at {url}",
            url=url,
            found="HTTP 404",
            hint="check the URL (HTTP 404)",
        )


def not_caldav(url: str, status: int, what: str) -> ServerError:
    if status == 404:
        return CalendarMissing(url)
    return NotCalDAV(
        f"{url} is not a CalDAV calendar: it answered {what} with HTTP {status}",
        url=url,
        found=f"{what} answered HTTP {status}",
        hint="give the URL of a calendar collection, as your calendar app shows it",
    )


def _is_connection_error(err: BaseException) -> bool:
    names = {cls.__name__ for cls in type(err).__mro__}
    return bool(
        names & {"ConnectionError", "Timeout", "TimeoutError", "ReadTimeout", "ConnectTimeout"}
    ) or isinstance(err, OSError)


def _connection_reason(err: BaseException) -> str:
    names = {cls.__name__ for cls in type(err).__mro__}
    if names & {"Timeout", "TimeoutError", "ReadTimeout", "ConnectTimeout"}:
        return "no answer within the timeout"
    text = str(err)
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return "unknown host"
    if "refused" in text.lower():
        return "connection refused"
    return "the connection failed"
