"""A signed-in request's session and user row from the shared cache (common/signed_in.py): no database read on
the way in, and never a stale person — a changed password, a deactivation (even by a bulk update), an erasure or a
forged session is seen on the very next request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import fragments
from common.signed_in import SessionStore
from participants.models import User
from privacy.services import erase_person

SCHEDULE = "sessions:schedule"


@pytest.fixture(autouse=True)
def _shared_cache(private_cache, settings):
    # As with REDIS_URL set: here a cache of this test's own stands in for Redis.
    settings.FRAGMENTS_ENABLED = True
    settings.SESSION_ENGINE = "common.signed_in"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_signed_in(client) -> bool:
    response = client.get(reverse(SCHEDULE))
    return response.status_code == 200


def test_a_signed_in_page_served_again_reads_nothing_from_the_database(participant):
    client = signed_in(participant.user)
    assert is_signed_in(client)  # the page, the person's row and the session are now in the cache
    with CaptureQueriesContext(connection) as queries:
        assert is_signed_in(client)
    assert [query["sql"] for query in queries] == []


def test_a_password_changed_in_another_session_signs_this_one_out_at_once(participant):
    old_session = signed_in(participant.user)
    assert is_signed_in(old_session)  # the person's row is cached with this session's password hash
    participant.user.set_password("a-new-pass-word-456")
    participant.user.save()
    assert not is_signed_in(old_session)


def test_a_person_deactivated_by_a_bulk_update_is_signed_out_at_once(participant):
    client = signed_in(participant.user)
    assert is_signed_in(client)
    User.objects.filter(pk=participant.user.pk).update(is_active=False)  # no model signal runs
    assert not is_signed_in(client)


def test_an_erased_person_is_signed_out_at_once(participant, organizer):
    client = signed_in(participant.user)
    assert is_signed_in(client)
    erase_person(participant.user, by=organizer)
    assert not is_signed_in(client)


def test_a_forged_session_naming_another_person_is_refused_though_their_row_is_cached(participant, organizer):
    victim = signed_in(organizer)
    assert victim.get(reverse("admin:index")).status_code == 200  # the organizer's row is now in the cache
    forged = SessionStore()
    forged[SESSION_KEY] = str(organizer.pk)
    forged[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    forged[HASH_SESSION_KEY] = "0" * 64
    forged.save()
    attacker = Client()
    attacker.cookies["sessionid"] = forged.session_key
    response = attacker.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not SessionStore().exists(forged.session_key)  # Django flushed it


def test_a_write_to_another_table_keeps_the_cached_rows(participant, programme):
    client = signed_in(participant.user)
    assert is_signed_in(client)
    # A page must be built again; the person's row need not be read again.
    programme.cohorts.filter(name="Group A").update(name="Group A (renamed)")
    with CaptureQueriesContext(connection) as queries:
        assert is_signed_in(client)
    assert not any('"participants_user"' in query["sql"] for query in queries)
    assert not any('"django_session"' in query["sql"] for query in queries)


def test_a_change_committed_by_another_process_reaches_every_cached_copy(participant):
    client = signed_in(participant.user)
    assert is_signed_in(client)
    table = User._meta.db_table
    before = fragments.table_generation(table)
    fragments.bump_table(table)  # what the write watcher of another process does for its write
    assert fragments.table_generation(table) > before
    with CaptureQueriesContext(connection) as queries:
        assert is_signed_in(client)
    assert any('"participants_user"' in query["sql"] for query in queries)


def test_with_the_cache_down_people_signed_in_stay_signed_in(participant, settings):
    client = signed_in(participant.user)
    settings.CACHES = {  # nothing listens on port 1
        "default": {"BACKEND": "common.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert is_signed_in(client)
    assert is_signed_in(client)
