"""Who may read which answers, open the facilitator view, change visibility and download."""

import pytest
from django.urls import reverse

from assessments.models import GroupViewRelease

from .factories import CohortFactory, UserFactory, WorkshopFactory
from .factories_assessments import answer, build_instrument, build_run, team


@pytest.fixture
def run(programme):
    return build_run(programme, build_instrument(dimensions=(("Leadership", 2), ("Legal", 2))))


@pytest.fixture
def group_a(programme):
    return programme.cohorts.get(name="Group A")


@pytest.fixture
def facilitator(programme):
    user = UserFactory(email="fac@example.org")
    programme.facilitators.add(user)
    return user


def test_a_participant_cannot_read_another_countrys_individual_answers(client, run, group_a):
    jamaica, barbados = team(group_a), team(group_a)
    theirs = answer(run, barbados[0], [5, 5, 5, 5], submit=True)
    answer(run, barbados[1], [1, 1, 1, 1], submit=True)
    answer(run, jamaica[0], [2, 2, 2, 2], submit=True)
    answer(run, jamaica[1], [2, 2, 2, 2], submit=True)
    client.force_login(jamaica[0].user)
    assert client.get(reverse("dtca:response", args=[theirs.pk])).status_code == 404
    # Nor does their own country pages show anything of another team.
    page = client.get(reverse("dtca:country")).content.decode()
    assert barbados[0].user.get_full_name() not in page


def test_a_teammate_reads_answers_only_once_everyone_in_the_team_has_submitted(client, run, group_a):
    first, second = team(group_a)
    mine = answer(run, first, [3, 3, 3, 3], submit=True)
    theirs = answer(run, second, [4, 4, 4, 4])
    client.force_login(first.user)
    assert client.get(reverse("dtca:response", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("dtca:response", args=[mine.pk])).status_code == 200
    answer(run, second, [], submit=True)
    assert client.get(reverse("dtca:response", args=[theirs.pk])).status_code == 200


def test_the_same_country_in_the_other_group_is_another_team(client, programme, run, group_a):
    first, second = team(group_a)
    other_group = programme.cohorts.get(name="Group B")
    [same_country_other_group] = team(other_group, country=first.country, size=1)
    theirs = answer(run, same_country_other_group, [1, 1, 1, 1], submit=True)
    answer(run, first, [2, 2, 2, 2], submit=True)
    answer(run, second, [2, 2, 2, 2], submit=True)
    client.force_login(first.user)
    assert client.get(reverse("dtca:response", args=[theirs.pk])).status_code == 404


def test_facilitators_read_every_answer_of_their_workshop_only(client, run, group_a, facilitator):
    [participant] = team(group_a, size=1)
    assessment = answer(run, participant, [1, 2])
    client.force_login(facilitator)
    assert client.get(reverse("dtca:response", args=[assessment.pk])).status_code == 200
    stranger = UserFactory()
    build_run(WorkshopFactory()).workshop.facilitators.add(stranger)
    client.force_login(stranger)
    assert client.get(reverse("dtca:response", args=[assessment.pk])).status_code == 404


def test_participants_cannot_open_the_facilitator_view_toggle_it_or_download(client, programme, run, group_a):
    [participant] = team(group_a, size=1)
    client.force_login(participant.user)
    assert client.get(reverse("dtca:facilitator", args=[group_a.pk])).status_code == 404
    assert client.post(reverse("dtca:visibility", args=[group_a.pk]), {"visible": "1"}).status_code == 404
    assert not GroupViewRelease.objects.exists()
    assert client.get(reverse("dtca:export_csv", args=[programme.pk])).status_code == 404
    assert client.get(reverse("dtca:export_xlsx", args=[programme.pk])).status_code == 404


def test_a_facilitator_of_another_workshop_cannot_see_this_one(client, programme, run, group_a):
    other = WorkshopFactory()
    CohortFactory(workshop=other)
    stranger = UserFactory()
    other.facilitators.add(stranger)
    client.force_login(stranger)
    assert client.get(reverse("dtca:facilitator", args=[group_a.pk])).status_code == 404
    assert client.get(reverse("dtca:export_xlsx", args=[programme.pk])).status_code == 404


def test_downloads_need_a_sign_in(client, programme, run):
    response = client.get(reverse("dtca:export_csv", args=[programme.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_facilitators_decide_when_participants_see_the_group_view(client, programme, run, group_a, facilitator):
    [participant] = team(group_a, size=1)
    answer(run, participant, [4, 4, 4, 4], submit=True)
    client.force_login(participant.user)
    page = client.get(reverse("dtca:group")).content.decode()
    assert "Your facilitators open this view" in page
    assert "heatmap" not in page

    client.force_login(facilitator)
    response = client.post(reverse("dtca:visibility", args=[group_a.pk]), {"visible": "1"}, follow=True)
    assert "Shown to participants" in response.content.decode()
    release = GroupViewRelease.objects.get()
    assert (release.cohort, release.released_by) == (group_a, facilitator)

    client.force_login(participant.user)
    page = client.get(reverse("dtca:group")).content.decode()
    assert f'id="heatmap-{group_a.pk}"' in page and participant.country.name in page
    assert "Not a benchmark" in page
    # Participants see the comparison, not the follow-up list of who submitted.
    assert "Who has submitted" not in page
    # The other group has not been shown theirs.
    group_b = programme.cohorts.get(name="Group B")
    [other] = team(group_b, size=1)
    client.force_login(other.user)
    assert "Your facilitators open this view" in client.get(reverse("dtca:group")).content.decode()

    client.force_login(facilitator)
    client.post(reverse("dtca:visibility", args=[group_a.pk]), {"visible": "0"})
    assert not GroupViewRelease.objects.exists()
