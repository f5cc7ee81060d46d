"""Personal data: a person downloads what the portal holds about them; organizers erase a person (admin action,
command, retention rule) and afterwards no page, export or admin screen shows them while group figures stay."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Answer, IndividualAssessment
from attendance.models import Attendance
from evaluations.models import Completion, EvaluationForm, Response
from participants.models import Participant, RosterImport, User
from preparation.models import SubmissionVersion
from privacy import selectors, services
from privacy.models import Erasure
from sessions_app.models import SessionOccurrence

from .factories import ParticipantFactory, UserFactory, build_programme
from .factories_preparation import file_task, pptx_bytes, upload


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def zip_text(response) -> str:
    """Every entry of a zip answer, as text (xlsx files are zips of XML)."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def group_figures() -> dict:
    return {
        "dtca_means": list(
            Answer.objects.filter(score__isnull=False)
            .values("assessment__participant__cohort_id", "statement_id")
            .annotate(mean=Avg("score"), count=Count("pk"))
            .order_by("assessment__participant__cohort_id", "statement_id")
        ),
        "dtca_submitted": IndividualAssessment.objects.filter(status="submitted").count(),
        "evaluation_responses": list(Response.objects.values("form_id").annotate(n=Count("pk")).order_by("form_id")),
        "evaluation_completions": list(
            Completion.objects.values("form_id").annotate(n=Count("pk")).order_by("form_id")
        ),
        "attendance": list(
            Attendance.objects.values("occurrence_id", "status").annotate(n=Count("pk")).order_by("occurrence_id")
        ),
        "participants": Participant.objects.values("cohort_id").annotate(n=Count("pk")).order_by("cohort_id").count(),
    }


@pytest.fixture
def demo_person(demo, client, time_machine):
    """A demo participant with DTCA answers, attendance and evaluations, plus a file they handed in."""
    person = (
        Participant.objects.filter(
            cohort__workshop=demo,
            dtca_assessments__answers__isnull=False,
            attendance_records__isnull=False,
            evaluation_completions__isnull=False,
        )
        .select_related("user")
        .distinct()
        .first()
    )
    assert person is not None, "the demo has nobody with DTCA answers, attendance and evaluations"
    client.force_login(person.user)
    task = file_task(demo, number=5)
    first = demo.sessions.order_by("number").first()
    time_machine.move_to(SessionOccurrence.objects.filter(session=first).order_by("starts_at").first().starts_at)
    response = client.post(
        reverse("preparation:task", args=[task.pk]), {"upload": upload("my-plan.pptx", pptx_bytes())}
    )
    assert response.status_code == 302
    client.logout()
    return person


# --- Download my data ------------------------------------------------------------------------------------


def test_a_participant_downloads_their_own_data_and_files_and_nobody_elses(demo_person, client):
    other = Participant.objects.filter(cohort=demo_person.cohort).exclude(pk=demo_person.pk).first()
    client.force_login(demo_person.user)
    assert reverse("privacy:my_data") in body(client.get(reverse("participants:profile")))
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        exported = json.loads(archive.read("data.json"))
        stored = archive.read(next(name for name in names if name.startswith("files/")))
    assert "README.txt" in names
    assert exported["account"][0]["fields"]["email"] == demo_person.user.email
    assert "password" not in exported["account"][0]["fields"]
    assert exported["participations"][0]["fields"]["institution"] == demo_person.institution
    assert "calendar_token" not in exported["participations"][0]["fields"]
    related = exported["related"]
    assert related["attendance.attendance"] and related["assessments.individualassessment"]
    assert len(related["assessments.answer"]) == Answer.objects.filter(assessment__participant=demo_person).count()
    assert len(related["evaluations.completion"]) == demo_person.evaluation_completions.count()
    version = SubmissionVersion.objects.get(submitted_by=demo_person, original_name="my-plan.pptx")
    assert stored == default_storage.open(version.file.name, "rb").read()
    text = data.decode("latin-1") + json.dumps(exported)
    assert other.user.email not in text


def test_the_export_reads_a_constant_number_of_queries(demo_person, client, django_assert_max_num_queries):
    client.force_login(demo_person.user)
    with django_assert_max_num_queries(60):
        b"".join(client.get(reverse("privacy:my_data")).streaming_content)


