"""Rendered pages kept in the shared cache, never served stale after a write.

A page a person opens again and again (the home, *My preparation*, the progress board…) costs tens of
milliseconds to build: the selectors' queries and the template's rendering. Nearly always nothing it shows has
changed since the last time. :func:`cached_page` keeps the rendered page per person in the shared cache (Redis
when ``REDIS_URL`` is set, else the database cache) and serves it again while it is still true.

**When is it still true?** Each table has a *generation*, a counter in the cache, and so has the data as a
whole. A page is stored with the generations, read just before it was built, of every table it read, and served
only while none of them has changed:

* Every write to the portal's tables raises that table's generation and the data generation: the database
  wrapper :func:`install` puts on each connection sees every ``INSERT``, ``UPDATE`` and ``DELETE`` (from a
  service, the admin, a bulk ``update()``, a management command, the worker) and calls :func:`bump_table` — once
  right away and once more when the transaction commits, so that a page built from data read before the commit
  cannot be kept under the new generation. No service has to remember to invalidate anything, and no write is
  missed; the tables that never change a page (sessions, the cache table) are left out (:data:`IGNORED_TABLES`).
* The same wrapper notes the tables each query of a page's build reads (``FROM`` and ``JOIN``, subqueries
  included), so a page depends on exactly the tables it read: a DTCA answer saved does not throw away the
  schedules, an evaluation response not the preparation pages. What a build takes from another cache instead of
  a query says which tables it came from (:func:`note_read`; the questionnaire's structure does). Every page also
  depends on the user table (the person's row and participation come from caches, see :data:`ALWAYS_READ`), and
  :func:`bump` throws every page away. A page that read a table without a generation is not kept.
* Serving costs one cache read while nothing at all was written since the page was built (its data generation
  unchanged), and one more, of its own tables' generations, otherwise.
* What depends on the clock rather than on data ("open now", "due in 2 hours") is covered by a page's short life:
  it is served for at most a minute after it was built (:func:`fresh_for`: between 45 and 60 seconds, a share
  of that quarter-minute drawn from the page's key), except while one request rebuilds a page that has expired
  (on the same data): the person's other requests then get that page instead of all rebuilding it at once (at
  most :data:`BUILD_CLAIM_SECONDS`, usually the tenth of a second a build takes). Lives of different lengths keep
  a group's pages from all expiring in the same second: when they did (each page lived until its wall-clock
  minute ended), twenty people's pages were rebuilt together at every minute's turn and the requests waiting
  behind them passed 200 ms.
* Everything else a page depends on is in its key: the person (and their ``viewer_version``), the address with
  its query string, the cookies a page may read (not the session's), the language and the person's zone.

**What is never cached:** anything but a ``GET`` answered ``200`` with HTML, htmx partial requests, pages with a
flash message to show or that added one, and responses that set cookies. The CSRF token is not part of what is
stored: the page is built with a placeholder and each request gets its own token in its place.

**Only with a shared cache in memory** (``FRAGMENTS_ENABLED``, on when ``REDIS_URL`` is set): with the database
cache a stored page would cost the queries it saves (and every write a cache write), and a cache in one
process's memory would not see another process's writes.

Generations are per table, not per row: a preparation text handed in by one participant rebuilds every page
that reads preparation work (the other participants' *My preparation* too) once on its next visit. That is the
price of never missing a write without per-model code; a page is rebuilt at most once per write to a table it
read, and once a minute, for each person who opens it.
"""

from __future__ import annotations

import contextlib
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

from . import request_memo

__all__ = [
    "CSRF_PLACEHOLDER",
    "IGNORED_TABLES",
    "ALL_PAGES",
    "bump",
    "bump_table",
    "cached_page",
    "context_processor",
    "generation",
    "install",
    "note_read",
    "note_stored",
    "table_generation",
    "table_generation_key",
]

