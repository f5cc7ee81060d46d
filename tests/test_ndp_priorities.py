"""Session 3: each country team lists up to four National Development Plan priorities; the slides stay optional."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from action_plans import services
from action_plans.models import NdpPriority
from assessments.models import Dimension
from preparation.selectors import participant_ids_done

from .factories import CountryFactory, UserFactory
from .factories_action_plans import action, country_team, priorities_task, priority, sdg
from .factories_assessments import build_instrument


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z")


@pytest.fixture
def task(programme):
    return priorities_task(programme)


@pytest.fixture
def team(programme):
    return country_team(programme.cohorts.get(name="Group A"), name="Jamaica", code="JM")


def add(client, task, title, sdgs=(16,), text="Digital ID for every citizen."):
    return client.post(
        reverse("action_plans:priorities", args=[task.pk]),
        {
            "priority": "new",
            "new-title": title,
            "new-sdgs": [sdg(n).pk for n in sdgs],
            "new-digital_contribution": text,
        },
    )


def test_at_most_four_priorities_and_a_fifth_is_refused_with_a_message(client, task, team):
    client.force_login(team[0].user)
    for number in range(1, 5):
        assert add(client, task, f"Priority {number}").status_code == 302
    page = client.get(reverse("action_plans:priorities", args=[task.pk])).content.decode()
    assert "Your team has 4 priorities, the most this task asks for" in page
    assert 'name="new-title"' not in page
    response = add(client, task, "A fifth priority")
    assert response.status_code == 400
    assert "Your team already has 4 priorities, the most this task asks for" in response.content.decode()
    assert NdpPriority.objects.filter(country=team[0].country).count() == 4
    assert not NdpPriority.objects.filter(title="A fifth priority").exists()


def test_the_database_holds_a_team_to_four_positions(task, team):
    for position in range(1, 5):
        priority(task, team[0], position)
    with pytest.raises(IntegrityError), transaction.atomic():
        priority(task, team[0], 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        priority(task, team[0], 2)


def test_two_teammates_adding_the_last_places_get_positions_in_turn(task, team):
    for position in range(1, 4):
        priority(task, team[0], position)
    services.add_priority(task, team[1], title="Fourth", sdgs=[sdg(4)], digital_contribution="Schools online.")
    with pytest.raises(services.ActionPlanRefused, match="already has 4"):
        services.add_priority(task, team[0], title="Fifth", sdgs=[sdg(4)], digital_contribution="More.")
    assert NdpPriority.objects.get(title="Fourth").position == 4


def test_a_priority_needs_sdgs_and_how_digital_transformation_helps(client, task, team):
    client.force_login(team[0].user)
    response = add(client, task, "Health for all", sdgs=(), text="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one SDG that this priority serves." in page
    assert "Say how innovation and digital transformation can help achieve this priority." in page
    assert 'value="Health for all"' in page  # what was typed is kept
    assert not NdpPriority.objects.exists()


def test_the_team_shares_its_priorities_and_the_task_is_done_for_every_member(client, task, team):
    alicia, devon = team
    client.force_login(alicia.user)
    add(client, task, "A secure, cohesive and just society", sdgs=(16, 5))
    assert participant_ids_done(task, [alicia.pk, devon.pk]) == {alicia.pk, devon.pk}
    client.force_login(devon.user)
    page = client.get(reverse("preparation:task", args=[task.pk])).content.decode()
    assert "A secure, cohesive and just society" in page
    assert "status-by_teammate" in page and f"by {alicia.user}" in page
    assert "Your file" in page and "optional" in page  # the slides stay an optional upload
    assert 'name="upload"' in page


def test_changing_and_removing_a_priority(client, task, team):
    alicia, devon = team
    first = priority(task, alicia, 1, title="Tourism")
    client.force_login(devon.user)
    url = reverse("action_plans:priorities", args=[task.pk])
    response = client.post(
        url,
        {
            "priority": first.pk,
            "action": "save",
            f"p{first.pk}-title": "Sustainable tourism",
            f"p{first.pk}-sdgs": [sdg(8).pk, sdg(14).pk],
            f"p{first.pk}-digital_contribution": "E-permits for marine parks.",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "Sustainable tourism" and first.updated_by == devon
    assert sorted(first.sdgs.values_list("number", flat=True)) == [8, 14]
    assert "Last changed by " + str(devon.user) in client.get(url).content.decode()
    client.post(url, {"priority": first.pk, "action": "remove"})
    assert not NdpPriority.objects.exists()


def test_a_priority_an_action_serves_cannot_be_removed(client, task, team):
    served = priority(task, team[0], 1, title="Health for all")
    dimension = Dimension.objects.filter(instrument=build_instrument()).first()
    action(team[0], dimension, priority=served)
    client.force_login(team[0].user)
    url = reverse("action_plans:priorities", args=[task.pk])
    response = client.post(url, {"priority": served.pk, "action": "remove"}, follow=True)
    assert "is the priority of 1 action in your action plan" in response.content.decode()
    assert NdpPriority.objects.filter(pk=served.pk).exists()


def test_another_countrys_priority_cannot_be_changed(client, programme, task, team):
    other = country_team(programme.cohorts.get(name="Group A"), name="Barbados")[0]
    theirs = priority(task, other, 1, title="Barbados priority")
    client.force_login(team[0].user)
    url = reverse("action_plans:priorities", args=[task.pk])
    client.post(url, {"priority": theirs.pk, "action": "remove"})
    client.post(
        url,
        {
            "priority": theirs.pk,
            "action": "save",
            f"p{theirs.pk}-title": "Hijacked",
            f"p{theirs.pk}-sdgs": [sdg(1).pk],
            f"p{theirs.pk}-digital_contribution": "x",
        },
    )
    theirs.refresh_from_db()
    assert theirs.title == "Barbados priority"
    with pytest.raises(services.ActionPlanRefused):
        services.remove_priority(theirs, team[0])


def test_facilitator_sees_the_countries_priorities_side_by_side(client, programme, task, team):
    cohort = programme.cohorts.get(name="Group A")
    barbados = country_team(cohort, CountryFactory(name="Barbados"))
    country_team(cohort, CountryFactory(name="Anguilla"))
    priority(task, team[0], 1, title="A just society", sdgs=(16,))
    priority(task, team[0], 2, title="Ease of doing business", sdgs=(8, 9))
    priority(task, barbados[0], 1, title="Blue economy", sdgs=(14, 8))
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("action_plans:group_priorities", args=[cohort.pk])).content.decode()
    assert "2 of 3 country teams have listed their priorities" in page
    assert page.index("Anguilla") < page.index("Barbados") < page.index("Jamaica")
    assert "Blue economy" in page and "Ease of doing business" in page
    assert "No priorities yet." in page
    assert 'title="SDG 8: Decent work and economic growth">SDG 8</span>&nbsp;×2' in page
    client.force_login(team[0].user)
    assert client.get(reverse("action_plans:group_priorities", args=[cohort.pk])).status_code == 404


def test_the_session_page_with_the_priorities_reads_them_once_for_its_two_cards(
    client, programme, task, team, django_assert_max_num_queries, settings
):
    # The preparation card shows the task answered; the action plans card shows the priorities themselves.
    settings.FRAGMENTS_ENABLED = False  # the page's own build, not the page cache
    counts = []
    for count in (1, 4):
        for position in range(1, count + 1):
            priority(task, team[0], position, title=f"Priority number {position}")
        occurrence = programme.cohorts.get(name="Group A").occurrences.get(session__number=3)
        client.force_login(team[1].user)
        url = reverse("sessions:detail", args=[occurrence.pk])
        client.get(url)
        with django_assert_max_num_queries(15) as captured:
            page = client.get(url).content.decode()
        assert f"Priority number {count}" in page
        priority_reads = [q for q in captured if 'FROM "action_plans_ndppriority"' in q["sql"]]
        assert len(priority_reads) == 1
        counts.append(len(captured))
        NdpPriority.objects.all().delete()
    assert counts[0] == counts[1]