def test_signed_out_visitors_get_no_export(client, db):
    response = client.get(reverse("privacy:my_data"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Erasure ---------------------------------------------------------------------------------------------


def pages_about(person, workshop) -> list[str]:
    """The facilitator pages, exports and reports that list the people of the person's group."""
    cohort = person.cohort
    urls = [
        reverse("sessions:facilitate"),
        reverse("preparation:progress_board", args=[cohort.pk]),
        reverse("preparation:progress_board_csv", args=[cohort.pk]),
        reverse("dtca:facilitator", args=[cohort.pk]),
        reverse("dtca:export_csv", args=[workshop.pk]),
        reverse("action_plans:group_sdgs", args=[cohort.pk]),
        reverse("action_plans:group_priorities", args=[cohort.pk]),
        reverse("action_plans:group_plans", args=[cohort.pk]),
        reverse("evaluations:reports", args=[workshop.pk]),
        reverse("attendance:group_certificates", args=[cohort.pk]),
    ]
    for occurrence in SessionOccurrence.objects.filter(cohort=cohort):
        urls += [reverse("attendance:attendance", args=[occurrence.pk]), reverse("live:runsheet", args=[occurrence.pk])]
    for form in EvaluationForm.objects.filter(cohort=cohort):
        urls += [reverse("evaluations:report", args=[form.pk]), reverse("evaluations:report_csv", args=[form.pk])]
    return urls


def binary_pages_about(person, workshop) -> list[str]:
    return [
        reverse("dtca:export_xlsx", args=[workshop.pk]),
        reverse("action_plans:group_plans_xlsx", args=[person.cohort.pk]),
        reverse("evaluations:reports_xlsx", args=[workshop.pk]),
    ]


def admin_changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ] + [reverse("admin:index")]


def assert_nowhere(client, urls, secrets, *, zipped=False):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = zip_text(response) if zipped else body(response)
        for secret in secrets:
            assert secret.casefold() not in text.casefold(), f"{secret!r} still shown on {url}"


def test_erasing_a_person_in_the_admin_hides_them_everywhere_and_keeps_group_figures(
    demo_person, demo, organizer, client, django_capture_on_commit_callbacks
):
    workshop = demo
    user = demo_person.user
    secrets = [user.email, user.get_full_name()]  # (their institution is shared with colleagues: checked below)
    # The admin's history names the person (as after an organizer edited the account).
    LogEntry.objects.create(
        user=organizer,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
    )
    client.force_login(organizer)
    urls = pages_about(demo_person, workshop)
    # The checks can fail: before erasure the person is on these pages. The portal's pages are all opened now
    # too (what they cache must not outlive the erasure); of the admin's lists, only the one asserted here.
    witnesses = [
        reverse("admin:participants_user_changelist"),
        reverse("preparation:progress_board_csv", args=[demo_person.cohort.pk]),
    ]
    shown = [url for url in urls + witnesses[:1] if user.email in body(client.get(url))]
    assert set(witnesses) <= set(shown), shown
    before = group_figures()
    version = SubmissionVersion.objects.get(submitted_by=demo_person, original_name="my-plan.pptx")
    file_name = version.file.name

    changelist = reverse("admin:participants_user_changelist")
    ask = client.post(changelist, {"action": "erase_people", "_selected_action": [user.pk], "index": 0})
    assert ask.status_code == 200 and "Yes, erase" in body(ask)
    assert User.objects.filter(email=user.email).exists()  # asking changed nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(changelist, {"action": "erase_people", "_selected_action": [user.pk], "confirm": "yes"})
    assert done.status_code == 302

    assert group_figures() == before
    erased = User.objects.get(pk=user.pk)
    assert erased.is_erased and not erased.is_active and not erased.has_usable_password()
    assert str(erased) == "A former participant"
    demo_person.refresh_from_db()
    assert demo_person.institution == "" and demo_person.position == ""
    assert Erasure.objects.get().erased_by == organizer
    version.refresh_from_db()
    assert not version.file and not default_storage.exists(file_name)

    assert_nowhere(client, urls + admin_changelists(), secrets)
    assert_nowhere(client, binary_pages_about(demo_person, workshop), secrets, zipped=True)
    assert "A former participant" in body(
        client.get(reverse("preparation:progress_board", args=[demo_person.cohort.pk]))
    )
    # Their old password no longer signs in, and their address is free.
    assert not client.login(email=user.email, password="workshop-demo-2021")


def test_the_erased_persons_old_session_is_signed_out(demo_person, client):
    client.force_login(demo_person.user)
    assert client.get(reverse("participants:profile")).status_code == 200
    services.erase_person(demo_person.user)
    assert client.get(reverse("participants:profile")).status_code == 302


def test_team_work_is_kept_under_a_former_participant(db, client, time_machine):
    from preparation.models import Submission
    from sessions_app.models import PreparationTask

    workshop = build_programme(sessions=3)
    cohort = workshop.cohorts.get(name="Group A")
    # A surname the teammate cannot share: the page shows the reader's own name.
    author = ParticipantFactory(cohort=cohort, user__last_name="Quistgaard")
    mate = ParticipantFactory(cohort=cohort, country=author.country)
    task = file_task(workshop, performed_by=PreparationTask.PerformedBy.COUNTRY_TEAM)
    time_machine.move_to("2021-02-10T12:00:00Z")
    client.force_login(author.user)
    client.post(reverse("preparation:task", args=[task.pk]), {"upload": upload("team.pptx", pptx_bytes("team"))})
    version = SubmissionVersion.objects.get(submission__task=task)
    services.erase_person(author.user)
    version.refresh_from_db()
    assert version.file and default_storage.exists(version.file.name)
    client.force_login(mate.user)
    page = body(client.get(reverse("preparation:submission", args=[Submission.objects.get(task=task).pk])))
    assert "A former participant" in page and author.user.last_name not in page
    assert client.get(reverse("preparation:file", args=[version.pk])).status_code == 200


def test_staff_and_facilitators_are_not_erased(db, programme):
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.ErasureRefused):
        services.erase_person(staff)
    facilitator = ParticipantFactory(cohort=programme.cohorts.first()).user
    programme.facilitators.add(facilitator)
    with pytest.raises(services.ErasureRefused):
        services.erase_person(facilitator)
    assert not Erasure.objects.exists()


