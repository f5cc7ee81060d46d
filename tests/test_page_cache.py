"""Pages kept in the shared cache (common/fragments.py): served again while nothing changed, never after a write,
never to someone else, always with the request's own CSRF token and flash messages."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import fragments
from preparation import services
from preparation.models import Submission
from sessions_app.models import PreparationTask
from tests.factories import ParticipantFactory
from tests.factories_preparation import task_in

Deliverable = PreparationTask.Deliverable


@pytest.fixture(autouse=True)
def _own_cache(private_cache, settings, time_machine):
    settings.FRAGMENTS_ENABLED = True  # on with Redis; here a cache of this test's own stands in for it
    settings.SESSION_ENGINE = "common.signed_in"
    # The programme's sessions start on 23 February 2021; a moment in the preparation weeks.
    time_machine.move_to("2021-02-10T12:00:00Z", tick=False)


def text_task(programme):
    return task_in(programme, 1, kind=PreparationTask.Kind.READING, deliverable=Deliverable.TEXT)


def stored_page_key() -> str:
    """The cache key of the one page stored in this test's own cache (as the page cache names it)."""
    (stored,) = [key for key in fragments.cache._cache if "fragments:page:" in key]
    return stored[stored.index("fragments:page:") :]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_second_visit_is_served_from_the_cache_with_fewer_queries(participant_client, participant, programme):
    text_task(programme)
    url = reverse("preparation:mine")
    participant_client.get(url)  # the first visit may make lazily made rows
    fragments.bump()
    built, page = queries_of(participant_client, url)
    served, page_again = queries_of(participant_client, url)
    assert served == 0 < built  # the page, the session and the person's row all come from the (private) cache
    assert page_again.split("csrfmiddlewaretoken")[0] == page.split("csrfmiddlewaretoken")[0]


def test_submitted_work_shows_on_my_preparation_at_once(participant_client, participant, programme):
    task = text_task(programme)
    url = reverse("preparation:mine")
    participant_client.get(url)
    assert "My answer about the reading" not in participant_client.get(url).content.decode()
    services.submit(task, participant, text="My answer about the reading")
    assert "My answer about the reading" in participant_client.get(url).content.decode()


def test_work_posted_through_the_task_page_shows_on_my_preparation(participant_client, participant, programme):
    task = text_task(programme)
    url = reverse("preparation:mine")
    before = participant_client.get(url).content.decode()
    posted = participant_client.post(reverse("preparation:task", args=[task.pk]), {"text": "Posted through the page"})
    assert posted.status_code == 302
    assert Submission.objects.filter(task=task).exists()
    after = participant_client.get(url).content.decode()
    assert "Posted through the page" in after
    assert after != before


def test_a_bulk_update_is_seen_as_well(participant_client, participant, programme):
    task = text_task(programme)
    url = reverse("preparation:mine")
    participant_client.get(url)
    participant_client.get(url)
    PreparationTask.objects.filter(pk=task.pk).update(title="Renamed without a signal")
    assert "Renamed without a signal" in participant_client.get(url).content.decode()


def test_a_page_is_never_served_to_another_person(client, participant, programme):
    other = ParticipantFactory(cohort=participant.cohort)
    url = reverse("sessions:schedule")
    client.force_login(participant.user)
    client.get(url)
    client.force_login(other.user)
    page = client.get(url).content.decode()
    assert other.user.get_full_name() in page or other.user.email in page
    assert participant.user.email not in page


def test_each_request_gets_its_own_csrf_token_and_never_the_placeholder(participant_client, participant, programme):
    text_task(programme)
    url = reverse("preparation:mine")
    participant_client.get(url)
    page = participant_client.get(url).content.decode()  # from the cache
    assert fragments.CSRF_PLACEHOLDER not in page
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert tokens
    # The token works: a sign-out posted with it is accepted by a client that checks CSRF.
    from django.test import Client

    checking = Client(enforce_csrf_checks=True)
    checking.force_login(participant.user)
    checking.get(url)
    cached = checking.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached).group(1)
    assert checking.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_flash_message_is_shown_once_and_the_page_is_not_kept_with_it(participant_client, participant, programme):
    task = text_task(programme)
    url = reverse("preparation:mine")
    participant_client.get(url)
    participant_client.post(
        reverse("preparation:task", args=[task.pk]), {"text": "Handed in", "next": url}, follow=False
    )
    shown = participant_client.get(url)
    messages = [str(m) for m in get_messages(shown.wsgi_request)]
    page = shown.content.decode()
    assert messages and all(m in page for m in messages)
    again = participant_client.get(url).content.decode()
    for message in messages:
        assert message not in again


