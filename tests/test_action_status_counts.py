"""Counts of actions per status are real plural messages ("1 non commencée", "4 non commencées"), never a number
beside the status's label ("4 non commencée"): in the badges of the plan, the group's plans and the follow-up board."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from action_plans import services
from action_plans.models import ActionStatus, counted_status

from .factories import CountryFactory, UserFactory
from .factories_action_plans import action, country_team
from .factories_assessments import build_instrument, build_run

EXPECTED = {
    "en": {
        ActionStatus.NOT_STARTED: ("1 not started", "4 not started"),
        ActionStatus.STARTED: ("1 started", "4 started"),
        ActionStatus.DONE: ("1 done", "4 done"),
        ActionStatus.STALLED: ("1 stalled", "4 stalled"),
    },
    "fr": {
        ActionStatus.NOT_STARTED: ("1 non commencée", "4 non commencées"),
        ActionStatus.STARTED: ("1 commencée", "4 commencées"),
        ActionStatus.DONE: ("1 terminée", "4 terminées"),
        ActionStatus.STALLED: ("1 bloquée", "4 bloquées"),
    },
    "es": {
        ActionStatus.NOT_STARTED: ("1 sin iniciar", "4 sin iniciar"),
        ActionStatus.STARTED: ("1 iniciada", "4 iniciadas"),
        ActionStatus.DONE: ("1 terminada", "4 terminadas"),
        ActionStatus.STALLED: ("1 estancada", "4 estancadas"),
    },
}


@pytest.mark.parametrize("language", EXPECTED)
def test_one_and_four_actions_of_each_status_read_as_plurals(language):
    with translation.override(language):
        for status, (one, four) in EXPECTED[language].items():
            assert (counted_status(status, 1), counted_status(status, 4)) == (one, four)


def test_french_zero_is_singular_like_one():
    # French plural rule (n > 1): "0 terminée", as the catalogue's Plural-Forms says.
    with translation.override("fr"):
        assert counted_status(ActionStatus.DONE, 0) == "0 terminée"


def badges(page: str, area: str) -> list[str]:
    return re.findall(r'<span class="badge text-bg-[a-z]+[^"]*">([^<]+)</span>', page.split(area, 1)[1])


@pytest.fixture
def french_team(programme):
    """A country team of Group A with 4 actions not started and 1 done."""
    cohort = programme.cohorts.get(name="Group A")
    dimension = build_run(programme, build_instrument()).instrument.dimensions.order_by("order").first()
    members = country_team(cohort, CountryFactory(name="Haïti"))
    for number in range(4):
        action(members[0], dimension, title=f"Action {number}")
    done = action(members[0], dimension, title="Finished")
    services.record_progress(done, members[1], status="done", note="Lancée.")
    return cohort, members


def test_french_plan_page_counts_four_not_started_and_one_done(client, french_team):
    cohort, members = french_team
    members[0].user.language = "fr"
    members[0].user.save(update_fields=["language"])
    client.force_login(members[0].user)
    page = client.get(reverse("action_plans:mine"), follow=True).content.decode()
    assert badges(page, 'class="mb-3 plan-statuses"')[:4] == [
        "4 non commencées",
        "0 commencée",
        "1 terminée",
        "0 bloquée",
    ]
    assert "4 non commencée<" not in page


def test_french_group_plans_and_follow_up_board_count_in_plurals(client, programme, french_team):
    cohort, _members = french_team
    facilitator = UserFactory(language="fr")
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    group = client.get(reverse("action_plans:group_plans", args=[cohort.pk])).content.decode()
    assert {"4 non commencées", "1 terminée"} <= set(badges(group, "<h1"))
    board = client.get(reverse("action_plans:followup_board", args=[programme.pk])).content.decode()
    assert badges(board, 'class="board-totals"')[:4] == ["4 non commencées", "0 commencée", "1 terminée", "0 bloquée"]