def test_erase_person_command(db, programme):
    person = ParticipantFactory(cohort=programme.cohorts.first())
    out = io.StringIO()
    call_command("erase_person", person.user.email, "--dry-run", stdout=out)
    assert "Would erase" in out.getvalue() and not User.objects.get(pk=person.user.pk).is_erased
    call_command("erase_person", person.user.email, stdout=out)
    assert User.objects.get(pk=person.user.pk).is_erased
    with pytest.raises(CommandError, match="No account"):
        call_command("erase_person", "nobody@example.org")


# --- Retention -------------------------------------------------------------------------------------------


def _old_and_recent_workshops():
    """Two one-group workshops, the second ending 400 days after the first; and the first one's end."""
    old = build_programme(sessions=1, groups=("Group A",))
    recent = build_programme(sessions=1, groups=("Group A",))
    old_end = SessionOccurrence.objects.filter(cohort__workshop=old).latest("ends_at").ends_at
    SessionOccurrence.objects.filter(cohort__workshop=recent).update(
        starts_at=old_end + timedelta(days=400), ends_at=old_end + timedelta(days=400, hours=2)
    )
    return old, recent, old_end


def test_retention_erases_only_participants_of_workshops_ended_long_enough_ago(db, time_machine):
    old, recent, old_end = _old_and_recent_workshops()
    gone = ParticipantFactory(cohort=old.cohorts.get())
    also_recent = ParticipantFactory(cohort=old.cohorts.get())
    ParticipantFactory(cohort=recent.cohorts.get(), user=also_recent.user)
    stays = ParticipantFactory(cohort=recent.cohorts.get())
    time_machine.move_to(old_end + timedelta(days=13 * 31))

    out = io.StringIO()
    call_command("apply_retention", "--months", "12", "--dry-run", stdout=out)
    assert gone.user.email in out.getvalue()
    assert also_recent.user.email not in out.getvalue() and stays.user.email not in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    assert not User.objects.get(pk=gone.user.pk).is_erased

    call_command("apply_retention", "--months", "12", stdout=io.StringIO())
    assert User.objects.get(pk=gone.user.pk).is_erased
    assert not User.objects.get(pk=also_recent.user.pk).is_erased
    assert Erasure.objects.get().reason == Erasure.Reason.RETENTION
    assert selectors.retention_candidates(12, timezone.now()) == []
    with pytest.raises(CommandError):
        call_command("apply_retention", "--months", "0")