def test_a_page_is_served_for_at_most_a_minute(participant_client, participant, programme, time_machine):
    url = reverse("sessions:schedule")
    participant_client.get(url)
    fragments.bump()
    built, _ = queries_of(participant_client, url)
    time_machine.shift(44)
    served, _ = queries_of(participant_client, url)
    time_machine.shift(17)  # 61 s after it was built
    rebuilt, _ = queries_of(participant_client, url)
    assert served == 0 < built
    assert rebuilt > 0


def test_a_page_built_as_a_minute_ends_is_not_rebuilt_at_its_turn(
    participant_client, participant, programme, time_machine
):
    # When every page lived until its wall-clock minute ended, a group's pages were all rebuilt at each turn.
    time_machine.move_to("2021-02-10T12:00:59Z", tick=False)
    url = reverse("sessions:schedule")
    participant_client.get(url)
    fragments.bump()
    queries_of(participant_client, url)
    time_machine.move_to("2021-02-10T12:01:02Z", tick=False)
    served, _ = queries_of(participant_client, url)
    assert served == 0


def test_pages_built_together_expire_apart_and_within_a_minute():
    lives = [fragments.fresh_for(f"fragments:page:{n}:0:en:UTC:x") for n in range(200)]
    assert all(45 <= life <= 60 for life in lives)
    assert max(lives) - min(lives) > 12  # spread over the quarter-minute, not all in one second


def test_while_one_request_rebuilds_an_expired_page_the_others_get_that_page(
    participant_client, participant, programme, time_machine
):
    url = reverse("sessions:schedule")
    participant_client.get(url)
    fragments.bump()
    built, page = queries_of(participant_client, url)
    time_machine.shift(61)
    key = stored_page_key()
    assert fragments._start_building(key)  # another request is rebuilding it now
    served, page_again = queries_of(participant_client, url)
    assert served == 0 < built  # the expired page, not a rebuild of its own
    assert page_again.split("csrfmiddlewaretoken")[0] == page.split("csrfmiddlewaretoken")[0]
    fragments._done_building(key)
    rebuilt, _ = queries_of(participant_client, url)
    assert rebuilt > 0  # the rebuild done (or abandoned), the next request builds a fresh page


def test_a_page_of_older_data_is_never_served_even_while_it_is_rebuilt(participant_client, participant, programme):
    task = text_task(programme)
    url = reverse("preparation:mine")
    participant_client.get(url)
    key = stored_page_key()
    assert fragments._start_building(key)
    services.submit(task, participant, text="Handed in while the page was being rebuilt")
    assert "Handed in while the page was being rebuilt" in participant_client.get(url).content.decode()


def test_a_write_in_a_transaction_raises_the_generation_again_at_the_commit(db, django_capture_on_commit_callbacks):
    from django.db import transaction

    start = fragments.generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        PreparationTask.objects.update(title="x")
        first = fragments.generation()
        PreparationTask.objects.update(title="y")
        assert fragments.generation() == first  # nothing was kept from the first write's state: no need
        fragments.note_stored()  # a page built now, from both writes, kept under this generation
        PreparationTask.objects.update(title="z")
        during = fragments.generation()
    assert start < first < during  # at the first write, and after something was kept
    assert len(callbacks) == 1  # and once more at the commit, however many writes
    assert fragments.generation() > during


def test_a_page_read_again_in_the_same_transaction_shows_its_later_writes(participant_client, participant, programme):
    # As a test (or a long request) does: write, read the page, write again, read again, all in one transaction.
    task = text_task(programme)
    url = reverse("preparation:mine")
    services.submit(task, participant, text="First version of my answer")
    assert "First version of my answer" in participant_client.get(url).content.decode()
    services.submit(task, participant, text="Second version of my answer")
    assert "Second version of my answer" in participant_client.get(url).content.decode()


def test_writes_to_the_session_and_cache_tables_do_not_raise_the_generation(db):
    start = fragments.generation()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session WHERE session_key = %s", ["nothing"])
    assert fragments.generation() == start
    PreparationTask.objects.filter(pk=0).update(title="a write")
    assert fragments.generation() > start


