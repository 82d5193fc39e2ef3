"""Polite HTTP fetching with httpx (async): per-host delay and concurrency, a global limit,
retries with exponential backoff and jitter, Retry-After, a redirect limit, a size limit,
an allow-list of hosts and no private/loopback addresses unless a profile's base URL is one.
"""
from __future__ import annotations

import asyncio
import email.utils
import functools
import ipaddress
import random
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpx

from crawl.robots import Robots, robots_from_status, robots_url

VERSION = "0.1.0"
# ASSUMPTION: the project's public homepage; change here if it lives elsewhere.
HOMEPAGE = "https://github.com/thidua/thidua"
USER_AGENT = f"thidua/{VERSION} (+{HOMEPAGE}; archive of procuracy emulation news; polite crawler)"

REDIRECTS = frozenset({301, 302, 303, 307, 308})
TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
GONE_STATUS = frozenset({404, 410})

OK, NOT_MODIFIED, FAILED, SKIPPED = "ok", "not_modified", "failed", "skipped"


@dataclass
class FetchConfig:
    """HTTP behaviour. Times in seconds."""

    delay: float = 1.0               # between request starts to one host (robots Crawl-delay may raise it)
    concurrency: int = 2             # requests in flight per host
    global_concurrency: int = 8      # requests in flight overall
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_retries: int = 3             # retries after the first attempt (timeouts, 429, 5xx, broken bodies)
    backoff_base: float = 1.0        # first retry waits about this long, then 2x, 4x ... (+-50 % jitter)
    backoff_max: float = 60.0
    retry_after_max: float = 300.0   # a longer Retry-After gives up on the URL for this run
    max_redirects: int = 5
    max_bytes: int = 5_000_000       # bigger bodies are refused
    user_agent: str = USER_AGENT


@dataclass
class FetchResult:
    url: str
    outcome: str                     # ok | not_modified | failed | skipped
    status: int | None = None
    final_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    attempts: int = 0
    reason: str | None = None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass
class HostStats:
    """Counters per host (for the progress display and the summary)."""

    requests: int = 0
    responses: int = 0
    errors: int = 0
    retries: int = 0
    bytes: int = 0
    first_at: float | None = None
    last_at: float | None = None

    def rate(self) -> float:
        if self.first_at is None or self.last_at is None or self.last_at <= self.first_at:
            return 0.0
        return self.responses / (self.last_at - self.first_at)


class Refused(Exception):
    """A URL the crawler must not fetch (off the allow-list, private address, robots.txt)."""


class TooLarge(Exception):
    pass


class TooManyRedirects(Exception):
    pass