GENERATION_KEY = "fragments:generation"
PAGE_TIMEOUT = 15 * 60  # seconds a stored page may sit unused in the cache
# A page is served for at most FRESH_SECONDS after it was built, at least FRESH_SECONDS - FRESH_SPREAD_SECONDS.
FRESH_SECONDS = 60
FRESH_SPREAD_SECONDS = 15
# An expired page is rebuilt by one request; meanwhile the person's others get the expired page (the same data)
# for at most this long, instead of all rebuilding it at once.
BUILD_CLAIM_SECONDS = 10
# The {% csrf_token %} of a page being stored: each request puts its own token in its place.
CSRF_PLACEHOLDER = "fragments-csrf-placeholder-7c1d"
# Tables whose writes change no page: the sessions (every signed-in request may touch its row) and the database
# cache (writing to it would raise the generation it stores).
IGNORED_TABLES = frozenset({"django_session", "portal_cache"})
# Every page depends on this name's generation as on a table's: bump() raises it to throw every page away.
ALL_PAGES = "*"
# Every page shows the signed-in person (their name, their language), whose row comes from the cache
# (common/signed_in.py), as does their participation (participants/viewer.py, keyed by a column of that row).
ALWAYS_READ = frozenset({ALL_PAGES, "participants_user"})
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE
)
# The tables a query reads: the name after FROM or JOIN (subqueries' too), quoted as Django writes it or not (raw
# SQL). A name that is no table's (a keyword) has no generation, so the page that read it is simply not kept.
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
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
    """Every stored page stops being served (whatever it read): raises the generation every page depends on."""
    _raise(ALL_PAGES)


def bump_table(table: str) -> None:
    """A write to ``table``: the pages and copies that read it stop being served (and the data generation rises)."""
    _raise(table)


def _raise(table: str) -> None:
    if getattr(_state, "bumping", False):
        return
    _state.bumping = True
    _fresh_tables().add(table)
    try:
        if isinstance(caches["default"], DatabaseCache):
            # The database cache writes on the same connection: in a savepoint, so that a missing cache table
            # (while migrating) cannot break the write that asked for the bump.
            try:
                with transaction.atomic():
                    _increment(table_generation_key(table))
                    _increment(GENERATION_KEY)
            except DatabaseError:
                log.debug("could not raise the page generation (no cache table yet?)")
        else:
            # The table's first, then the data generation: a page whose snapshot saw the data generation
            # unchanged saw every table's unchanged too.
            _increment(table_generation_key(table))
            _increment(GENERATION_KEY)
    except Exception:  # the cache is down: the write goes on; a stored page is served a minute at most
        log.warning("could not raise the generation of %s", table, exc_info=True)
    finally:
        _state.bumping = False


def _increment(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted or never made): a fresh start that no stored copy carries
        cache.set(key, time.time_ns(), timeout=None)


def table_generation_key(table: str) -> str:
    return f"fragments:table:{table}"


def table_generation(table: str) -> int:
    """The generation of one table, raised by every write to it."""
    return _current(table_generation_key(table))


def note_stored(table: str | None = None) -> None:
    """This thread just kept something read from ``table`` (a user's row), or from any table (a page, ``None``),
    under the current generations: the next write of this thread's transaction to such a table must raise its
    generation again, or this thread could read the stale copy back."""
    fresh = _fresh_tables()
    if table is None:
        fresh.clear()
    else:
        fresh.discard(table)


def _fresh_tables() -> set:
    """The tables whose generation this thread raised since it last kept something read from them."""
    if not hasattr(_state, "fresh"):
        _state.fresh = set()
    return _state.fresh


def _written(connection, table: str) -> None:
    # Now (a read later in this transaction sees it) and, inside a transaction, once more at the commit: other
    # processes see the new rows only then, and a page one of them built meanwhile from the old rows must not
    # be kept under the new generation. Within one transaction "now" is needed at a table's first write and after
    # this thread kept something since: a load of thousands of rows raises each table's generation twice, not
    # thousands of times.
    if not connection.in_atomic_block:
        bump_table(table)
        return
    at_commit = _commit_bumps(connection)
    pending = any(entry[1] is at_commit for entry in connection.run_on_commit)
    if not pending:  # this transaction's first write (or its earlier ones were rolled back with a savepoint)
        connection._fragments_raised_now = set()
    raised_now = connection._fragments_raised_now
    if table not in raised_now or table not in _fresh_tables():
        bump_table(table)
        raised_now.add(table)
    connection._fragments_written.add(table)
    if not pending:
        transaction.on_commit(at_commit, using=connection.alias)


def _commit_bumps(connection) -> functools.partial:
    """The connection's one on-commit function: it raises the generation of every table written since it last
    ran (a transaction rolled back leaves its tables for the next commit: raised once too often, never missed)."""
    if not hasattr(connection, "_fragments_at_commit"):
        connection._fragments_written = set()
        connection._fragments_raised_now = set()
        connection._fragments_at_commit = functools.partial(_raise_written, connection)
    return connection._fragments_at_commit


def _raise_written(connection) -> None:
    written, connection._fragments_written = connection._fragments_written, set()
    for table in sorted(written):
        bump_table(table)


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
        if getattr(_state, "bumping", False):
            return result
        table = _table_written(sql)
        if table is None:
            if getattr(_state, "reading", None):
                note_read(_READ.findall(sql if isinstance(sql, str) else str(sql)))
            return result
        if table not in IGNORED_TABLES:
            request_memo.forget()  # what this request read before the write is read again
            if settings.FRAGMENTS_ENABLED:
                _written(self.connection, table)
        return result


