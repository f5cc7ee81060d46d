"""A country team compares its submitted answers and agrees one country assessment."""

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.models import CountryAnswer, CountryAssessment, Status

from .factories_assessments import add_assessment_task, answer, build_instrument, build_run, form_data, team

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def run(programme):
    return build_run(programme, build_instrument(dimensions=(("Leadership", 2), ("Technology", 2))))


@pytest.fixture
def structure(run):
    return selectors.instrument_structure(run.instrument)


@pytest.fixture
def jamaica(programme):
    return team(programme.cohorts.get(name="Group A"))


def open_consolidation(client, run, members, first_values, second_values):
    answer(run, members[0], first_values, submit=True)
    answer(run, members[1], second_values, submit=True)
    client.force_login(members[0].user)
    return client.get(reverse("dtca:country"))


def test_country_assessment_waits_until_every_active_member_has_submitted_and_shows_no_answers(client, run, jamaica):
    first, second = jamaica
    answer(run, first, [5, 5, 5, 5], submit=True)
    answer(run, second, [1, 2, 3, 4])  # a draft
    client.force_login(first.user)
    page = client.get(reverse("dtca:country")).content.decode()
    assert "opens when every member of your team has submitted" in page
    assert "1 of 2 so far" in page
    assert "Technology" not in page  # no statements, nobody's answers
    assert not CountryAssessment.objects.exists()

    # A deactivated member does not hold the team back.
    second.is_active = False
    second.save()
    page = client.get(reverse("dtca:country")).content.decode()
    assert "Everyone has submitted" in page


def test_consolidation_highlights_a_two_point_difference(client, run, structure, jamaica):
    response = open_consolidation(client, run, jamaica, [2, 3, 4, "dk"], [4, 4, 4, 3])
    page = response.content.decode()
    assert "<strong>1 statement</strong> where you differ by two points or more" in page
    leadership_1, leadership_2 = structure.dimensions[0].statement_list
    block = page.split(f'id="statement-{leadership_1.pk}"')[0].rsplit("<div", 1)[1]
    assert "dtca-notable" in block
    assert "2 points apart" in page
    # One point apart, or a score against "don't know", is not highlighted.
    for statement in structure.statements[1:]:
        block = page.split(f'id="statement-{statement.pk}"')[0].rsplit("<div", 1)[1]
        assert "dtca-notable" not in block, statement.label
    # Both members' answers are side by side.
    names = [
        m.participant.user.get_full_name() for m in selectors.team(run, jamaica[0].cohort, jamaica[0].country).members
    ]
    for name in names:
        assert name in page


def test_only_the_differences_can_be_shown(client, run, structure, jamaica):
    open_consolidation(client, run, jamaica, [1, 3, 4, 2], [4, 4, 4, 5])
    page = client.get(reverse("dtca:country") + "?show=differences").content.decode()
    shown = [s for s in structure.statements if f'id="statement-{s.pk}"' in page]
    assert [s.label for s in shown] == ["Leadership 1", "Technology 2"]


def test_answers_all_members_gave_alike_are_filled_in_for_the_team(client, run, structure, jamaica):
    open_consolidation(client, run, jamaica, [2, 3, "dk", 3], [4, 3, "dk", 4])
    agreed = {a.statement_id: a.value for a in CountryAnswer.objects.all()}
    statements = structure.statements
    assert agreed == {statements[1].pk: "3", statements[2].pk: "dk"}


def test_any_member_edits_and_the_page_says_who_edited_last(client, run, structure, jamaica):
    open_consolidation(client, run, jamaica, [2, 3, 4, 4], [4, 3, 4, 4])
    first_statement = structure.statements[0]
    client.post(
        reverse("dtca:country_autosave", args=[first_statement.pk]),
        form_data(structure, [first_statement], [3]),
        **HTMX,
    )
    client.force_login(jamaica[1].user)
    page = client.get(reverse("dtca:country")).content.decode()
    editor = jamaica[0].user.get_full_name()
    assert f"Last edited by <strong>{editor}</strong>" in page
    assert f"Last edited by {editor}," in page  # beside the statement itself
    country_assessment = CountryAssessment.objects.get()
    assert country_assessment.last_edited_by == jamaica[0].user
    assert CountryAnswer.objects.get(statement=first_statement).edited_by == jamaica[0].user


