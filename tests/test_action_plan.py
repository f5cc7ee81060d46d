"""The country action plan: actions linked to a DTCA dimension, edited by the team, read by facilitators."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from action_plans import selectors, services
from action_plans.models import Action, ActionPlan, ActionStatus, ActionUpdate, ServiceQuality

from .factories import CountryFactory, ParticipantFactory, UserFactory, build_programme
from .factories_action_plans import action, country_team, priorities_task, priority, sdg
from .factories_assessments import agree, build_instrument, build_run


@pytest.fixture(autouse=True)
def during_the_course(time_machine):
    time_machine.move_to("2021-03-20T12:00:00Z")


@pytest.fixture
def group_a(programme):
    return programme.cohorts.get(name="Group A")


@pytest.fixture
def run(programme):
    instrument = build_instrument(dimensions=(("Leadership", 2), ("Strategy", 2), ("Governance", 2), ("Legal", 2)))
    return build_run(programme, instrument)


@pytest.fixture
def dimensions(run):
    return {d.name: d for d in run.instrument.dimensions.all()}


@pytest.fixture
def team(group_a, run):
    jamaica = CountryFactory(name="Jamaica", code="JM")
    return [
        ParticipantFactory(cohort=group_a, country=jamaica, user__first_name="Alicia", user__last_name="Browne"),
        ParticipantFactory(cohort=group_a, country=jamaica, user__first_name="Devon", user__last_name="Clarke"),
    ]


@pytest.fixture
def facilitator(programme):
    user = UserFactory()
    programme.facilitators.add(user)
    return user


def plan_url(name, participant, *args):
    return reverse(f"action_plans:{name}", args=[participant.cohort_id, participant.country.code, *args])


def action_data(dimension, **overrides):
    data = {
        "title": "Open online birth certificates",
        "dimension": dimension.pk if dimension else "",
        "sdgs": [sdg(16).pk],
        "priority": "",
        "qualities": [ServiceQuality.objects.get(key="responsiveness").pk],
        "owner": "Registrar General's Department",
        "first_step": "Digitise the index of registers.",
        "time_frame": "3_months",
        "obstacles": "Old paper registers.",
        "overcoming": "Digitise by demand.",
        "status": "not_started",
        "progress_note": "",
    }
    data.update(overrides)
    return data


def test_a_team_member_adds_an_action_with_everything_it_names(client, team, dimensions):
    client.force_login(team[0].user)
    response = client.post(plan_url("action_add", team[0]), action_data(dimensions["Legal"]))
    assert response.status_code == 302
    added = Action.objects.get()
    assert added.plan.country == team[0].country and added.dimension == dimensions["Legal"]
    assert [s.number for s in added.sdgs.all()] == [16]
    assert [q.name for q in added.qualities.all()] == ["Responsiveness"]
    assert added.time_frame == "3_months" and added.owner == "Registrar General's Department"
    page = client.get(plan_url("plan", team[0])).content.decode()
    assert "Open online birth certificates" in page and "Registrar General&#x27;s Department" in page
    assert "Added by Alicia Browne" in page


def test_an_action_must_name_a_dimension(client, team, dimensions):
    client.force_login(team[0].user)
    response = client.post(plan_url("action_add", team[0]), action_data(None))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name the DTCA dimension this action strengthens." in page
    assert 'value="Open online birth certificates"' in page  # nothing typed is lost
    assert not Action.objects.exists()
    plan = ActionPlan.objects.create(cohort=team[0].cohort, country=team[0].country)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(plan=plan, title="No dimension", dimension=None)
    with pytest.raises(services.ActionPlanRefused, match="Name the DTCA dimension"):
        services.add_action(plan, team[0], fields={"title": "x", "dimension": None})


def test_the_weakest_dimensions_are_suggested_first(client, run, group_a, team, dimensions):
    # Agreed scores: Strategy 2, Legal 3, Leadership 4, Governance 5.
    agree(run, group_a, team[0].country, [4, 4, 2, 2, 5, 5, 3, 3])
    choices = selectors.dimension_choices(group_a, team[0].country)
    assert [d.name for d in choices.suggested] == ["Strategy", "Legal", "Leadership"]
    assert [d.name for d in choices.others] == ["Governance"]
    client.force_login(team[0].user)
    page = client.get(plan_url("action_add", team[0])).content.decode()
    select = page.split('name="dimension"')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select)
    assert [label for _, label in options] == [
        "Strategy (suggested)",
        "Legal (suggested)",
        "Leadership (suggested)",
        "Governance",
    ]
    assert "Suggested: your team&#x27;s weakest dimensions in the DTCA" in select
    assert select.index("Suggested") < select.index("Other dimensions")


def test_without_a_dtca_the_dimensions_come_in_questionnaire_order(client, team, dimensions):
    client.force_login(team[0].user)
    page = client.get(plan_url("action_add", team[0])).content.decode()
    select = page.split('name="dimension"')[1].split("</select>")[0]
    labels = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    assert labels == ["Leadership", "Strategy", "Governance", "Legal"]
    assert "suggested" not in select


def test_only_the_countrys_team_edits_its_plan_and_facilitators_read_it(
    client, programme, group_a, team, dimensions, facilitator
):
    mine = action(team[0], dimensions["Legal"], title="Pass the e-transactions bill")
    edit = plan_url("action_edit", team[0], mine.pk)
    progress = plan_url("action_progress", team[0], mine.pk)

    client.force_login(team[1].user)  # the teammate
    assert client.post(edit, action_data(dimensions["Strategy"], title="Pass the bill")).status_code == 302
    mine.refresh_from_db()
    assert mine.title == "Pass the bill"

    outsiders = [
        country_team(group_a, name="Barbados")[0],  # another country, same group
        ParticipantFactory(cohort=programme.cohorts.get(name="Group B"), country=team[0].country),  # other group
    ]
    other_facilitator = UserFactory()
    build_programme(sessions=1).facilitators.add(other_facilitator)
    for user in [p.user for p in outsiders] + [other_facilitator]:
        client.force_login(user)
        assert client.get(plan_url("plan", team[0])).status_code == 404
        assert client.get(plan_url("plan_pdf", team[0])).status_code == 404
        assert client.post(edit, action_data(dimensions["Legal"], title="Hacked")).status_code == 404
    mine.refresh_from_db()
    assert mine.title == "Pass the bill"

    client.force_login(facilitator)
    page = client.get(plan_url("plan", team[0])).content.decode()
    assert "Pass the bill" in page and "reading this plan as a facilitator" in page
    assert plan_url("action_add", team[0]) not in page and edit not in page
    assert client.get(plan_url("action_add", team[0])).status_code == 404
    assert client.post(progress, {f"a{mine.pk}-status": "done"}).status_code == 404
    assert client.post(plan_url("action_delete", team[0], mine.pk)).status_code == 404
    assert Action.objects.filter(pk=mine.pk, status="not_started").exists()

    client.logout()
    assert client.get(plan_url("plan", team[0])).status_code == 302


def test_a_deactivated_member_no_longer_edits(client, team, dimensions):
    mine = action(team[0], dimensions["Legal"])
    team[1].is_active = False
    team[1].save()
    client.force_login(team[1].user)
    assert client.get(plan_url("plan", team[0])).status_code == 404
    with pytest.raises(services.ActionPlanRefused, match="Only the members"):
        services.record_progress(mine, team[1], status="started", note="x")


def test_my_action_plan_leads_to_the_teams_plan_and_is_in_the_navigation(client, team):
    client.force_login(team[0].user)
    home = client.get(reverse("sessions:home")).content.decode()
    assert reverse("action_plans:mine") in home and ">Action plan</a>" in home
    response = client.get(reverse("action_plans:mine"))
    assert response["Location"] == plan_url("plan", team[0])
    page = client.get(response["Location"]).content.decode()
    assert "No actions yet" in page and "Alicia Browne" in page and "Devon Clarke" in page


def test_the_page_shows_who_last_changed_what(client, team, dimensions):
    client.force_login(team[0].user)
    client.post(plan_url("action_add", team[0]), action_data(dimensions["Legal"]))
    added = Action.objects.get()
    client.force_login(team[1].user)
    client.post(
        plan_url("action_edit", team[0], added.pk),
        action_data(dimensions["Legal"], first_step="Ask the Registrar for the index.", version=added.version),
    )
    page = client.get(plan_url("plan", team[0])).content.decode()
    assert "Last changed by Devon Clarke" in page and ": first step" in page
    assert "by Devon Clarke" in page.split("plan-last-change")[1].split("</p>")[0]
    added.refresh_from_db()
    assert added.updated_by == team[1] and added.created_by == team[0] and added.version == 2


def test_an_edit_over_a_teammates_newer_save_is_refused_and_keeps_what_was_typed(client, team, dimensions):
    mine = action(team[0], dimensions["Legal"], title="Pass the bill")
    loaded = mine.version
    services.change_action(mine, team[1], fields={"title": "Pass the bill this year", "dimension": dimensions["Legal"]})
    client.force_login(team[0].user)
    response = client.post(
        plan_url("action_edit", team[0], mine.pk),
        action_data(dimensions["Legal"], title="My own wording", version=loaded),
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Devon Clarke changed this action" in page and "nothing was saved" in page
    assert 'value="My own wording"' in page and "Pass the bill this year" in page
    mine.refresh_from_db()
    assert mine.title == "Pass the bill this year"
    # Saving again, now over the version shown, goes through.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    again = client.post(
        plan_url("action_edit", team[0], mine.pk),
        action_data(dimensions["Legal"], title="My own wording", version=version),
    )
    assert again.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "My own wording"


def test_progress_is_noted_with_its_status_and_kept_in_the_history(client, team, dimensions):
    mine = action(team[0], dimensions["Legal"])
    client.force_login(team[1].user)
    url = plan_url("action_progress", team[0], mine.pk)
    response = client.post(url, {f"a{mine.pk}-status": "started", f"a{mine.pk}-note": "Drafting instructions sent."})
    assert response.status_code == 302
    client.post(url, {f"a{mine.pk}-status": "stalled", f"a{mine.pk}-note": "Waiting for a slot in Parliament."})
    mine.refresh_from_db()
    assert mine.status == ActionStatus.STALLED and mine.progress_note == "Waiting for a slot in Parliament."
    assert list(
        ActionUpdate.objects.filter(action=mine).order_by("at", "pk").values_list("previous_status", "status")
    ) == [
        ("not_started", "started"),
        ("started", "stalled"),
    ]
    page = client.get(plan_url("plan", team[0])).content.decode()
    assert "Progress history (2)" in page and "Drafting instructions sent." in page
    plan = ActionPlan.objects.get()
    assert plan.updated_by == team[1] and plan.updated_at is not None

    nothing = client.post(url, {f"a{mine.pk}-status": "stalled", f"a{mine.pk}-note": " "})
    assert nothing.status_code == 400
    assert "the note is empty" in nothing.content.decode()
    assert ActionUpdate.objects.filter(action=mine).count() == 2


def test_an_action_can_serve_only_the_teams_own_priorities(client, programme, group_a, team, dimensions):
    task = priorities_task(programme)
    ours = priority(task, team[0], 1, title="A just society", sdgs=(16,))
    theirs = priority(task, country_team(group_a, name="Barbados")[0], 1, title="Blue economy")
    client.force_login(team[0].user)
    page = client.get(plan_url("action_add", team[0])).content.decode()
    assert "A just society (SDG 16)" in page and "Blue economy" not in page
    refused = client.post(plan_url("action_add", team[0]), action_data(dimensions["Legal"], priority=theirs.pk))
    assert refused.status_code == 400 and not Action.objects.exists()
    client.post(plan_url("action_add", team[0]), action_data(dimensions["Legal"], priority=ours.pk))
    assert Action.objects.get().priority == ours


def test_removing_an_action_asks_first(client, team, dimensions):
    mine = action(team[0], dimensions["Legal"], title="Pass the bill")
    client.force_login(team[0].user)
    url = plan_url("action_delete", team[0], mine.pk)
    assert "Remove “Pass the bill”?" in client.get(url).content.decode()
    client.post(url)
    assert not Action.objects.exists()
    assert ActionPlan.objects.get().updated_by == team[0]


def test_the_plan_page_runs_a_constant_number_of_queries(client, team, dimensions, django_assert_max_num_queries):
    client.force_login(team[0].user)
    # The first visit also fills the shared cache (the questionnaire's structure) and the session's memory.
    client.get(plan_url("plan", team[0]))
    counts = []
    for size in (2, 12):
        while Action.objects.count() < size:
            made = action(team[0], dimensions["Legal"], title=f"Action {Action.objects.count()}")
            made.sdgs.set([sdg(16), sdg(9)])
            services.record_progress(made, team[0], status="started", note="Under way")
        with django_assert_max_num_queries(15) as captured:
            page = client.get(plan_url("plan", team[0])).content.decode()
        assert page.count('class="card mb-3 action"') == size
        counts.append(len(captured))
    assert counts[0] == counts[1]
