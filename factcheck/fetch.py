"""The one safe way to fetch a URL a user gave us: link checks, archived copies and intake all use ``fetch``.

A URL typed by a user must not become a way into our own network (server-side request forgery). So:

- the fetcher resolves the name itself, refuses the request if any address the name resolves to is not a
  public unicast address (loopback, private, shared, link-local, multicast, reserved, unspecified; IPv4 and
  IPv6, IPv4-mapped IPv6 included), and then connects to the address it checked, sending the name as the
  Host header and the TLS server name (no second lookup that a rebinding DNS server could answer otherwise);
- it follows redirects itself, one hop at a time, and checks every hop the same way;
- it caps the body (``OUTBOUND_MAX_BYTES``), the total time (``OUTBOUND_TIMEOUT``) and the redirects
  (``OUTBOUND_MAX_REDIRECTS``);
- it says who it is (User-Agent naming the project and ``SITE_URL``) and never sends cookies or credentials:
  URLs with a user name or password are refused, and each request starts with no state.

``OUTBOUND_ALLOW_LOOPBACK`` lets tests reach servers on 127.0.0.1/::1. Production never sets it.

HTTP error statuses (404, 500 …) are answers, returned like any other; only failures to get an answer raise
``FetchError``, whose ``code`` says which kind.
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"http": 80, "https": 443}
CHUNK = 64 * 1024


class FetchError(Exception):
    """A URL could not be fetched. ``code`` is one of: invalid_url, refused_address, too_large, timeout,
    too_many_redirects, connection, tls. ``status``/``final_url`` are set when an answer had begun (too_large)."""

    def __init__(self, message, *, code, url=None, status=None, final_url=None, redirects=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.url = url
        self.status = status
        self.final_url = final_url
        self.redirects = redirects or []

    def __str__(self):
        return self.message


@dataclasses.dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    headers: dict
    content_type: str
    body: bytes
    elapsed: float
    sha256: str
    redirects: list

    @property
    def ok(self):
        return 200 <= self.status < 400


def user_agent():
    return f"FactCheckTracker/1.0 (+{settings.SITE_URL}; evidence link checker and archiver)"


def address_refusal(address, *, allow_loopback=False):
    """Why ``address`` (an IPv4/IPv6 string) may not be fetched from, or None when it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:10.0.0.1 and friends reach the IPv4 address they embed.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return address_refusal(str(embedded), allow_loopback=allow_loopback)
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    for reason, flag in (
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return reason
    if not ip.is_global:
        return "not a public address"
    return None


def resolve(host, port):
    """Every address ``host`` resolves to (IP literals resolve to themselves). Tests patch this."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Could not resolve {host}: {exc}", code="connection") from None
    addresses = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


def connection_pool(scheme, address, port, *, server_name, timeout):
    """A one-request connection pool to ``address`` (already checked), presenting ``server_name`` for TLS."""
    options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, port, server_hostname=server_name, assert_hostname=server_name, cert_reqs="CERT_REQUIRED",
            **options,
        )
    return urllib3.HTTPConnectionPool(address, port, **options)


@dataclasses.dataclass
class _Target:
    url: str
    scheme: str
    host: str  # IDNA-encoded name or IP literal, without brackets
    port: int
    path: str
    host_header: str


def _parse(url):
    if not isinstance(url, str) or not url.strip():
        raise FetchError("No URL given.", code="invalid_url", url=url)
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"Not a valid URL: {exc}", code="invalid_url", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchError("Only http and https URLs can be fetched.", code="invalid_url", url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchError("URLs with a user name or password are not fetched.", code="invalid_url", url=url)
    if not parts.hostname:
        raise FetchError("The URL has no host name.", code="invalid_url", url=url)
    try:
        host = parts.hostname.encode("idna").decode("ascii") if not _is_ip(parts.hostname) else parts.hostname
    except UnicodeError:
        raise FetchError("The host name is not valid.", code="invalid_url", url=url) from None
    port = port or DEFAULT_PORTS[scheme]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    shown_host = f"[{host}]" if ":" in host else host
    host_header = shown_host if port == DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    return _Target(url=url, scheme=scheme, host=host, port=port, path=path, host_header=host_header)


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _checked_address(target, allow_loopback):
    addresses = resolve(target.host, target.port)
    if not addresses:
        raise FetchError(f"{target.host} has no address.", code="connection", url=target.url)
    for address in addresses:
        reason = address_refusal(address, allow_loopback=allow_loopback)
        if reason:
            raise FetchError(
                f"Refused to fetch {target.url}: {target.host} is a {reason} address ({address}).",
                code="refused_address", url=target.url,
            )
    return addresses[0]


def _remaining(deadline, url):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"Timed out fetching {url}.", code="timeout", url=url)
    return left


def _read_body(response, *, max_bytes, deadline, url, status):
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url} is larger than {max_bytes} bytes ({declared}).", code="too_large", url=url,
                         status=status)
    chunks, size = [], 0
    while True:
        left = _remaining(deadline, url)
        sock = getattr(response.connection, "sock", None)
        if sock is not None:
            sock.settimeout(left)  # a server that drips bytes cannot stretch the total past the deadline
        chunk = response.read1(CHUNK, decode_content=True)  # one socket read: the deadline is checked between
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url} is larger than {max_bytes} bytes.", code="too_large", url=url, status=status)
        chunks.append(chunk)
    return b"".join(chunks)


def _request(target, *, allow_loopback, deadline):
    address = _checked_address(target, allow_loopback)
    left = _remaining(deadline, target.url)
    pool = connection_pool(target.scheme, address, target.port, server_name=target.host,
                           timeout=urllib3.Timeout(connect=left, read=left))
    headers = {
        "Host": target.host_header,
        "User-Agent": user_agent(),
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    response = pool.urlopen("GET", target.path, headers=headers, redirect=False, retries=False,
                            preload_content=False, decode_content=False, assert_same_host=False)
    return pool, response


def fetch(url, *, max_bytes=None, timeout=None, max_redirects=None) -> Fetched:
    """GET ``url`` safely (see the module's docstring). Returns the final answer after redirects, whatever its
    status; raises ``FetchError`` when there is no answer to give."""
    max_bytes = settings.OUTBOUND_MAX_BYTES if max_bytes is None else max_bytes
    timeout = settings.OUTBOUND_TIMEOUT if timeout is None else timeout
    max_redirects = settings.OUTBOUND_MAX_REDIRECTS if max_redirects is None else max_redirects
    allow_loopback = getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False)
    started = time.monotonic()
    deadline = started + timeout
    redirects = []
    current = url
    while True:
        target = _parse(current)
        try:
            pool, response = _request(target, allow_loopback=allow_loopback, deadline=deadline)
        except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
            raise FetchError(f"Timed out fetching {target.url}.", code="timeout", url=url) from None
        except SSLError as exc:
            raise FetchError(f"TLS failed for {target.url}: {exc}", code="tls", url=url) from None
        except LocationParseError as exc:
            raise FetchError(f"Not a valid URL: {exc}", code="invalid_url", url=url) from None
        except (NewConnectionError, ProtocolError, HTTPError, OSError) as exc:
            raise FetchError(f"Could not connect to {target.url}: {_reason(exc)}", code="connection",
                             url=url) from None
        try:
            status = response.status
            location = response.headers.get("location")
            if status in REDIRECT_STATUSES and location:
                next_url = urljoin(target.url, location.strip())
                redirects.append(next_url)
                if len(redirects) > max_redirects:
                    loop = next_url in redirects[:-1] or next_url == url
                    raise FetchError(
                        f"{'Redirect loop' if loop else 'Too many redirects'} from {url} "
                        f"(more than {max_redirects}).", code="too_many_redirects", url=url, redirects=redirects,
                    )
                current = next_url
                continue
            try:
                body = _read_body(response, max_bytes=max_bytes, deadline=deadline, url=url, status=status)
            except FetchError as exc:
                exc.final_url, exc.redirects = target.url, redirects
                raise
            except (ReadTimeoutError, TimeoutError):
                raise FetchError(f"Timed out reading {target.url}.", code="timeout", url=url) from None
            except (ProtocolError, HTTPError, OSError) as exc:
                raise FetchError(f"The connection to {target.url} failed: {_reason(exc)}", code="connection",
                                 url=url) from None
            headers = {name.lower(): value for name, value in response.headers.items()}
            return Fetched(
                url=url, final_url=target.url, status=status, headers=headers,
                content_type=headers.get("content-type", "").split(";", 1)[0].strip().lower(),
                body=body, elapsed=time.monotonic() - started, sha256=hashlib.sha256(body).hexdigest(),
                redirects=redirects,
            )
        finally:
            response.release_conn()
            pool.close()


def _reason(exc):
    reason = getattr(exc, "reason", None) or exc
    return str(reason)[:200]
