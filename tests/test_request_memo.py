"""Reads made once per request (common/request_memo.py): shared by the parts of one page, forgotten at a write,
never kept between requests or outside them."""

from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from action_plans import selectors
from common.request_memo import RequestMemoMiddleware
from tests.factories_action_plans import country_team, priorities_task, priority


def run_in_a_request(view):
    """Call ``view()`` as a request through the memo's middleware; returns what it recorded."""
    seen = {}

    def get_response(request):
        seen.update(view())
        return HttpResponse()

    RequestMemoMiddleware(get_response)(RequestFactory().get("/"))
    return seen


def test_two_parts_of_one_request_share_one_read(programme):
    task = priorities_task(programme)
    team = country_team(programme.cohorts.get(name="Group A"), name="Jamaica", code="JM")
    priority(task, team[0], 1, title="Digital ID")

    def page():
        with CaptureQueriesContext(connection) as captured:
            first = selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)
            second = selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)
        return {"titles": [p.title for p in first + second], "queries": len(captured)}

    seen = run_in_a_request(page)
    assert seen["titles"] == ["Digital ID", "Digital ID"]
    assert seen["queries"] == 2  # the priorities and their SDGs, once


def test_a_request_that_writes_reads_its_own_write(programme):
    task = priorities_task(programme)
    team = country_team(programme.cohorts.get(name="Group A"), name="Jamaica", code="JM")
    priority(task, team[0], 1, title="Digital ID")

    def page():
        before = [p.title for p in selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)]
        priority(task, team[1], 2, title="E-procurement")
        after = [p.title for p in selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)]
        return {"before": before, "after": after}

    seen = run_in_a_request(page)
    assert seen["before"] == ["Digital ID"]
    assert seen["after"] == ["Digital ID", "E-procurement"]


def test_nothing_is_kept_between_requests_or_outside_them(programme):
    task = priorities_task(programme)
    team = country_team(programme.cohorts.get(name="Group A"), name="Jamaica", code="JM")
    run_in_a_request(lambda: {"read": selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)})
    priority(task, team[0], 1, title="Written between two requests")
    seen = run_in_a_request(
        lambda: {"titles": [p.title for p in selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)]}
    )
    assert seen["titles"] == ["Written between two requests"]
    with CaptureQueriesContext(connection) as captured:
        selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)
        selectors.team_priorities(task, team[0].cohort_id, team[0].country_id)
    assert len(captured) == 4  # no request: each call reads
