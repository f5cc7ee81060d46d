"""Participants hand in preparation work: file checks, versions, lateness, extensions, teams, refusals."""

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from preparation import selectors, services
from preparation.models import Submission, SubmissionVersion
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from .factories import CountryFactory, ParticipantFactory, build_programme
from .factories_preparation import (
    TeamFactory,
    add_members,
    docx_bytes,
    exe_bytes,
    file_task,
    odp_bytes,
    pdf_bytes,
    pptx_bytes,
    task_in,
    upload,
)

Kind = PreparationTask.Kind
PerformedBy = PreparationTask.PerformedBy
Deliverable = PreparationTask.Deliverable


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    # The programme's sessions start on 23 February 2021.
    time_machine.move_to("2021-02-10T12:00:00Z")


def task_url(task):
    return reverse("preparation:task", args=[task.pk])


def group_occurrences(participant):
    return occurrences_by_number(SessionOccurrence.objects.filter(cohort=participant.cohort).select_related("session"))


def test_an_exe_renamed_pptx_is_refused_and_the_earlier_version_is_kept(participant_client, participant, programme):
    task = file_task(programme)
    good = participant_client.post(task_url(task), {"upload": upload("national-plan.pptx", pptx_bytes())})
    assert good.status_code == 302
    response = participant_client.post(task_url(task), {"upload": upload("virus.pptx", exe_bytes())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“virus.pptx” is named like a PowerPoint presentation but its content is not one." in page
    submission = Submission.objects.get(task=task)
    assert submission.version_count == 1
    assert submission.latest_version.original_name == "national-plan.pptx"


@pytest.mark.parametrize(
    ("name", "data"),
    [("slides.pptx", pptx_bytes()), ("brief.pdf", pdf_bytes()), ("note.docx", docx_bytes()), ("deck.odp", odp_bytes())],
)
def test_each_accepted_file_type_is_taken(participant_client, participant, programme, name, data):
    task = file_task(programme)
    assert participant_client.post(task_url(task), {"upload": upload(name, data)}).status_code == 302
    version = SubmissionVersion.objects.get()
    assert version.original_name == name and version.file_size == len(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("outline.docx", pptx_bytes(), "named like a Word document but its content is not one"),
        ("slides.pptx", docx_bytes(), "named like a PowerPoint presentation but its content is not one"),
        ("brief.pdf", b"<html>not a pdf</html>", "named like a PDF document but its content is not one"),
        ("deck.odp", pptx_bytes(), "named like a OpenDocument presentation but its content is not one"),
        ("slides.key", pptx_bytes(), "is not a file type the portal accepts"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(
    participant_client, programme, participant, name, data, message
):
    task = file_task(programme)
    response = participant_client.post(task_url(task), {"upload": upload(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_file_over_20_mb_is_refused_with_its_size(participant_client, participant, programme):
    task = file_task(programme)
    big = pdf_bytes() + b"\0" * (20 * 1024 * 1024)
    page = participant_client.post(task_url(task), {"upload": upload("huge.pdf", big)}).content.decode()
    assert "“huge.pdf” is 20.0\xa0MB; files may be at most 20.0\xa0MB." in page
    assert not Submission.objects.exists()


def test_missing_file_and_empty_text_and_empty_link_are_explained(participant_client, participant, programme):
    file = file_task(programme)
    text = task_in(programme, 2, deliverable=Deliverable.TEXT)
    link = task_in(programme, 2, deliverable=Deliverable.LINK)
    assert "Choose a file to upload" in participant_client.post(task_url(file), {}).content.decode()
    assert "The text is empty" in participant_client.post(task_url(text), {"text": "   "}).content.decode()
    assert "The link is empty" in participant_client.post(task_url(link), {"link": ""}).content.decode()
    assert not Submission.objects.exists()


def test_every_version_is_kept_and_the_latest_counts(participant_client, participant, programme):
    task = task_in(programme, 1, deliverable=Deliverable.TEXT, kind=Kind.PRESENTATION)
    for draft in ("First draft", "Second draft", "Final outline"):
        assert participant_client.post(task_url(task), {"text": draft}).status_code == 302
    submission = Submission.objects.get(task=task, participant=participant)
    assert submission.version_count == 3
    assert list(submission.versions.order_by("number").values_list("text", flat=True)) == [
        "First draft",
        "Second draft",
        "Final outline",
    ]
    assert submission.latest_version.text == "Final outline"
    page = participant_client.get(task_url(task)).content.decode()
    assert page.count('class="list-group-item version"') == 3
    assert "All 3 versions" in page
    # The form starts from the latest text, so editing does not mean retyping.
    assert "Final outline</textarea>" in page


def test_a_late_submission_is_kept_and_marked_late(participant_client, participant, programme, time_machine):
    task = task_in(programme, 2, deliverable=Deliverable.TEXT)
    due = task.due_at(group_occurrences(participant))
    time_machine.move_to(due + timedelta(minutes=5))
    participant_client.force_login(participant.user)  # the sign-in would have expired over three weeks
    response = participant_client.post(task_url(task), {"text": "Sorry, a bit late"}, follow=True)
    assert "kept and marked late" in response.content.decode()
    submission = Submission.objects.get(task=task)
    assert submission.is_late and submission.latest_version.is_late
    page = participant_client.get(reverse("preparation:mine")).content.decode()
    assert "Handed in late" in page


def test_an_extension_moves_the_due_moment_and_work_before_it_is_not_late(participant, programme, time_machine):
    task = task_in(programme, 2, deliverable=Deliverable.TEXT)
    occurrences = group_occurrences(participant)
    due = task.due_at(occurrences)
    time_machine.move_to(due + timedelta(hours=1))
    services.submit(task, participant, text="After the due moment")
    assert Submission.objects.get().is_late
    services.grant_extension(task, participant=participant, due_at=due + timedelta(days=1), reason="Travel")
    assert selectors.due_at_for(task, participant, occurrences) == due + timedelta(days=1)
    assert not Submission.objects.get().is_late
    other = ParticipantFactory(cohort=participant.cohort)
    assert selectors.due_at_for(task, other, occurrences) == due


def test_a_closed_task_refuses_new_work_and_says_why(participant_client, participant, programme, time_machine):
    task = task_in(programme, 1, deliverable=Deliverable.TEXT)
    participant_client.post(task_url(task), {"text": "On time"})
    session_one = participant.cohort.occurrences.get(session__number=1)
    time_machine.move_to(session_one.ends_at + timedelta(minutes=1))
    page = participant_client.get(task_url(task)).content.decode()
    assert "This task closed when Session 1 of your group ended" in page
    response = participant_client.post(task_url(task), {"text": "Too late now"})
    assert "This task closed when Session 1 of your group ended" in response.content.decode()
    assert Submission.objects.get().latest_version.text == "On time"


def test_a_task_of_another_workshop_is_not_theirs(participant_client, participant):
    other = build_programme(sessions=1)
    task = other.sessions.get().tasks.first()
    response = participant_client.get(task_url(task))
    assert response.status_code == 404
    assert "is not part of your group" in response.content.decode()
    assert participant_client.post(task_url(task), {}).status_code == 404
    assert not Submission.objects.exists()


def test_country_team_task_is_submitted_once_and_every_member_sees_it(client, participant, programme):
    teammate = ParticipantFactory(cohort=participant.cohort, country=participant.country)
    task = file_task(programme, performed_by=PerformedBy.COUNTRY_TEAM)
    client.force_login(participant.user)
    client.post(task_url(task), {"upload": upload("country-priorities.pptx", pptx_bytes())})
    client.force_login(teammate.user)
    page = client.get(reverse("preparation:mine")).content.decode()
    assert "Submitted by a teammate" in page and str(participant.user) in page
    client.post(task_url(task), {"upload": upload("country-priorities-v2.pptx", pptx_bytes("v2"))})
    submission = Submission.objects.get(task=task)
    assert submission.version_count == 2 and submission.country == participant.country
    assert submission.participant is None
    assert selectors.participant_ids_done(task, [participant.pk, teammate.pk]) == {participant.pk, teammate.pk}


def test_designated_team_task_needs_a_team_and_counts_for_each_member(client, participant, programme):
    task = file_task(programme, number=4, performed_by=PerformedBy.DESIGNATED_TEAM)
    client.force_login(participant.user)
    page = client.get(task_url(task)).content.decode()
    assert "you are not in one for it yet" in page
    refused = client.post(task_url(task), {"upload": upload("lab.pptx", pptx_bytes())})
    assert "you are not in one for it yet" in refused.content.decode()

    other_country = ParticipantFactory(cohort=participant.cohort, country=CountryFactory())
    outsider = ParticipantFactory(cohort=participant.cohort)
    team = add_members(TeamFactory(cohort=participant.cohort, session=task.session), participant, other_country)
    assert client.post(task_url(task), {"team": team.pk, "upload": upload("lab.pptx", pptx_bytes())}).status_code == 302
    assert Submission.objects.get(task=task).team == team
    ids = [participant.pk, other_country.pk, outsider.pk]
    assert selectors.participant_ids_done(task, ids) == {participant.pk, other_country.pk}


def test_reading_is_marked_done_and_can_be_undone(participant_client, participant, programme):
    reading = task_in(programme, 1, kind=Kind.READING, deliverable=Deliverable.NONE)
    participant_client.post(task_url(reading), {})
    assert selectors.participant_ids_done(reading, [participant.pk]) == {participant.pk}
    participant_client.post(task_url(reading), {"action": "undo"})
    assert selectors.participant_ids_done(reading, [participant.pk]) == set()


def test_the_assessment_task_points_to_the_dtca_and_cannot_be_marked_done_by_hand(
    participant_client, participant, programme
):
    dtca = task_in(programme, 1, kind=Kind.ASSESSMENT, deliverable=Deliverable.NONE)
    page = participant_client.get(task_url(dtca)).content.decode()
    assert "Mark as done" not in page
    assert reverse("dtca:home") in page
    response = participant_client.post(task_url(dtca), {})
    assert "marked done here when you do" in response.content.decode()
    assert selectors.participant_ids_done(dtca, [participant.pk]) == set()


def test_submitting_the_dtca_marks_the_task_done_and_reopening_undoes_it(participant, programme, organizer):
    from assessments import selectors as dtca_selectors
    from assessments import services as dtca_services

    from .factories_assessments import answer, build_run

    dtca = task_in(programme, 2, kind=Kind.ASSESSMENT, deliverable=Deliverable.NONE)
    run = build_run(programme)
    structure = dtca_selectors.instrument_structure(run.instrument)
    assessment = answer(run, participant, [3] * structure.statement_count)
    dtca_services.submit_individual(assessment, structure)
    assert selectors.participant_ids_done(dtca, [participant.pk]) == {participant.pk}
    dtca_services.reopen_individual(assessment, by=organizer)
    assert selectors.participant_ids_done(dtca, [participant.pk]) == set()


def test_dtca_is_due_four_days_before_session_two_in_group_a_and_in_group_b(demo):
    dtca = PreparationTask.objects.get(session__workshop=demo, kind=Kind.ASSESSMENT)
    for cohort in demo.cohorts.all():
        person = cohort.participants.first()
        occurrences = occurrences_by_number(cohort.occurrences.select_related("session"))
        due = selectors.due_at_for(dtca, person, occurrences)
        assert due == occurrences[2].starts_at - timedelta(days=4)
    group_b = demo.cohorts.get(name="Group B")
    due_b = selectors.due_at_for(
        dtca, group_b.participants.first(), occurrences_by_number(group_b.occurrences.select_related("session"))
    )
    assert due_b.astimezone(demo.tz).date().isoformat() == "2021-02-27"


def test_my_preparation_lists_every_task_by_session_with_due_dates_in_the_participants_zone(client, demo):
    from participants.models import Participant

    jamaica = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(jamaica.user)
    page = client.get(reverse("preparation:mine")).content.decode()
    for number in range(1, 6):
        assert f'id="session-{number}"' in page
    task_count = PreparationTask.objects.filter(session__workshop=demo).count()
    assert page.count('class="list-group-item px-0 task-row"') >= task_count
    # The DTCA is due 4 days before Session 2 (2 March 10:00 ECT), 09:00 in Jamaica.
    assert re.search(r"Due <time[^>]*>Fri 26 Feb, 09:00 <span", page)
    assert "private to you" in page and "Innovation Lab team" in page
    assert "My preparation</a>" in page  # in the navigation


@pytest.mark.parametrize("sessions", [2, 10])
def test_my_preparation_runs_constant_queries(client, db, django_assert_max_num_queries, sessions):
    workshop = build_programme(sessions=sessions, tasks_per_session=3)
    person = ParticipantFactory(cohort=workshop.cohorts.get(name="Group A"))
    for task in PreparationTask.objects.filter(session__workshop=workshop)[:5]:
        services.submit(task, person)
    client.force_login(person.user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("preparation:mine")).status_code == 200


def test_session_page_shows_my_status_for_its_tasks(participant_client, participant, programme):
    occurrence = participant.cohort.occurrences.get(session__number=1)
    task = occurrence.session.tasks.first()
    participant_client.post(task_url(task), {})
    page = participant_client.get(reverse("sessions:detail", args=[occurrence.pk])).content.decode()
    assert "Your preparation for this session" in page
    assert 'status-done">Done</span>' in page
    assert reverse("preparation:task", args=[task.pk]) in page


def test_a_deactivated_participant_cannot_hand_in(participant, programme):
    task = task_in(programme, 1, deliverable=Deliverable.TEXT)
    participant.is_active = False
    participant.save()
    with pytest.raises(services.SubmissionRefused, match="closed"):
        services.submit(task, participant, text="x", now=timezone.now())


def test_my_preparation_offers_only_the_action_that_applies(participant_client, participant, programme, time_machine):
    reading = task_in(programme, 1, kind=Kind.READING, deliverable=Deliverable.NONE)
    text = task_in(programme, 1, kind=Kind.READING, deliverable=Deliverable.TEXT)
    page_url = reverse("preparation:mine")

    def row(page, task):
        start = page.index(f'id="task-{task.pk}"')
        return page[start : page.index("</li>", start)]

    page = participant_client.get(page_url).content.decode()
    assert ">Mark as done</button>" in row(page, reading) and "<details" not in row(page, reading)
    assert '<summary class="btn btn-outline-primary btn-sm">Hand in your work</summary>' in row(page, text)

    participant_client.post(task_url(reading), {})
    page = participant_client.get(page_url).content.decode()
    assert "Mark as not done" in row(page, reading) and ">Mark as done<" not in row(page, reading)

    time_machine.move_to("2021-02-24T12:00:00Z")  # the day after Session 1: its tasks are closed
    page = participant_client.get(page_url).content.decode()
    for task in (reading, text):
        assert "task-closed" in row(page, task)
        assert "Mark as" not in row(page, task) and "<details" not in row(page, task)


def test_the_admin_grants_and_moves_an_extension_through_the_service(client, participant, programme, time_machine):
    """Moving an extension to someone else in the admin gives the first participant their own due moment back."""
    from preparation.models import Extension

    from .factories import UserFactory

    task = task_in(programme, 2, deliverable=Deliverable.TEXT)
    due = task.due_at(group_occurrences(participant))
    time_machine.move_to(due + timedelta(hours=1))
    services.submit(task, participant, text="After the due moment")
    admin_client = client
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True, timezone="UTC"))  # after the clock moved
    later = (due + timedelta(days=2)).astimezone(UTC)
    fields = {
        "task": task.pk,
        "cohort": participant.cohort_id,
        "participant": participant.pk,
        "due_at_0": later.strftime("%Y-%m-%d"),
        "due_at_1": later.strftime("%H:%M:%S"),
        "reason": "Travel",
    }
    response = admin_client.post(reverse("admin:preparation_extension_add"), fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response.url == reverse("admin:preparation_extension_changelist"), response.url
    extension = Extension.objects.get()
    assert extension.granted_by is not None
    assert not Submission.objects.get().is_late

    other = ParticipantFactory(cohort=participant.cohort)
    change = reverse("admin:preparation_extension_change", args=[extension.pk])
    assert admin_client.post(change, {**fields, "participant": other.pk}).status_code == 302
    assert Extension.objects.get().participant == other
    assert Submission.objects.get().is_late  # back to the group's due moment