def note_read(tables) -> None:
    """What is being built (a page, a copy kept in the cache) read these tables: the watcher notes every query's,
    and code that serves something read from tables out of another cache says which tables it came from."""
    for reading in getattr(_state, "reading", None) or ():
        reading.update(tables)


@contextlib.contextmanager
def reads_recorded():
    """Collect the tables read inside the block (by this thread), into the set it yields; what an enclosing block
    records gets them too."""
    tables: set[str] = set()
    stack = getattr(_state, "reading", None)
    if stack is None:
        stack = _state.reading = []
    stack.append(tables)
    try:
        yield tables
    finally:
        stack.pop()  # this block's own set (blocks nest); remove() would take the first equal one


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


def _now() -> float:
    return timezone.now().timestamp()


def fresh_for(key: str) -> float:
    """How many seconds the page stored under ``key`` is served: at most a minute, each page a little less or more
    than its neighbours (the same key always gets the same), so that pages built together expire apart."""
    share = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") / 2**32
    return FRESH_SECONDS - FRESH_SPREAD_SECONDS * share


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
    """Claim the rebuild of an expired page; False when another request is rebuilding it."""
    try:
        return cache.add(_building_key(key), 1, BUILD_CLAIM_SECONDS)
    except Exception:
        return True


def _done_building(key: str) -> None:
    try:
        cache.delete(_building_key(key))
    except Exception:
        log.warning("page cache unavailable", exc_info=True)


@functools.cache
def _tables() -> tuple[str, ...]:
    """Every table a page can read that has a generation: the models' (and their many-to-many tables')."""
    from django.apps import apps

    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    return tuple(sorted((names - IGNORED_TABLES) | {ALL_PAGES}))


def _snapshot() -> tuple[int | None, dict[str, int | None]]:
    """The data generation and every table's, read at once (those missing are made: a fresh start)."""
    keys = [GENERATION_KEY, *(table_generation_key(table) for table in _tables())]
    found = cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        found.update(cache.get_many(missing))
    return found.get(GENERATION_KEY), {table: found.get(table_generation_key(table)) for table in _tables()}


def _on_same_data(page, data_generation) -> bool:
    """Whether no table the stored page read was written since: at once when nothing at all was written, else
    by the generations of its own tables (one more read)."""
    if len(page) < 5:  # kept by an earlier version of this module
        return False
    if data_generation is not None and page[0] == data_generation:
        return True
    generations = page[4]
    keys = [table_generation_key(table) for table, _ in generations]
    current = cache.get_many(keys)
    return all(current.get(key) == kept for key, (_, kept) in zip(keys, generations, strict=True))


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
            page = stored.get(key)
            on_same_data = page is not None and _on_same_data(page, stored.get(GENERATION_KEY))
        except Exception:  # the cache is down: the page is built as if there were none
            log.warning("page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        now = _now()
        claimed = False
        if page is not None and on_same_data and (now < page[1] or not (claimed := _start_building(key))):
            # A page still fresh; or an expired one, on the same data, while another request rebuilds it.
            return HttpResponse(_with_token(request, page[3]), content_type=page[2])
        try:
            # Before anything is read: a write after this moment raises a generation the page is kept under.
            data_generation, tables_before = _snapshot()
        except Exception:
            log.warning("page cache unavailable", exc_info=True)
            data_generation, tables_before = None, {}
        request._fragments_recording = True
        try:
            with reads_recorded() as tables_read:
                response = view(request, *args, **kwargs)
        finally:
            request._fragments_recording = False
            if claimed:
                _done_building(key)
        if response.streaming:
            return response
        depends = (tables_read - IGNORED_TABLES) | ALWAYS_READ
        # A page that read a table with no generation (no model's, or the cache failed) is never kept.
        if _cacheable_response(request, response) and all(tables_before.get(t) is not None for t in depends):
            try:
                generations = tuple(sorted((table, tables_before[table]) for table in depends))
                content = response.content
                expires = now + fresh_for(key)
                cache.set(key, (data_generation, expires, response["Content-Type"], content, generations), PAGE_TIMEOUT)
                note_stored()
            except Exception:
                log.warning("page cache unavailable", exc_info=True)
        if CSRF_PLACEHOLDER.encode() in response.content:
            response.content = _with_token(request, response.content)
        return response

    return wrapper
