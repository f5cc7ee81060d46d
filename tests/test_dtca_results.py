"""Profiles for participants, the facilitator's Session 2 view, and the selectors other features call."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors

from .factories import CountryFactory, UserFactory, WorkshopFactory
from .factories_assessments import add_assessment_task, agree, answer, build_instrument, build_run, team

DIMENSIONS = (("Leadership", 2), ("Strategy", 2), ("Governance", 2), ("Legal", 2), ("Technology", 2), ("Workforce", 2))


@pytest.fixture
def run(programme):
    return build_run(programme, build_instrument(dimensions=DIMENSIONS))


@pytest.fixture
def structure(run):
    return selectors.instrument_structure(run.instrument)


@pytest.fixture
def group_a(programme):
    return programme.cohorts.get(name="Group A")


@pytest.fixture
def facilitator(programme):
    user = UserFactory()
    programme.facilitators.add(user)
    return user


def populate(run, structure, cohort, countries: int, *, agreed_every=2):
    """Countries with two submitted members each; every other country has also agreed its assessment."""
    for index in range(countries):
        country = CountryFactory(name=f"Country {cohort.name[-1]}{index:02d}")
        members = team(cohort, country)
        values = [1 + (index + n) % 5 for n in range(12)]
        answer(run, members[0], values, submit=True, structure=structure)
        answer(run, members[1], [min(5, v + 1) for v in values[:-1]] + ["dk"], submit=True, structure=structure)
        if index % agreed_every == 0:
            agree(run, cohort, country, values, structure=structure)


def facilitator_queries(client, cohort) -> int:
    url = reverse("dtca:facilitator", args=[cohort.pk])
    assert client.get(url).status_code == 200  # warm up the session and the run
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("countries", [2, 20])
def test_the_facilitator_view_runs_a_constant_number_of_queries(
    client, programme, run, structure, group_a, facilitator, countries, django_assert_max_num_queries
):
    populate(run, structure, group_a, countries)
    populate(run, structure, programme.cohorts.get(name="Group B"), countries)
    add_assessment_task(programme)
    client.force_login(facilitator)
    client.get(reverse("dtca:facilitator", args=[group_a.pk]))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("dtca:facilitator", args=[group_a.pk])).content.decode()
    assert page.count('<th scope="row">Country A') == countries


def test_the_facilitator_view_costs_the_same_for_2_and_for_20_countries(
    client, programme, run, structure, group_a, facilitator
):
    client.force_login(facilitator)
    populate(run, structure, group_a, 2)
    few = facilitator_queries(client, group_a)
    populate(run, structure, programme.cohorts.get(name="Group B"), 20)
    for index in range(2, 20):
        country = CountryFactory(name=f"Country A{index:02d}")
        members = team(group_a, country)
        answer(run, members[0], [3] * 12, submit=True, structure=structure)
        answer(run, members[1], [2] * 6, structure=structure)
    many = facilitator_queries(client, group_a)
    assert few == many


def test_countries_are_listed_alphabetically_never_by_score(client, run, structure, group_a, facilitator):
    for name, score in (("Zeta Islands", 5), ("Alpha Republic", 1), ("Mid Land", 3)):
        members = team(group_a, CountryFactory(name=name), size=1)
        answer(run, members[0], [score] * 12, submit=True, structure=structure)
    client.force_login(facilitator)
    page = client.get(reverse("dtca:facilitator", args=[group_a.pk])).content.decode()
    heatmap = page.split(f'id="heatmap-{group_a.pk}"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">([A-Z][a-z]+ [A-Z][a-z]+)</th>', heatmap) == [
        "Alpha Republic",
        "Mid Land",
        "Zeta Islands",
    ]
    assert "not a benchmark" in page.lower()
    assert "never ranked" in page


def test_the_view_uses_agreed_assessments_where_they_exist_and_says_which(client, run, structure, group_a, facilitator):
    agreed_team = team(group_a, CountryFactory(name="Agreed Land"))
    answer(run, agreed_team[0], [1] * 12, submit=True, structure=structure)
    answer(run, agreed_team[1], [1] * 12, submit=True, structure=structure)
    agree(run, group_a, agreed_team[0].country, [4] * 12, structure=structure)
    mean_team = team(group_a, CountryFactory(name="Mean Land"))
    answer(run, mean_team[0], [2] * 12, submit=True, structure=structure)
    answer(run, mean_team[1], [5] * 12, structure=structure)  # a draft: not counted

    [view] = selectors.group_views(run, structure, [group_a])
    rows = {row.country.name: row for row in view.countries}
    assert rows["Agreed Land"].source == "agreed"
    assert [s.mean for s in rows["Agreed Land"].scores] == [4.0] * 6
    assert rows["Mean Land"].source == "team mean"
    assert rows["Mean Land"].source_label == "mean of 1 of 2 individual submissions"
    assert [s.mean for s in rows["Mean Land"].scores] == [2.0] * 6
    assert view.stats[0].mean == 3.0

    client.force_login(facilitator)
    page = client.get(reverse("dtca:facilitator", args=[group_a.pk])).content.decode()
    assert "agreed</span>" in page and "team mean</span> 1 of 2" in page


def test_the_view_shows_spread_dont_know_share_agreement_and_both_groups(
    client, programme, run, structure, group_a, facilitator
):
    # Leadership: 2 and 4 (SD 1.0); Strategy: 3 and 3 (SD 0); the rest 1 and 5 (SD 2.0).
    first = team(group_a, CountryFactory(name="First"), size=1)
    second = team(group_a, CountryFactory(name="Second"), size=1)
    answer(run, first[0], [2, 2, 3, "dk", 1, 1, 1, 1, 1, 1, 1, 1], submit=True, structure=structure)
    answer(run, second[0], [4, 4, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5], submit=True, structure=structure)
    group_b = programme.cohorts.get(name="Group B")
    third = team(group_b, CountryFactory(name="Third"), size=1)
    answer(run, third[0], [5] * 12, submit=True, structure=structure)

    [view_a, view_b] = selectors.group_views(run, structure, [group_a, group_b])
    assert view_a.most_agreement.dimension.name == "Strategy"
    assert view_a.most_difference.dimension.name == "Governance"  # first of the tied 2.0s
    assert view_a.stats[1].dont_know_share == 0.25

    client.force_login(facilitator)
    page = client.get(reverse("dtca:facilitator", args=[group_a.pk])).content.decode()
    agreement = page.split(f'id="agreement-{group_a.pk}"')[1]
    assert "Most agreement across countries" in agreement and "Strategy" in agreement
    assert "Most difference across countries" in agreement and "Governance" in agreement
    assert "25%" in page  # Strategy's don't-know share
    assert "Group A beside Group B" in page
    groups_table = page.split('id="groups-table"')[1].split("</table>")[0]
    assert "Group B" in groups_table and "5.0" in groups_table
    assert '<svg class="radar"' in page


def test_a_participant_sees_own_and_country_profile_against_the_group_mean(client, run, structure, group_a):
    me, colleague = team(group_a, CountryFactory(name="Home Land"))
    answer(run, me, [4, 2, "dk", "dk", 3, 3, 3, 3, 3, 3, 3, 3], submit=True, structure=structure)
    answer(run, colleague, [2] * 12, submit=True, structure=structure)
    other = team(group_a, CountryFactory(name="Other Land"), size=1)
    answer(run, other[0], [5] * 12, submit=True, structure=structure)
    client.force_login(me.user)
    page = client.get(reverse("dtca:results")).content.decode()
    assert '<svg class="radar"' in page
    assert "You" in page and "Home Land (team mean)" in page and "Group A mean" in page
    leadership_row = page.split(">Leadership</th>")[1].split("</tr>")[0]
    # You 3.0 (4 and 2), Home Land 2.5 (mean of 3.0 and 2.0), group mean 3.75 (2.5 and 5.0).
    assert re.findall(r">(\d\.\d)<", leadership_row) == ["3.0", "2.5", "3.8"]
    strategy_row = page.split(">Strategy</th>")[1].split("</tr>")[0]
    assert "2 of 2" in strategy_row  # two don't-knows: evidence gaps, and no score of your own
    assert "–" in strategy_row


def test_the_profile_waits_for_the_participants_own_submission(client, run, structure, group_a):
    me, colleague = team(group_a)
    answer(run, colleague, [5] * 12, submit=True, structure=structure)
    answer(run, me, [1] * 6, structure=structure)
    client.force_login(me.user)
    page = client.get(reverse("dtca:results")).content.decode()
    assert "once you have submitted" in page
    assert "<svg" not in page


def test_weakest_dimensions_come_from_the_agreed_assessment_lowest_first_ties_in_order(run, structure, group_a):
    members = team(group_a)
    country = members[0].country
    assert selectors.weakest_dimensions(group_a, country) == []
    answer(run, members[0], [5, 5, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5], submit=True, structure=structure)
    answer(run, members[1], [5, 5, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5], submit=True, structure=structure)
    assert [d.name for d in selectors.weakest_dimensions(group_a, country, limit=1)] == ["Strategy"]

    agree(run, group_a, country, [3, 3, 4, 4, 2, 2, "dk", "dk", 2, 2, 3, 3], structure=structure)
    names = [d.name for d in selectors.weakest_dimensions(group_a, country)]
    # Governance and Technology tie at 2; Legal has no score (only don't know) and is left out.
    assert names == ["Governance", "Technology", "Leadership", "Workforce", "Strategy"]
    assert [d.name for d in selectors.weakest_dimensions(group_a, country, limit=2)] == ["Governance", "Technology"]


def test_participant_ids_submitted(programme, run, group_a):
    done, draft, untouched = team(group_a, size=3)
    answer(run, done, [3] * 12, submit=True)
    answer(run, draft, [3] * 3)
    other_workshop_run = build_run(WorkshopFactory())
    assert selectors.participant_ids_submitted(programme, [done.pk, draft.pk, untouched.pk]) == {done.pk}
    assert selectors.participant_ids_submitted(other_workshop_run.workshop, [done.pk]) == set()


def test_the_facilitator_start_page_links_each_groups_dtca_view(client, programme, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    for cohort in programme.cohorts.all():
        assert reverse("dtca:facilitator", args=[cohort.pk]) in page


def test_the_session_page_of_the_assessment_task_shows_the_dtca_card(client, programme, run, group_a, facilitator):
    add_assessment_task(programme)
    [participant] = team(group_a, size=1)
    client.force_login(participant.user)
    session_two = group_a.occurrences.get(session__number=2)
    page = client.get(reverse("sessions:detail", args=[session_two.pk])).content.decode()
    assert 'id="dtca-card"' in page and "Start the assessment" in page
    session_one = group_a.occurrences.get(session__number=1)
    assert 'id="dtca-card"' not in client.get(reverse("sessions:detail", args=[session_one.pk])).content.decode()
    client.force_login(facilitator)
    page = client.get(reverse("sessions:detail", args=[session_two.pk])).content.decode()
    assert reverse("dtca:facilitator", args=[group_a.pk]) in page


def test_participants_see_the_dtca_in_the_navigation(client, group_a):
    [participant] = team(group_a, size=1)
    client.force_login(participant.user)
    assert f'href="{reverse("dtca:home")}"' in client.get(reverse("sessions:home")).content.decode()
