"""A confirmed roster import runs in the worker (issue #17): the request only records the job; the organizer follows
it on a status page that refreshes itself until the import ends, then shows its outcome or the problems the worker's
check found (nothing imported)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from participants import services, tasks
from participants.models import Participant, RosterImport, User
from participants.roster import rows_from_dicts

from .factories import ParticipantFactory, UserFactory
from .test_roster_import import (
    CLEAN,
    IMPORT_URL,
    countries,  # noqa: F401 - the fixture
    csv_upload,
    preview,
)

pytestmark = pytest.mark.usefixtures("countries")

STATUS_URL = "admin:participants_participant_import_status"


def status_url(job):
    return reverse(STATUS_URL, args=[job.pk])


def confirm(client, capture, *, execute=True, invitations=True):
    with capture(execute=execute) as callbacks:
        response = client.post(
            reverse(IMPORT_URL), {"confirm": "1", **({"send_invitations": "1"} if invitations else {})}
        )
    assert response.status_code == 302
    return response, callbacks


def roster_rows(*emails, group="Group A", country="JM"):
    return rows_from_dicts(
        [
            {"email": e, "first_name": "Ana", "last_name": e.split("@")[0], "country": country, "group": group}
            for e in emails
        ]
    )


def test_confirming_queues_the_import_and_the_worker_does_it(
    organizer, organizer_client, programme, mailoutbox, django_capture_on_commit_callbacks
):
    preview(organizer_client, programme, csv_upload(CLEAN))
    response, callbacks = confirm(organizer_client, django_capture_on_commit_callbacks, execute=False)
    job = RosterImport.objects.get()
    assert response["Location"] == status_url(job)
    assert (job.status, job.row_count, job.requested_by, job.send_invitations) == ("queued", 3, organizer, True)
    assert Participant.objects.count() == 0  # nothing imported in the request

    waiting = organizer_client.get(status_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "Waiting to start" in waiting and "roster.csv" in waiting

    with django_capture_on_commit_callbacks(execute=True):  # the invitations the worker queues on its commit
        for callback in callbacks:  # the commit: the (eager) worker imports
            callback()
    job.refresh_from_db()
    assert (job.status, job.imported_count, job.invited_count, job.rows) == ("done", 3, 3, [])
    assert job.started_at and job.finished_at
    assert Participant.objects.count() == 3
    assert len(mailoutbox) == 3

    done = organizer_client.get(status_url(job)).content.decode()
    assert "http-equiv" not in done  # it stops refreshing
    assert f"Imported 3 participants into “{programme}”. 3 invitations are being sent." in done
    participants = reverse("admin:participants_participant_changelist")
    assert f'href="{participants}?cohort__workshop__id__exact={programme.pk}"' in done


def test_without_invitations_the_outcome_says_none_were_sent(
    organizer_client, programme, mailoutbox, django_capture_on_commit_callbacks
):
    preview(organizer_client, programme, csv_upload(CLEAN))
    response, _ = confirm(organizer_client, django_capture_on_commit_callbacks, invitations=False)
    page = organizer_client.get(response["Location"]).content.decode()
    assert "Imported 3 participants into" in page and "No invitations were sent yet." in page
    assert mailoutbox == []


def test_a_job_delivered_twice_imports_once(organizer, programme, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.queue_roster_import(
            programme, roster_rows("a@gov.jm", "b@gov.jm"), file_name="r.csv", user=organizer, send_invitations=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_roster_import(job.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.run_roster_import(job.pk) is False  # the second delivery finds it done
    assert Participant.objects.count() == 2
    assert len(mailoutbox) == 2


def test_a_running_job_is_left_alone_unless_its_worker_was_lost(organizer, programme):
    job = services.queue_roster_import(
        programme, roster_rows("a@gov.jm"), file_name="r.csv", user=organizer, send_invitations=False
    )
    RosterImport.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now() - timedelta(minutes=5))
    assert services.run_roster_import(job.pk) is False  # another worker has it
    assert Participant.objects.count() == 0
    RosterImport.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=31))
    assert services.run_roster_import(job.pk) is True  # lost worker (its transaction rolled back): run again
    job.refresh_from_db()
    assert job.status == "done" and Participant.objects.count() == 1


def test_a_recheck_that_finds_a_problem_imports_nobody_and_the_page_lists_it(
    organizer_client, programme, mailoutbox, django_capture_on_commit_callbacks
):
    preview(organizer_client, programme, csv_upload(CLEAN))
    # Meanwhile someone enrols Devon by hand.
    ParticipantFactory(cohort=programme.cohorts.get(name="Group B"), user__email="devon.clarke@gov.jm")
    response, _ = confirm(organizer_client, django_capture_on_commit_callbacks)
    job = RosterImport.objects.get()
    assert job.status == "refused" and job.imported_count == 0
    assert [row["line"] for row in job.problems] == [3]
    assert Participant.objects.count() == 1  # nobody imported
    assert mailoutbox == []

    page = organizer_client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page
    assert "Nothing was imported." in page and "1 of 3 rows of <strong>roster.csv</strong> has a problem." in page
    assert "Already enrolled in Group B." in page
    assert page.count("roster-row-problem") == 1
    assert '<tr class="roster-row-problem">\n        <td>3</td>' in page


def test_a_failing_import_is_marked_failed_and_imports_nothing(organizer, organizer_client, programme, monkeypatch):
    job = services.queue_roster_import(
        programme, roster_rows("a@gov.jm"), file_name="r.csv", user=organizer, send_invitations=False
    )

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_enroll_rows", broken)  # after the accounts were made: they go too
    with pytest.raises(RuntimeError):
        services.run_roster_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "database went away" in job.error
    assert Participant.objects.count() == 0
    assert not User.objects.filter(email="a@gov.jm").exists()
    page = organizer_client.get(status_url(job)).content.decode()
    assert "The import failed; nothing was imported. database went away" in page and "http-equiv" not in page


@pytest.fixture
def refused_job(organizer, programme):
    ParticipantFactory(cohort=programme.cohorts.get(name="Group A"), user__email="a@gov.jm")
    job = services.queue_roster_import(
        programme, roster_rows("a@gov.jm", "b@gov.jm"), file_name="r.csv", user=organizer, send_invitations=False
    )
    services.run_roster_import(job.pk)
    return job


def test_only_staff_who_may_add_participants_see_an_import(client, refused_job, programme):
    url = status_url(refused_job)
    client.force_login(UserFactory())  # not staff: the admin's sign-in page
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    assert client.get(url).status_code == 302
    staff = UserFactory(is_staff=True)  # staff, but no permission on participants
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="participants", codename="add_participant")
    )
    assert client.get(url).status_code == 200
    assert client.get(reverse(STATUS_URL, args=[refused_job.pk + 1000])).status_code == 404


def test_the_status_page_runs_a_bounded_number_of_queries(
    organizer, organizer_client, programme, django_assert_max_num_queries
):
    job = services.queue_roster_import(
        programme,
        roster_rows(*[f"p{n}@gov.jm" for n in range(2)]),
        file_name="r.csv",
        user=organizer,
        send_invitations=False,
    )
    organizer_client.get(status_url(job))  # the session and permission caches warm
    with django_assert_max_num_queries(5):
        assert organizer_client.get(status_url(job)).status_code == 200
    services.run_roster_import(job.pk)
    with django_assert_max_num_queries(5):
        assert organizer_client.get(status_url(job)).status_code == 200
    # A refused import of many rows: the same number (the rows come from the job, not the database).
    big = services.queue_roster_import(
        programme,
        roster_rows(*[f"q{n}@gov.jm" for n in range(40)]),
        file_name="big.csv",
        user=organizer,
        send_invitations=False,
    )
    services.run_roster_import(big.pk)
    assert RosterImport.objects.get(pk=big.pk).status == "refused"  # Group A is full, Jamaica's seats taken
    with django_assert_max_num_queries(5):
        page = organizer_client.get(status_url(big))
    assert page.status_code == 200 and page.content.decode().count("roster-row-problem") > 10


def test_past_imports_are_listed_read_only(organizer_client, refused_job):
    listing = organizer_client.get(reverse("admin:participants_rosterimport_changelist"))
    assert listing.status_code == 200 and status_url(refused_job) in listing.content.decode()
    assert organizer_client.get(reverse("admin:participants_rosterimport_add")).status_code == 403
    change = organizer_client.get(reverse("admin:participants_rosterimport_change", args=[refused_job.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()


def test_erasing_a_person_removes_their_row_from_a_refused_import(organizer, refused_job):
    from privacy.services import erase_person

    person = Participant.objects.get(user__email="a@gov.jm").user
    erase_person(person, by=organizer)
    refused_job.refresh_from_db()
    assert [row["values"]["email"] for row in refused_job.rows] == ["b@gov.jm"]
    assert refused_job.problems == []