def test_without_a_shared_cache_in_memory_pages_are_built_every_time(participant_client, participant, settings):
    settings.FRAGMENTS_ENABLED = False
    url = reverse("sessions:schedule")
    participant_client.get(url)
    start = fragments.generation()
    first, _ = queries_of(participant_client, url)
    again, _ = queries_of(participant_client, url)
    assert again == first > 2
    PreparationTask.objects.filter(pk=0).update(title="no bump either")
    assert fragments.generation() == start


def test_with_the_cache_down_pages_are_built_and_writes_go_on(participant_client, participant, programme, settings):
    settings.CACHES = {  # nothing listens on port 1
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    task = text_task(programme)
    services.submit(task, participant, text="Written while the cache is down")
    page = participant_client.get(reverse("preparation:mine"))
    assert page.status_code == 200
    assert "Written while the cache is down" in page.content.decode()


def test_the_dtca_home_is_kept_and_shows_an_answer_saved_since_at_once(participant_client, participant, programme):
    from assessments.selectors import instrument_structure
    from assessments.services import AnswerInput, save_answers
    from tests.factories_assessments import answer, build_instrument, build_run

    run = build_run(programme, build_instrument(dimensions=(("Leadership", 3),)))
    answer(run, participant, [3])  # a draft with one of three statements answered
    url = reverse("dtca:home")
    participant_client.get(url)
    fragments.bump()
    built, page = queries_of(participant_client, url)
    served, _ = queries_of(participant_client, url)
    assert served == 0 < built
    assert "1 of 3 answered" in page
    structure = instrument_structure(run.instrument)
    second = structure.statements[1]
    save_answers(run, participant, structure, {second.pk: AnswerInput(value="4")})  # saved as they go
    assert "2 of 3 answered" in participant_client.get(url).content.decode()


def test_a_write_to_a_table_the_page_did_not_read_keeps_it(participant_client, participant, programme):
    from tests.factories_assessments import answer, build_instrument, build_run

    run = build_run(programme, build_instrument(dimensions=(("Leadership", 2),)))
    neighbour = ParticipantFactory(cohort=participant.cohort)
    url = reverse("sessions:schedule")
    participant_client.get(url)
    fragments.bump()
    built, _ = queries_of(participant_client, url)
    answer(run, neighbour, [3, 4])  # another participant saves their DTCA draft
    served, _ = queries_of(participant_client, url)
    assert served == 0 < built


def test_a_name_changed_shows_at_once_on_every_kept_page(participant_client, participant, programme):
    url = reverse("sessions:schedule")
    participant_client.get(url)
    participant.user.first_name = "Anneliese"
    participant.user.save()
    assert "Anneliese" in participant_client.get(url).content.decode()


def test_a_statement_reworded_shows_on_a_kept_dtca_page_built_from_the_cached_questionnaire(
    participant_client, participant, programme
):
    from tests.factories_assessments import build_instrument, build_run

    run = build_run(programme, build_instrument(dimensions=(("Leadership", 2),)))
    url = reverse("dtca:page", args=[1])
    participant_client.get(url)  # reads the questionnaire and keeps it in the cache
    fragments.bump()
    queries_of(participant_client, url)  # this page is built from the kept questionnaire
    statement = run.instrument.dimensions.get().statements.order_by("order", "pk").first()
    statement.text = "Leaders champion the digital agenda in every ministry"
    statement.save()  # as the admin does
    assert "Leaders champion the digital agenda in every ministry" in participant_client.get(url).content.decode()


def test_reads_recorded_in_nested_blocks_reach_every_enclosing_block(db):
    from sessions_app.models import Workshop

    with fragments.reads_recorded() as page:
        with fragments.reads_recorded() as inner:
            pass  # an inner block that read nothing, equal to the outer one so far
        list(Workshop.objects.all())  # read after the inner block ended
        with fragments.reads_recorded() as cached:
            fragments.note_read(["assessments_statement"])
    assert inner == set()
    assert cached == {"assessments_statement"}
    assert page == {"sessions_app_workshop", "assessments_statement"}


def test_a_table_read_with_raw_sql_is_a_dependency_too(db):
    with fragments.reads_recorded() as tables, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sessions_app_workshop w JOIN sessions_app_cohort c ON c.workshop_id=w.id")
    assert {"sessions_app_workshop", "sessions_app_cohort"} <= tables
