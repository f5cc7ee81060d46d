"""Facilitators: every plan of a group with actions per dimension, and the organizer's follow-up board."""

import re

import pytest
from django.urls import reverse

from action_plans import services

from .factories import CountryFactory, ParticipantFactory, UserFactory, build_programme
from .factories_action_plans import action, country_team, priorities_task, sdg_task
from .factories_assessments import build_instrument, build_run


@pytest.fixture(autouse=True)
def after_the_course(time_machine):
    # The programme's last session ends on 24 March 2021; the 3-month follow-up moment has passed.
    time_machine.move_to("2021-07-01T12:00:00Z")


def fill(workshop, countries, actions_per_country=3):
    cohort = workshop.cohorts.get(name="Group A")
    dimensions = list(build_run(workshop, build_instrument()).instrument.dimensions.order_by("order"))
    teams = []
    for index in range(countries):
        members = country_team(cohort, CountryFactory(name=f"Land {index:02d}"))
        for number in range(actions_per_country):
            made = action(members[0], dimensions[number % len(dimensions)], title=f"Action {index}-{number}")
            if number == 1:
                services.record_progress(made, members[1], status="started", note="Under way.")
        teams.append(members)
    return cohort, dimensions, teams


@pytest.mark.parametrize("countries", [2, 12])
def test_group_plans_count_actions_per_dimension_in_constant_queries(
    client, db, countries, django_assert_max_num_queries
):
    workshop = build_programme(sessions=5)
    cohort, dimensions, _ = fill(workshop, countries)
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    client.force_login(facilitator)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("action_plans:group_plans", args=[cohort.pk])).content.decode()
    assert f"{countries} of {countries} country teams have actions; {3 * countries} actions in all" in page
    table = page.split('class="table table-sm table-bordered align-middle text-center dimension-counts"')[1]
    footer = table.split("<tfoot>")[1].split("</tfoot>")[0]
    # Three actions per country, one on each of the instrument's three dimensions.
    assert footer.count(f'<td class="fw-semibold">{countries}</td>') == len(dimensions)
    assert page.count('class="card mb-3" id="plan-') == countries
    with django_assert_max_num_queries(14):
        assert client.get(reverse("action_plans:followup_board", args=[workshop.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("action_plans:group_plans_xlsx", args=[cohort.pk])).status_code == 200


def test_the_follow_up_board_shows_actions_by_status_country_and_dimension(client, programme, organizer_client):
    cohort, dimensions, teams = fill(programme, 2)
    done = action(teams[0][0], dimensions[0], title="Finished action")
    services.record_progress(done, teams[0][0], status="done", note="Launched.")
    stalled = action(teams[1][0], dimensions[2], title="Stuck action")
    services.record_progress(stalled, teams[1][1], status="stalled", note="No budget.")
    page = organizer_client.get(reverse("action_plans:followup_board", args=[programme.pk])).content.decode()
    assert "8 actions:" in page
    countries = page.split("followup-countries")[1].split("</table>")[0]
    land0 = countries.split("Land 00")[1].split("</tr>")[0]
    # Land 00: 4 actions — 2 not started, 1 started, 1 done, none stalled; updated after the 3-month moment.
    assert re.findall(r'<td class="text-end[^"]*">([^<]+)</td>', land0) == ["4", "2", "1", "1", "·"]
    assert 'badge text-bg-success">yes' in land0
    by_dimension = page.split("followup-dimensions")[1].split("</table>")[0]
    assert dimensions[2].name in by_dimension
    assert "3 months, 24 Jun 2021" in page and "(passed)" in page


def test_facilitator_start_page_links_the_groups_action_plan_tools(client, programme):
    sdg_task(programme)
    priorities_task(programme)
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    tools = page.split("facilitator-tools")[1]
    for cohort in programme.cohorts.all():
        assert reverse("action_plans:group_sdgs", args=[cohort.pk]) in page
        assert reverse("action_plans:group_priorities", args=[cohort.pk]) in page
        assert reverse("action_plans:group_plans", args=[cohort.pk]) in page
    assert "SDGs chosen" in tools
    assert reverse("action_plans:followup_board", args=[programme.pk]) in page


def test_session_pages_show_the_sdg_and_priorities_views_to_facilitators(client, programme):
    sdg_task(programme)
    priorities_task(programme)
    cohort = programme.cohorts.get(name="Group A")
    ParticipantFactory(cohort=cohort)
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    occurrences = {o.session.number: o for o in cohort.occurrences.select_related("session")}
    first = client.get(occurrences[1].get_absolute_url()).content.decode()
    assert "0 of 1 participant of Group A has chosen their SDG" in first  # a real plural now
    assert reverse("action_plans:group_sdgs", args=[cohort.pk]) in first
    third = client.get(occurrences[3].get_absolute_url()).content.decode()
    assert reverse("action_plans:group_priorities", args=[cohort.pk]) in third
    fourth = client.get(occurrences[4].get_absolute_url()).content.decode()
    assert reverse("action_plans:group_plans", args=[cohort.pk]) in fourth


def test_group_plans_and_the_board_are_for_facilitators_of_the_workshop(client, programme):
    cohort = programme.cohorts.get(name="Group A")
    participant = ParticipantFactory(cohort=cohort)
    other = UserFactory()
    build_programme(sessions=1).facilitators.add(other)
    for user in (participant.user, other):
        client.force_login(user)
        assert client.get(reverse("action_plans:group_plans", args=[cohort.pk])).status_code == 404
        assert client.get(reverse("action_plans:followup_board", args=[programme.pk])).status_code == 404
        assert client.get(reverse("action_plans:workshop_plans_xlsx", args=[programme.pk])).status_code == 404
