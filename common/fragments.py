"""Rendered pages kept in the shared cache, never served stale after a write.

A page a person opens again and again (the home, *My preparation*, the progress board…) costs tens of
milliseconds to build: the selectors' queries and the template's rendering. Nearly always nothing it shows has
changed since the last time. :func:`cached_page` keeps the rendered page per person in the shared cache (Redis
when ``REDIS_URL`` is set, else the database cache) and serves it again while it is still true.

**When is it still true?** The page is stored with the *data generation* current when it was built, and only
served while the generation is the same:

* Every write to the portal's tables raises the generation: the database wrapper :func:`install` puts on each
  connection sees every ``INSERT``, ``UPDATE`` and ``DELETE`` (from a service, the admin, a bulk ``update()``, a
  management command, the worker) and calls :func:`bump` — once right away and once more when the transaction
  commits, so that a page built from data read before the commit cannot be kept under the new generation. No
  service has to remember to invalidate anything, and no write is missed; the tables that never change a page
  (sessions, the cache table) are left out (:data:`IGNORED_TABLES`).
* What depends on the clock rather than on data ("open now", "due in 2 hours") is covered by the minute: a
  page is served only in the minute it was built in, except while one request rebuilds a page of the last minute
  (on the same data): the person's other requests then get the last minute's page instead of all rebuilding it
  at once (at most :data:`BUILD_CLAIM_SECONDS`, usually the tenth of a second a build takes).
* Everything else a page depends on is in its key: the person (and their ``viewer_version``), the address with
  its query string, the cookies a page may read (not the session's), the language and the person's zone.

**What is never cached:** anything but a ``GET`` answered ``200`` with HTML, htmx partial requests, pages with a
flash message to show or that added one, and responses that set cookies. The CSRF token is not part of what is
stored: the page is built with a placeholder and each request gets its own token in its place.

**Only with a shared cache in memory** (``FRAGMENTS_ENABLED``, on when ``REDIS_URL`` is set): with the database
cache a stored page would cost the queries it saves (and every write a cache write), and a cache in one
process's memory would not see another process's writes.

The generation is one number for the whole portal: a write anywhere re-renders every page once on its next
visit. That is the price of never missing a write; a page is rebuilt at most once per write and per minute for
each person, and between writes (most of the time, even in a session week) it costs one cache read.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

__all__ = [
    "CSRF_PLACEHOLDER",
    "IGNORED_TABLES",
    "TABLE_GENERATIONS",
    "bump",
    "bump_table",
    "cached_page",
    "context_processor",
    "generation",
    "install",
    "note_stored",
    "table_generation",
    "table_generation_key",
]

GENERATION_KEY = "fragments:generation"
PAGE_TIMEOUT = 15 * 60  # seconds a stored page may sit unused in the cache
# A page whose minute has passed is rebuilt by one request; meanwhile the others get the last minute's page (the
# same data) for at most this long, instead of all rebuilding it at once.
BUILD_CLAIM_SECONDS = 10
# The {% csrf_token %} of a page being stored: each request puts its own token in its place.
CSRF_PLACEHOLDER = "fragments-csrf-placeholder-7c1d"
# Tables whose writes change no page: the sessions (every signed-in request may touch its row) and the database
# cache (writing to it would raise the generation it stores).
IGNORED_TABLES = frozenset({"django_session", "portal_cache"})
# Tables that also keep a generation of their own, for what is cached from that one table (the signed-in
# person's user row, common/signed_in.py): a write elsewhere does not throw those copies away.
TABLE_GENERATIONS = frozenset({"participants_user"})
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE
)
_state = threading.local()
log = logging.getLogger(__name__)


def generation() -> int:
    """The current data generation (made when missing: a time-based start, so it never repeats an old one)."""
    return _current(GENERATION_KEY)


def _current(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def bump() -> None:
    """Raise the data generation: every stored page stops being served."""
    if getattr(_state, "bumping", False):
        return
    _state.bumping = True
    _stored_since_bump().discard(None)
    try:
        if isinstance(caches["default"], DatabaseCache):
            # The database cache writes on the same connection: in a savepoint, so that a missing cache table
            # (while migrating) cannot break the write that asked for the bump.
            try:
                with transaction.atomic():
                    _increment()
            except DatabaseError:
                log.debug("could not raise the page generation (no cache table yet?)")
        else:
            _increment()
    except Exception:  # the cache is down: the write goes on; a stored page is at most the minute's (its key)
        log.warning("could not raise the page generation", exc_info=True)
    finally:
        _state.bumping = False


def _increment(key: str = GENERATION_KEY) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never made): a fresh start that no stored copy carries
        cache.set(key, time.time_ns(), timeout=None)


def table_generation_key(table: str) -> str:
    return f"fragments:table:{table}"


def table_generation(table: str) -> int:
    """The generation of one of :data:`TABLE_GENERATIONS`, raised by every write to that table."""
    return _current(table_generation_key(table))


def bump_table(table: str) -> None:
    _stored_since_bump().discard(table)
    try:
        _increment(table_generation_key(table))
    except Exception:  # the cache is down: what is cached from the table is not read either
        log.warning("could not raise the generation of %s", table, exc_info=True)


def _bump_after_commit() -> None:
    bump()


# One function per table, made once, so that a transaction's on-commit list holds each at most once.
_table_bumps_after_commit = {table: functools.partial(bump_table, table) for table in TABLE_GENERATIONS}


def note_stored(table: str | None = None) -> None:
    """This thread just kept something under the current generation (a page), or under ``table``'s (a user's
    row): that generation must be raised at the next write of this thread's transaction, or this thread could
    read the stale copy back."""
    _stored_since_bump().add(table)


def _stored_since_bump() -> set:
    if not hasattr(_state, "stored"):
        _state.stored = set()
    return _state.stored


def _written(connection, table: str) -> None:
    # Now (a read later in this transaction sees it) and, inside a transaction, once more at the commit: other
    # processes see the new rows only then, and a page one of them built meanwhile from the old rows must not
    # be kept under the new generation. Within one transaction "now" is needed at its first write and after this
    # thread kept something since: a load of thousands of rows raises the generation twice, not thousands of times.
    table_bump = _table_bumps_after_commit.get(table)
    if not connection.in_atomic_block:
        bump()
        if table_bump is not None:
            table_bump()
        return
    pending = {entry[1] for entry in connection.run_on_commit}
    stored = _stored_since_bump()
    if None in stored or _bump_after_commit not in pending:
        bump()
    if _bump_after_commit not in pending:
        transaction.on_commit(_bump_after_commit, using=connection.alias)
    if table_bump is not None:
        if table in stored or table_bump not in pending:
            table_bump()
        if table_bump not in pending:
            transaction.on_commit(table_bump, using=connection.alias)


def _table_written(sql) -> str | None:
    if not isinstance(sql, str):
        sql = str(sql)
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


class _WriteWatcher:
    """A database execute wrapper: notes every write to a table that pages show."""

    def __init__(self, connection):
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not settings.FRAGMENTS_ENABLED or getattr(_state, "bumping", False):
            return result
        table = _table_written(sql)
        if table is not None and table not in IGNORED_TABLES:
            _written(self.connection, table)
        return result


def _watch(sender, connection, **kwargs):
    if not any(isinstance(wrapper, _WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteWatcher(connection))


def install() -> None:
    """Watch every database connection for writes (called once, from CommonConfig.ready())."""
    from django.db import connections

    connection_created.connect(_watch, dispatch_uid="common.fragments.watch")
    for connection in connections.all(initialized_only=True):
        _watch(None, connection)


def context_processor(request):
    """While a page is being built for the cache, ``{% csrf_token %}`` writes the placeholder."""
    if getattr(request, "_fragments_recording", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _page_key(request) -> str:
    user = request.user
    # The address and the cookies a page may read (an evaluation's edit key…); not the session's nor the CSRF one.
    cookies = sorted(
        (name, value)
        for name, value in request.COOKIES.items()
        if name not in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )
    address = hashlib.sha256(repr((request.get_full_path(), cookies)).encode()).hexdigest()[:32]
    zone = getattr(request, "timezone_name", "") or ""
    language = translation.get_language() or ""
    return f"fragments:page:{user.pk}:{getattr(user, 'viewer_version', 0)}:{language}:{zone}:{address}"


def _minute() -> int:
    return int(timezone.now().timestamp() // 60)


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0  # len() does not mark them as seen


def _cacheable_request(request) -> bool:
    return (
        settings.FRAGMENTS_ENABLED
        and request.method == "GET"
        and request.user.is_authenticated
        and request.headers.get("HX-Request") is None
        and not _has_messages(request)
    )


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not _has_messages(request)
    )


def _with_token(request, content: bytes) -> bytes:
    token = get_token(request).encode()  # also sets the CSRF cookie when the browser has none yet
    return content.replace(CSRF_PLACEHOLDER.encode(), token)


def _building_key(key: str) -> str:
    return f"{key}:building"


def _start_building(key: str) -> bool:
    """Claim the rebuild of a page whose minute has passed; False when another request is rebuilding it."""
    try:
        return cache.add(_building_key(key), 1, BUILD_CLAIM_SECONDS)
    except Exception:
        return True


def _done_building(key: str) -> None:
    try:
        cache.delete(_building_key(key))
    except Exception:
        log.warning("page cache unavailable", exc_info=True)


def cached_page(view):
    """Serve the page this view renders from the shared cache while nothing it could show has changed.

    Put it under the access decorators (``@login_required``, ``@enrolled_required``): they still run on every
    request. The view itself runs only when the page is not stored, or no longer true (see the module).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        try:
            stored = cache.get_many([GENERATION_KEY, key])
            current = stored.get(GENERATION_KEY)
            if current is None:
                current = generation()
        except Exception:  # the cache is down: the page is built as if there were none
            log.warning("page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        minute = _minute()
        page = stored.get(key)
        if page is not None and page[0] == current and (page[1] == minute or not _start_building(key)):
            # This minute's page; or the last minute's, on the same data, while another request rebuilds it.
            return HttpResponse(_with_token(request, page[3]), content_type=page[2])
        request._fragments_recording = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            request._fragments_recording = False
            if page is not None and page[0] == current:
                _done_building(key)
        if response.streaming:
            return response
        if _cacheable_response(request, response):
            try:
                cache.set(key, (current, minute, response["Content-Type"], response.content), PAGE_TIMEOUT)
                note_stored()
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        if CSRF_PLACEHOLDER.encode() in response.content:
            response.content = _with_token(request, response.content)
        return response

    return wrapper