def test_retention_speaks_the_operators_language_and_counts_in_the_singular(db, time_machine):
    old, _recent, old_end = _old_and_recent_workshops()
    gone = ParticipantFactory(cohort=old.cohorts.get())
    time_machine.move_to(old_end + timedelta(days=13 * 31))
    out = io.StringIO()
    with translation.override("fr"):
        call_command("apply_retention", "--months", "12", "--dry-run", stdout=out)
    assert f"serait effacé·e : {gone.user.email}" in out.getvalue()
    assert "Essai : 1 personne serait effacée et les lignes conservées de 0 import de liste vidées" in out.getvalue()
    assert not User.objects.get(pk=gone.user.pk).is_erased


def test_retention_empties_the_rows_a_refused_roster_import_kept_of_people_who_never_joined(db, time_machine):
    old, recent, old_end = _old_and_recent_workshops()
    row = {"line": 2, "values": {"email": "never.joined@example.org", "first_name": "Nora", "last_name": "Never"}}

    def refused(workshop):
        return RosterImport.objects.create(
            workshop=workshop,
            requested_at=old_end,
            status=RosterImport.Status.REFUSED,
            rows=[row],
            problems=[{**row, "problems": ["No such group."]}],
            row_count=1,
        )

    old_import, recent_import = refused(old), refused(recent)
    time_machine.move_to(old_end + timedelta(days=13 * 31))

    out = io.StringIO()
    call_command("apply_retention", "--months", "12", "--dry-run", stdout=out)
    assert "the kept rows of 1 roster import emptied; nothing was changed" in out.getvalue()
    assert RosterImport.objects.get(pk=old_import.pk).rows == [row]

    call_command("apply_retention", "--months", "12", stdout=out)
    assert "emptied the kept rows of 1 roster import." in out.getvalue()
    old_import.refresh_from_db()
    assert (old_import.rows, old_import.problems) == ([], [])
    assert (old_import.status, old_import.row_count) == (RosterImport.Status.REFUSED, 1)  # the outcome stays
    recent_import.refresh_from_db()
    assert recent_import.rows == [row]  # its workshop has not ended long enough ago


# --- Nominations -----------------------------------------------------------------------------------------


def test_nominations_are_exported_and_erased_with_the_person(db, programme, client, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    from nominations.models import Nomination

    from .factories_nominations import NominationFactory

    person = ParticipantFactory(cohort=programme.cohorts.first())
    earlier = NominationFactory(email=person.user.email, first_name="Zelda", last_name="Quartermaine")
    earlier.cv.save("zelda-cv.pdf", ContentFile(b"%PDF-1.4 my cv"), save=False)
    earlier.cv_name = "zelda-cv.pdf"
    earlier.save()
    cv_name = earlier.cv.name
    other = NominationFactory(call=earlier.call)

    client.force_login(person.user)
    with zipfile.ZipFile(io.BytesIO(b"".join(client.get(reverse("privacy:my_data")).streaming_content))) as archive:
        exported = json.loads(archive.read("data.json"))
        cv = [name for name in archive.namelist() if name.startswith("files/cv-")]
        assert archive.read(cv[0]) == b"%PDF-1.4 my cv"
    assert [row["pk"] for row in exported["related"]["nominations.nomination"]] == [earlier.pk]

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_person(person.user)
    earlier.refresh_from_db()
    assert earlier.full_name == "A former participant" and earlier.email.endswith("@erased.invalid")
    assert not earlier.cv and not earlier.motivation and not earlier.institution
    assert earlier.gender == Nomination.Gender.WOMAN  # the call's balance figures stay
    assert not default_storage.exists(cv_name)
    other.refresh_from_db()
    assert other.last_name.startswith("Nominee") and other.motivation