class HostGate:
    """Per-host politeness: at most ``concurrency`` requests in flight, and request *sends* at
    least ``delay`` apart.

    The delay is counted from the moment a request's headers were written (``sent()``, called
    from httpx's trace hook), not from when it left the gate: a request that spends time getting
    a connection does not shorten the pause before the next one, and with a delay the next
    request does not leave the gate before the previous one was sent.
    """

    def __init__(self, delay: float, concurrency: int) -> None:
        self.delay = delay
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._lock = asyncio.Lock()
        self._next_at = 0.0
        self._unsent: asyncio.Event | None = None

    def hold(self, seconds: float) -> None:
        """No request to this host for ``seconds`` (429 / 503 Retry-After)."""
        self._next_at = max(self._next_at, time.monotonic() + seconds)

    def sent(self, ticket: asyncio.Event) -> None:
        """The request holding ``ticket`` is on the wire now: the next one waits ``delay`` from here."""
        if not ticket.is_set():
            self._next_at = max(self._next_at, time.monotonic() + self.delay)
            ticket.set()

    async def enter(self) -> asyncio.Event:
        """Wait for a slot and for the host's pause; return the request's ticket."""
        await self._sem.acquire()
        try:
            async with self._lock:
                if self._unsent is not None and self.delay > 0:
                    await self._unsent.wait()
                while (wait := self._next_at - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                self._next_at = time.monotonic() + self.delay
                ticket = asyncio.Event()
                self._unsent = ticket
                return ticket
        except BaseException:
            self._sem.release()
            raise

    def leave(self, ticket: asyncio.Event) -> None:
        ticket.set()  # never sent (connection failed...) or done: nobody waits on it any more
        self._sem.release()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def is_private_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified


def netloc_of(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if (parts.scheme == "http" and netloc.endswith(":80")) or (parts.scheme == "https" and netloc.endswith(":443")):
        netloc = netloc.rsplit(":", 1)[0]
    return netloc


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context per process (building one reads the CA bundle: ~0.1 s)."""
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:
        return ssl.create_default_context()


class Fetcher:
    """One crawl's HTTP client.

    ``allowed(netloc)`` says which hosts may be fetched; ``private_ok`` holds the hosts whose
    private/loopback addresses are accepted (the hosts of the profiles' base URLs).
    """

    def __init__(self, config: FetchConfig, *, allowed: Callable[[str], bool], private_ok: set[str],
                 on_request: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.allowed = allowed
        self.private_ok = {h.lower() for h in private_ok}
        self.on_request = on_request
        self.stats: dict[str, HostStats] = {}
        self._gates: dict[str, HostGate] = {}
        self._robots: dict[str, Robots] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._resolved: dict[str, bool] = {}
        self._global = asyncio.Semaphore(max(1, config.global_concurrency))
        self._rng = random.Random()
        timeout = httpx.Timeout(config.read_timeout, connect=config.connect_timeout)
        limits = httpx.Limits(max_connections=max(1, config.global_concurrency),
                              max_keepalive_connections=max(1, config.global_concurrency))
        self.client = httpx.AsyncClient(timeout=timeout, limits=limits, follow_redirects=False, verify=_tls_context(),
                                        headers={"User-Agent": config.user_agent,
                                                 "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                                                 "Accept-Language": "vi,en;q=0.5"})

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    # -- politeness ---------------------------------------------------------------------------

    def gate(self, netloc: str) -> HostGate:
        if netloc not in self._gates:
            self._gates[netloc] = HostGate(self.config.delay, self.config.concurrency)
        return self._gates[netloc]

    def host_stats(self, netloc: str) -> HostStats:
        return self.stats.setdefault(netloc, HostStats())

    async def robots(self, url: str) -> Robots:
        """The robots.txt rules of ``url``'s origin (fetched once per run); sets the host's delay."""
        netloc = netloc_of(url)
        if netloc in self._robots:
            return self._robots[netloc]
        lock = self._robots_locks.setdefault(netloc, asyncio.Lock())
        async with lock:
            if netloc in self._robots:
                return self._robots[netloc]
            origin = f"{urlsplit(url).scheme}://{netloc}"
            result = await self.fetch(robots_url(url), check_robots=False, max_retries=1)
            if result.outcome == OK:
                text = result.body.decode("utf-8", "replace")
                rules = robots_from_status(origin, result.status, text)
            elif result.status is not None and result.status not in TRANSIENT_STATUS:
                rules = robots_from_status(origin, result.status, None)
            elif result.reason and result.reason.startswith(("not allowed", "private address")):
                rules = robots_from_status(origin, 404, None)
            else:
                rules = robots_from_status(origin, result.status if result.status and result.status >= 500 else None, None)
            delay = rules.crawl_delay()
            if delay is not None and delay > self.gate(netloc).delay:
                self.gate(netloc).delay = delay
            self._robots[netloc] = rules
            return rules

    async def check(self, url: str) -> None:
        """Raise Refused unless ``url`` is http(s), on an allowed host, and not a private address
        (unless that host is a profile base URL's)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused(f"not allowed: {url} is not an http(s) URL")
        netloc = netloc_of(url)
        if not self.allowed(netloc):
            raise Refused(f"not allowed: host {netloc} is not one of the crawled sites")
        host = parts.hostname.lower()
        if host in self.private_ok or netloc in self.private_ok:
            return
        if host not in self._resolved:
            self._resolved[host] = await self._resolves_private(host, parts.port or (443 if parts.scheme == "https" else 80))
        if self._resolved[host]:
            raise Refused(f"private address: {host} resolves to a private/loopback address")

    async def _resolves_private(self, host: str, port: int) -> bool:
        if is_private_address(host.strip("[]")):
            return True
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return False  # the request itself will fail and be retried / recorded
        return any(is_private_address(str(info[4][0])) for info in infos)

    # -- fetching -----------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        base = min(self.config.backoff_max, self.config.backoff_base * (2 ** (attempt - 1)))
        return base * self._rng.uniform(0.5, 1.5)

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    check_robots: bool = True, max_retries: int | None = None, max_bytes: int | None = None,
                    on_attempt: Callable[[str], None] | None = None) -> FetchResult:
        """GET ``url`` politely; never raises for network or HTTP trouble (see ``FetchResult``)."""
        retries = self.config.max_retries if max_retries is None else max_retries
        attempt = 0
        last_status: int | None = None
        while True:
            attempt += 1
            if on_attempt:
                on_attempt(url)
            reason: str
            wait: float | None = None
            try:
                status, final_url, headers, body = await self._get_following_redirects(
                    url, etag=etag, last_modified=last_modified, check_robots=check_robots,
                    max_bytes=max_bytes or self.config.max_bytes)
            except Refused as exc:
                return FetchResult(url, SKIPPED, attempts=attempt, reason=str(exc))
            except TooLarge as exc:
                self.host_stats(netloc_of(url)).errors += 1
                return FetchResult(url, SKIPPED, attempts=attempt, reason=str(exc))
            except TooManyRedirects as exc:
                self.host_stats(netloc_of(url)).errors += 1
                return FetchResult(url, FAILED, attempts=attempt, reason=str(exc))
            except httpx.TimeoutException as exc:
                reason = f"timeout ({type(exc).__name__})"
            except httpx.RemoteProtocolError as exc:
                reason = f"broken response (truncated body or bad HTTP): {exc}"
            except httpx.HTTPError as exc:
                reason = f"{type(exc).__name__}: {exc}"
            else:
                last_status = status
                if 200 <= status < 300:
                    return FetchResult(url, OK, status, final_url, headers, body, attempt)
                if status == 304:
                    return FetchResult(url, NOT_MODIFIED, status, final_url, headers, b"", attempt)
                if status in GONE_STATUS:
                    return FetchResult(url, SKIPPED, status, final_url, headers, b"", attempt, f"HTTP {status}")
                if status not in TRANSIENT_STATUS:
                    self.host_stats(netloc_of(final_url)).errors += 1
                    return FetchResult(url, FAILED, status, final_url, headers, b"", attempt, f"HTTP {status}")
                reason = f"HTTP {status}"
                retry_after = parse_retry_after(headers.get("retry-after"))
                if retry_after is not None:
                    if retry_after > self.config.retry_after_max:
                        self.host_stats(netloc_of(final_url)).errors += 1
                        return FetchResult(url, FAILED, status, final_url, headers, b"", attempt,
                                           f"HTTP {status}, Retry-After {retry_after:.0f} s is over the limit")
                    wait = retry_after
                if status in (429, 503):
                    self.gate(netloc_of(final_url)).hold(wait if wait is not None else self._backoff(attempt))
            stats = self.host_stats(netloc_of(url))
            if attempt > retries:
                stats.errors += 1
                return FetchResult(url, FAILED, last_status, attempts=attempt,
                                   reason=f"{reason} (gave up after {attempt} attempts)")
            stats.retries += 1
            await asyncio.sleep(wait if wait is not None else self._backoff(attempt))

    async def _get_following_redirects(self, url: str, *, etag: str | None, last_modified: str | None,
                                       check_robots: bool, max_bytes: int) -> tuple[int, str, dict[str, str], bytes]:
        seen = {url}
        current = url
        for hop in range(self.config.max_redirects + 1):
            await self.check(current)
            if check_robots:
                rules = await self.robots(current)
                if not rules.allowed(current):
                    raise Refused(f"robots.txt disallows {current}")
            headers: dict[str, str] = {}
            if hop == 0 and etag:
                headers["If-None-Match"] = etag
            if hop == 0 and last_modified:
                headers["If-Modified-Since"] = last_modified
            status, resp_headers, body = await self._get_once(current, headers, max_bytes)
            location = resp_headers.get("location")
            if status in REDIRECTS and location:
                nxt = urljoin(current, location.strip()).split("#", 1)[0]
                if nxt in seen:
                    raise TooManyRedirects(f"redirect loop at {nxt}")
                seen.add(nxt)
                current = nxt
                continue
            return status, current, resp_headers, body
        raise TooManyRedirects(f"more than {self.config.max_redirects} redirects")

    async def _get_once(self, url: str, headers: dict[str, str], max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        netloc = netloc_of(url)
        stats = self.host_stats(netloc)
        gate = self.gate(netloc)
        ticket = await gate.enter()

        async def trace(event: str, info: object) -> None:
            if event.endswith("send_request_headers.complete"):
                gate.sent(ticket)

        try:
            async with self._global:
                return await self._send(url, headers, stats, trace, max_bytes)
        finally:
            gate.leave(ticket)

    async def _send(self, url: str, headers: dict[str, str], stats: HostStats,
                    trace: Callable[[str, object], Awaitable[None]], max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        stats.requests += 1
        now = time.monotonic()
        stats.first_at = stats.first_at if stats.first_at is not None else now
        if self.on_request:
            self.on_request(url)
        async with self.client.stream("GET", url, headers=headers, extensions={"trace": trace}) as resp:
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            if resp.status_code in REDIRECTS or resp.status_code == 304:
                body = b""
            else:
                length = resp_headers.get("content-length", "")
                if length.isdigit() and int(length) > max_bytes:
                    raise TooLarge(f"too large: Content-Length {length} > {max_bytes} bytes")
                chunks = bytearray()
                async for chunk in resp.aiter_bytes():
                    chunks += chunk
                    if len(chunks) > max_bytes:
                        raise TooLarge(f"too large: body over {max_bytes} bytes")
                body = bytes(chunks)
        stats.responses += 1
        stats.bytes += len(body)
        stats.last_at = time.monotonic()
        return resp.status_code, resp_headers, body
