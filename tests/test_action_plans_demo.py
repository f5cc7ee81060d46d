"""The demo: linked Caribbean tasks, SDG choices, priorities and action plans that the views and board show."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from action_plans.models import (
    Action,
    ActionPlan,
    ActionPlanSettings,
    ActionUpdate,
    GovernancePrinciple,
    NdpPriority,
    Sdg,
    SdgChoice,
    ServiceQuality,
    StructuredTask,
)
from participants.models import Participant, User
from reminders.models import ReminderRule
from reminders.selectors import preview


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (StructuredTask, SdgChoice, NdpPriority, ActionPlan, Action, ActionUpdate, ActionPlanSettings)
    }


def test_reference_data_ships_with_the_migrations(db):
    assert Sdg.objects.count() == 17
    assert Sdg.objects.get(number=1).short_name == "No poverty"
    assert Sdg.objects.get(number=17).short_name == "Partnerships for the goals"
    groups = {}
    for principle in GovernancePrinciple.objects.all():
        groups.setdefault(principle.get_group_display(), []).append(principle.name)
    assert groups == {
        "Effectiveness": ["Competence", "Sound policymaking", "Collaboration"],
        "Accountability": ["Integrity", "Transparency", "Independent oversight"],
        "Inclusiveness": [
            "Leaving no one behind",
            "Non-discrimination",
            "Participation",
            "Subsidiarity",
            "Intergenerational equity",
        ],
    }
    assert list(ServiceQuality.objects.values_list("name", flat=True)) == [
        "Quality",
        "Responsiveness",
        "Affordability",
        "People-orientation",
        "Inclusiveness",
    ]
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert "0 SDGs, 0 principles and 0 qualities added" in out.getvalue()


def test_demo_links_the_caribbean_tasks_and_fills_plans(demo, client, settings):
    links = {link.kind: link.task for link in StructuredTask.objects.select_related("task__session")}
    assert links["sdg_choice"].session.number == 1 and "one SDG" in links["sdg_choice"].title
    assert links["governance_principles"].session.number == 1
    assert links["ndp_priorities"].session.number == 3
    jamaica = ActionPlan.objects.get(cohort__name="Group A", country__code="JM")
    actions = list(jamaica.actions.order_by("created_at", "pk"))
    assert len(actions) == 2 and actions[0].obstacles and not actions[1].obstacles  # partly filled
    assert ActionUpdate.objects.filter(status__in=["started", "done", "stalled"]).exists()

    me = Participant.objects.get(user__email="participant@demo.test")
    assert SdgChoice.objects.get(participant=me).sdg.number == 16
    client.force_login(me.user)
    plan = client.get(reverse("action_plans:mine"), follow=True).content.decode()
    assert "Action plan · Jamaica" in plan and actions[1].title in plan
    session_one = me.cohort.occurrences.get(session__number=1)
    page = client.get(session_one.get_absolute_url()).content.decode()
    assert "Principles of effective governance" in page and "Intergenerational equity" in page
    assert "Peace, justice and strong institutions" in page

    client.force_login(User.objects.get(email="facilitator@demo.test"))
    sdgs = client.get(reverse("action_plans:group_sdgs", args=[me.cohort_id])).content.decode()
    assert "participants have chosen an SDG" in sdgs and "Alicia Browne" in sdgs
    priorities = client.get(reverse("action_plans:group_priorities", args=[me.cohort_id])).content.decode()
    assert "A secure, cohesive and just society" in priorities
    board = client.get(reverse("action_plans:followup_board", args=[demo.pk])).content.decode()
    assert "Jamaica" in board and "Stalled" in board and 'badge text-bg-warning">not yet' in board

    rule = ReminderRule.objects.get(workshop=demo, kind="action_plan_followup")
    mail = preview(rule, me)
    assert "Jamaica" in mail["subject"] and actions[0].title in mail["text"]

    before = snapshot()
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before
