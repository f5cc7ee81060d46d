"""Organizers set up and look after action plans in the admin."""

import pytest
from django.urls import reverse

from action_plans.models import ActionPlanSettings, SdgChoice, StructuredTask

from .factories_action_plans import action, country_team, priorities_task, priority, sdg, sdg_task
from .factories_assessments import build_instrument, build_run


@pytest.fixture
def filled(programme):
    cohort = programme.cohorts.get(name="Group A")
    team = country_team(cohort, name="Jamaica", code="JM")
    SdgChoice.objects.create(task=sdg_task(programme), participant=team[0], sdg=sdg(16), note="Institutions.")
    served = priority(priorities_task(programme), team[0], 1)
    dimension = build_run(programme, build_instrument()).instrument.dimensions.first()
    action(team[0], dimension, priority=served)
    ActionPlanSettings.objects.create(workshop=programme, followup_months="3, 6, 12")
    return team


@pytest.mark.parametrize(
    "model", ["sdg", "governanceprinciple", "servicequality", "structuredtask", "sdgchoice", "ndppriority",
              "actionplansettings", "actionplan", "action"]
)  # fmt: skip
def test_every_action_plans_model_has_a_working_admin_list_and_form(organizer_client, filled, model):
    assert organizer_client.get(reverse(f"admin:action_plans_{model}_changelist")).status_code == 200
    assert organizer_client.get(reverse(f"admin:action_plans_{model}_add")).status_code == 200


def test_linking_a_task_in_the_admin_checks_who_does_it(organizer_client, programme):
    task = priorities_task(programme)
    StructuredTask.objects.filter(task=task).delete()
    response = organizer_client.post(
        reverse("admin:action_plans_structuredtask_add"), {"task": task.pk, "kind": "sdg_choice"}
    )
    assert "This form is filled in by: each participant" in response.content.decode()
    assert not StructuredTask.objects.exists()
    organizer_client.post(reverse("admin:action_plans_structuredtask_add"), {"task": task.pk, "kind": "ndp_priorities"})
    assert StructuredTask.objects.get().kind == "ndp_priorities"