def test_saving_only_the_shown_differences_keeps_the_other_answers(client, run, structure, jamaica):
    open_consolidation(client, run, jamaica, [1, 3, 4, 4], [4, 3, 4, 4])
    before = dict(CountryAnswer.objects.values_list("statement_id", "score"))
    first = structure.statements[0]
    client.post(reverse("dtca:country"), form_data(structure, [first], [2]) | {"go": "save"})
    after = dict(CountryAnswer.objects.values_list("statement_id", "score"))
    assert after == before | {first.pk: 2}


def test_the_team_submits_once_and_then_it_is_locked(client, run, structure, jamaica):
    open_consolidation(client, run, jamaica, [1, 3, 4, 4], [4, 3, 4, 4])
    response = client.post(
        reverse("dtca:country"), form_data(structure, structure.statements, [None, 3, 4, 4]) | {"go": "submit"}
    )
    assert response.status_code == 302
    assert CountryAssessment.objects.get().status == Status.DRAFT  # Leadership 1 has no agreed answer yet
    page = client.get(reverse("dtca:country")).content.decode()
    assert "Leadership 1: “" in page

    client.post(reverse("dtca:country"), form_data(structure, structure.statements, [2, 3, 4, 4]) | {"go": "submit"})
    country_assessment = CountryAssessment.objects.get()
    assert country_assessment.status == Status.SUBMITTED
    assert country_assessment.submitted_by == jamaica[0].user

    client.force_login(jamaica[1].user)
    page = client.get(reverse("dtca:country")).content.decode()
    assert "Agreed and submitted by" in page
    client.post(reverse("dtca:country"), form_data(structure, structure.statements, [5, 5, 5, 5]) | {"go": "submit"})
    response = client.post(
        reverse("dtca:country_autosave", args=[structure.statements[0].pk]),
        form_data(structure, [structure.statements[0]], [5]),
        **HTMX,
    )
    assert "locked" in response.content.decode()
    assert CountryAnswer.objects.get(statement=structure.statements[0]).score == 2


def test_an_organizer_reopens_a_country_assessment(organizer_client, run, structure, jamaica):
    answer(run, jamaica[0], [1, 1, 1, 1], submit=True)
    answer(run, jamaica[1], [1, 1, 1, 1], submit=True)
    country_assessment = services.start_country_assessment(
        selectors.team(run, jamaica[0].cohort, jamaica[0].country), structure
    )
    services.submit_country(country_assessment, structure, by=jamaica[0].user)
    organizer_client.post(
        reverse("admin:assessments_countryassessment_changelist"),
        {"action": "reopen", "_selected_action": [country_assessment.pk]},
    )
    country_assessment.refresh_from_db()
    assert country_assessment.status == Status.DRAFT and country_assessment.submitted_by is None


def test_a_country_autosave_before_the_team_is_ready_is_not_found(client, run, structure, jamaica):
    answer(run, jamaica[0], [1, 1, 1, 1], submit=True)
    client.force_login(jamaica[0].user)
    statement = structure.statements[0]
    response = client.post(
        reverse("dtca:country_autosave", args=[statement.pk]), form_data(structure, [statement], [3]), **HTMX
    )
    assert response.status_code == 404
    assert not CountryAnswer.objects.exists()


def test_a_late_country_assessment_is_accepted_and_marked_late(
    client, programme, run, structure, jamaica, time_machine
):
    add_assessment_task(programme)  # due 26 February 2021, 10:00 ECT for Group A
    open_consolidation(client, run, jamaica, [3, 3, 3, 3], [3, 3, 3, 3])
    time_machine.move_to("2021-03-01T12:00:00Z")
    client.post(reverse("dtca:country"), form_data(structure, structure.statements, [3, 3, 3, 3]) | {"go": "submit"})
    country_assessment = CountryAssessment.objects.get()
    assert country_assessment.status == Status.SUBMITTED and country_assessment.is_late
    assert "late</span>" in client.get(reverse("dtca:country")).content.decode()
