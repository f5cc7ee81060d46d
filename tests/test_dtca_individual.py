"""A participant fills in the DTCA: one dimension per page, saved as they go, reviewed, submitted, locked."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments import selectors
from assessments.models import Answer, IndividualAssessment, Status

from .factories import ParticipantFactory, UserFactory
from .factories_assessments import add_assessment_task, answer, build_instrument, build_run, form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def run(programme):
    return build_run(programme, build_instrument(dimensions=(("Leadership", 3), ("Strategy", 2), ("Legal", 2))))


@pytest.fixture
def structure(run):
    return selectors.instrument_structure(run.instrument)


def checked(page: str, statement, value) -> bool:
    return re.search(rf'name="s{statement.pk}-value" value="{value}"[^>]*checked', page) is not None


def test_a_draft_saved_on_a_page_is_there_after_closing_the_browser(client, participant, run, structure):
    client.force_login(participant.user)
    leadership = structure.dimensions[0].statement_list
    data = form_data(structure, leadership, [4, "dk", None]) | {"go": "stay"}
    data[f"s{leadership[0].pk}-note"] = "Cabinet approved the strategy in 2020."
    response = client.post(reverse("dtca:page", args=[1]), data)
    assert response.status_code == 302

    # A new browser: a fresh session, signed in again.
    client.logout()
    client.force_login(participant.user)
    page = client.get(reverse("dtca:page", args=[1])).content.decode()
    assert checked(page, leadership[0], 4)
    assert checked(page, leadership[1], "dk")
    assert not re.search(rf'name="s{leadership[2].pk}-value" value="\w+"[^>]*checked', page)
    assert "Cabinet approved the strategy in 2020." in page
    assert "2 of 7" in page  # progress
    assessment = IndividualAssessment.objects.get(participant=participant)
    assert assessment.status == Status.DRAFT
    assert assessment.answers.count() == 2


def test_save_and_continue_goes_to_the_next_dimension_and_the_last_to_review(participant_client, structure):
    strategy = structure.dimensions[1].statement_list
    response = participant_client.post(
        reverse("dtca:page", args=[2]), form_data(structure, strategy, [3, 3]) | {"go": "next"}
    )
    assert response["Location"] == reverse("dtca:page", args=[3])
    legal = structure.dimensions[2].statement_list
    response = participant_client.post(
        reverse("dtca:page", args=[3]), form_data(structure, legal, [2, None]) | {"go": "review"}
    )
    assert response["Location"] == reverse("dtca:review")
    response = participant_client.post(
        reverse("dtca:page", args=[3]), form_data(structure, legal, [2, None]) | {"go": "previous"}
    )
    assert response["Location"] == reverse("dtca:page", args=[2])


def test_autosave_saves_one_answer_and_updates_the_progress(participant_client, participant, structure):
    statement = structure.dimensions[1].statement_list[0]
    data = form_data(structure, [statement], [5]) | {f"s{statement.pk}-confidence": "high"}
    response = participant_client.post(reverse("dtca:autosave", args=[statement.pk]), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved" in body
    assert 'id="dtca-progress" hx-swap-oob="true"' in body and "1 of 7" in body
    stored = Answer.objects.get(assessment__participant=participant, statement=statement)
    assert (stored.score, stored.dont_know, stored.confidence) == (5, False, "high")

    # Clearing the choice again removes the answer rather than keeping a stale one.
    participant_client.post(reverse("dtca:autosave", args=[statement.pk]), form_data(structure, [statement], [None]))
    assert not Answer.objects.filter(statement=statement).exists()


def test_autosave_after_the_sign_in_timed_out_says_so_in_place_and_loses_nothing(client, participant, run, structure):
    first, second = structure.statements[:2]
    answer(run, participant, [3])
    response = client.post(reverse("dtca:autosave", args=[second.pk]), form_data(structure, [second], [4]), **HTMX)
    assert response.status_code == 200  # htmx swaps it into the statement's status line
    assert "signed out" in response.content.decode()
    assert list(Answer.objects.values_list("statement_id", "score")) == [(first.pk, 3)]
    # Without htmx it is the usual sign-in redirect.
    response = client.post(reverse("dtca:autosave", args=[second.pk]), form_data(structure, [second], [4]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_statement_of_another_instrument_cannot_be_answered(participant_client, run):
    foreign = selectors.instrument_structure(build_instrument()).statements[0]
    response = participant_client.post(reverse("dtca:autosave", args=[foreign.pk]), {}, **HTMX)
    assert response.status_code == 404


def test_an_invalid_answer_is_reported_and_the_other_answers_are_saved(participant_client, participant, structure):
    leadership = structure.dimensions[0].statement_list
    data = form_data(structure, leadership, [2, 9, 3]) | {"go": "next"}
    response = participant_client.post(reverse("dtca:page", args=[1]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be saved" in page
    assert "Select a valid choice" in page
    saved = dict(Answer.objects.filter(assessment__participant=participant).values_list("statement_id", "score"))
    assert saved == {leadership[0].pk: 2, leadership[2].pk: 3}


def test_submit_is_refused_while_a_statement_is_unanswered_and_the_message_names_it(
    participant_client, participant, run, structure
):
    answer(run, participant, [4, 4, "dk", 3, None, 2, 1])  # Strategy 2 left open
    response = participant_client.post(reverse("dtca:submit"))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    missing = structure.dimensions[1].statement_list[1]
    assert message.startswith("Not submitted: 1 statement is still unanswered.")
    assert f"Strategy 2: “{missing.text}”" in message
    assert "Strategy 1" not in message
    # The message is shown on the page the participant lands on.
    assert "Strategy 2: “" in participant_client.get(response["Location"]).content.decode()
    assert IndividualAssessment.objects.get(participant=participant).status == Status.DRAFT
    # The review page lists it with a link to its page.
    review = participant_client.get(reverse("dtca:review")).content.decode()
    assert f"{reverse('dtca:page', args=[2])}#statement-{missing.pk}" in review


def test_dont_know_counts_as_an_answer_for_submitting(participant_client, participant, run):
    answer(run, participant, ["dk"] * 7)
    participant_client.post(reverse("dtca:submit"))
    assert IndividualAssessment.objects.get(participant=participant).status == Status.SUBMITTED


def test_a_submitted_assessment_is_locked(participant_client, participant, run, structure):
    answer(run, participant, [3] * 7)
    response = participant_client.post(reverse("dtca:submit"))
    assert response["Location"] == reverse("dtca:results")
    first = structure.statements[0]

    response = participant_client.post(
        reverse("dtca:page", args=[1]),
        form_data(structure, structure.dimensions[0].statement_list, [1, 1, 1]) | {"go": "stay"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("dtca:review")
    response = participant_client.post(
        reverse("dtca:autosave", args=[first.pk]), form_data(structure, [first], [1]), **HTMX
    )
    assert "locked" in response.content.decode()
    assert set(Answer.objects.filter(assessment__participant=participant).values_list("score", flat=True)) == {3}
    review = participant_client.get(reverse("dtca:review")).content.decode()
    assert "It is locked now" in review and "Submit my assessment" not in review


def test_a_late_submission_is_accepted_and_marked_late(participant_client, participant, programme, run, time_machine):
    add_assessment_task(programme)  # 4 days before Session 2: Group A meets on 2 March 2021 at 10:00 ECT
    answer(run, participant, [3] * 7)
    time_machine.move_to("2021-02-26T15:00:00Z")  # 11:00 ECT, one hour after the due moment
    response = participant_client.post(reverse("dtca:submit"), follow=True)
    assessment = IndividualAssessment.objects.get(participant=participant)
    assert assessment.status == Status.SUBMITTED and assessment.is_late
    assert "marked late" in response.content.decode()
    assert "late" in participant_client.get(reverse("dtca:home")).content.decode()


def test_an_on_time_submission_is_not_marked_late(participant_client, participant, programme, run, time_machine):
    add_assessment_task(programme)
    answer(run, participant, [3] * 7)
    time_machine.move_to("2021-02-26T13:00:00Z")  # 09:00 ECT, one hour before
    participant_client.post(reverse("dtca:submit"))
    assert not IndividualAssessment.objects.get(participant=participant).is_late


def test_the_due_moment_comes_from_the_groups_own_task_date(participant_client, programme, run):
    add_assessment_task(programme)
    page = participant_client.get(reverse("dtca:home")).content.decode()
    assert "Friday 26 February" in page
    assert "4 days before Session 2 starts" in page
    group_b = ParticipantFactory(cohort=programme.cohorts.get(name="Group B"))
    participant_client.force_login(group_b.user)
    assert "Saturday 27 February" in participant_client.get(reverse("dtca:home")).content.decode()


def test_an_organizer_reopens_a_submitted_assessment_from_the_admin(
    organizer_client, organizer, client, participant, run, structure
):
    assessment = answer(run, participant, [3] * 7, submit=True)
    response = organizer_client.post(
        reverse("admin:assessments_individualassessment_changelist"),
        {"action": "reopen", "_selected_action": [assessment.pk]},
        follow=True,
    )
    assert "Reopened 1 assessment" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT and assessment.submitted_at is None
    assert assessment.reopened_by == organizer

    client.force_login(participant.user)
    first = structure.statements[0]
    client.post(reverse("dtca:autosave", args=[first.pk]), form_data(structure, [first], [5]), **HTMX)
    assert Answer.objects.get(assessment=assessment, statement=first).score == 5


def test_home_shows_progress_and_where_to_continue(participant_client, participant, run):
    answer(run, participant, [4, 4, 4, 2])  # Leadership done, Strategy half
    page = participant_client.get(reverse("dtca:home")).content.decode()
    assert "4 of 7 answered" in page
    assert f'href="{reverse("dtca:page", args=[2])}">Continue' in page


def test_a_page_outside_the_questionnaire_is_not_found(participant_client, run):
    assert participant_client.get(reverse("dtca:page", args=[4])).status_code == 404
    assert participant_client.get(reverse("dtca:page", args=[0])).status_code == 404


def test_people_who_are_not_enrolled_get_not_found(client, run):
    client.force_login(UserFactory())
    assert client.get(reverse("dtca:home")).status_code == 404
    assert client.get(reverse("dtca:page", args=[1])).status_code == 404
    assert client.post(reverse("dtca:submit")).status_code == 404


def test_the_run_is_set_up_with_the_default_instrument_the_first_time(participant_client, programme):
    page = participant_client.get(reverse("dtca:home")).content.decode()
    assert "Digital Transformation Capability Assessment (DTCA)" in page
    assert programme.assessment_run.instrument.key == "dtca"
    assert "Adapted from the UN DESA Digital Government Capability Assessment framework" in page


def test_an_empty_questionnaire_cannot_be_submitted(client, programme, participant):
    build_run(programme, build_instrument(dimensions=()))
    client.force_login(participant.user)
    IndividualAssessment.objects.create(run=programme.assessment_run, participant=participant)
    response = client.post(reverse("dtca:submit"))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "no statements yet" in message
    assert IndividualAssessment.objects.get(participant=participant).status == Status.DRAFT


def test_a_long_refusal_names_every_unanswered_statement_by_its_label(participant_client, participant, run):
    answer(run, participant, [4])
    response = participant_client.post(reverse("dtca:submit"))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "6 statements are still unanswered" in message
    assert "Leadership 2, Leadership 3, Strategy 1, Strategy 2, Legal 1, Legal 2." in message
