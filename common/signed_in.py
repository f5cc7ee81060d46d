"""The signed-in person's user row, kept in the shared cache between their requests.

Every signed-in request reads the session and then the person's row (``request.user``), even one that needs
nothing else. With Redis (``FRAGMENTS_ENABLED``) the session comes from the cache (``cached_db`` sessions) and the
row does too: :class:`AuthenticationMiddleware` replaces Django's and keeps a copy of the row per person, stored
with the generation of the user table (:func:`common.fragments.table_generation`). Every write to that table (a
sign-in's ``last_login``, a changed password, a deactivation, an erasure, a ``viewer_version`` raised by an
enrolment change, the admin, a bulk ``update()``) raises that generation, so a copy is never served after the row
changed. Everything Django's :func:`django.contrib.auth.get_user` checks is still checked on each request: the
session names a configured backend, and the session's password hash matches the row (a password change signs
out other sessions); whatever does not match goes through Django's own function, which also handles rotated
secret keys and flushes a stale session.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.sessions.backends import cached_db
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from . import fragments

__all__ = ["AuthenticationMiddleware", "SessionStore", "get_user"]

COPY_TIMEOUT = 15 * 60  # seconds an unused copy stays in the cache
log = logging.getLogger(__name__)


def _copy_key(user_id) -> str:
    return f"signed-in:user:{user_id}"


def get_user(request):
    """``django.contrib.auth.get_user``, served from the shared cache while the user table is unchanged."""
    if not settings.FRAGMENTS_ENABLED:
        return auth.get_user(request)
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend_path = session.get(auth.BACKEND_SESSION_KEY)
    if user_id is None or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    table = auth.get_user_model()._meta.db_table
    generation_key, copy_key = fragments.table_generation_key(table), _copy_key(user_id)
    try:
        found = cache.get_many([generation_key, copy_key])
        current = found.get(generation_key)
        if current is None:
            current = fragments.table_generation(table)
    except Exception:  # the cache is down: as without it
        log.warning("user cache unavailable", exc_info=True)
        return auth.get_user(request)
    copy = found.get(copy_key)
    if copy is not None and copy[0] == current:
        user = copy[1]
        session_hash = session.get(auth.HASH_SESSION_KEY)
        if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
            return user
    # Read after the generation: a write meanwhile raises it, and this copy is never served.
    user = auth.get_user(request)
    if user.is_authenticated:
        try:
            cache.set(copy_key, (current, user), COPY_TIMEOUT)
            fragments.note_stored(table)
        except Exception:
            log.warning("user cache unavailable", exc_info=True)
    return user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's middleware, with ``request.user`` from :func:`get_user`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


class SessionStore(cached_db.SessionStore):
    """Django's ``cached_db`` sessions (``SESSION_ENGINE = "common.signed_in"`` with Redis): read from the cache,
    written to both. A cache that is down costs the database's read, as without it, instead of an error: people
    already signed in stay signed in (Django itself only forgives a failed write). Signing in and out still need
    the cache, as in Django: a copy of a deleted session left in it would be served again once it is back."""

    def load(self):
        try:
            return super().load()
        except Exception:
            log.warning("session cache unavailable", exc_info=True)
            session = self._get_session_from_db()  # type: ignore[attr-defined]  # db.SessionStore's, not in the stubs
            return self.decode(session.session_data) if session else {}
