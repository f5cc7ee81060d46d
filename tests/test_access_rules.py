"""Access rules live in one place per app: each app's ``access.py``, asked through one viewer per request.

Structure: selectors return data or nothing and never speak HTTP; every app with views has its ``access.py``.
Behaviour: a participant of group A cannot reach group B's session, a facilitator of workshop X not workshop Y's,
an organizer reaches every one; the one "not enrolled" page; the viewer is lazy and asks the database once.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from action_plans.access import plan_access_or_404
from common.access import Viewer, enrolled_required
from participants.middleware import UserTimezoneMiddleware
from sessions_app.models import SessionOccurrence

from .factories import ParticipantFactory, UserFactory, build_programme

BASE = Path(settings.BASE_DIR)


def project_apps():
    """The portal's own apps (a virtualenv inside the checkout holds Django's and allauth's)."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(BASE) and "site-packages" not in Path(config.path).parts
    ]


# --- structure ---------------------------------------------------------------------------------------------------


def _speaks_http(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").startswith(("django.http", "django.shortcuts"))
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("django.http") for alias in node.names)
    return (isinstance(node, ast.Name) and node.id == "Http404") or (
        isinstance(node, ast.Attribute) and node.attr == "Http404"
    )


def http_lines(source: str) -> list[int]:
    """Lines of a module that import django.http (or shortcuts such as get_object_or_404) or name Http404."""
    return sorted({node.lineno for node in ast.walk(ast.parse(source)) if _speaks_http(node)})


def test_the_check_sees_a_selector_that_raises_404():
    assert http_lines("from django.http import Http404\n\ndef f():\n    raise Http404('x')\n") == [1, 4]
    assert http_lines("import django.http\n\ndef f():\n    raise django.http.Http404\n") == [1, 4]
    assert http_lines("def f(pk):\n    return None\n") == []


def _selector_modules():
    """Every app's selectors: a module, or a package of them (live's)."""
    return sorted([*BASE.glob("*/selectors.py"), *BASE.glob("*/selectors/*.py")])


def test_the_selector_modules_include_the_packages():
    assert {p.parent.name for p in _selector_modules()} >= {"selectors", "attendance", "sessions_app"}


@pytest.mark.parametrize("path", _selector_modules(), ids=lambda p: str(p.relative_to(BASE).with_suffix("")))
def test_selectors_never_speak_http(path):
    assert http_lines(path.read_text()) == [], f"{path.relative_to(BASE)} speaks HTTP"


def test_every_app_with_views_has_its_access_rules_in_one_module():
    with_views = [
        c for c in project_apps() if (Path(c.path) / "views.py").exists() or (Path(c.path) / "views").is_dir()
    ]
    assert len(with_views) >= 8
    missing = [c.label for c in with_views if not (Path(c.path) / "access.py").exists()]
    assert missing == []


def test_every_access_module_answers_can_edit_for_the_viewer():
    for config in project_apps():
        if config.name != "common" and (Path(config.path) / "access.py").exists():
            module = __import__(f"{config.name}.access", fromlist=["can_edit"])
            assert callable(getattr(module, "can_edit", None)), f"{config.name}.access has no can_edit rule"


# --- the viewer across apps --------------------------------------------------------------------------------------


@pytest.fixture
def two_workshops(db):
    x, y = build_programme(sessions=2), build_programme(sessions=2)
    return x, y


def occurrence_of(workshop, group="Group A") -> SessionOccurrence:
    return SessionOccurrence.objects.filter(session__workshop=workshop, cohort__name=group).order_by("pk").first()


def test_a_participant_of_group_a_cannot_reach_group_b_in_any_app(client, two_workshops):
    x, _ = two_workshops
    me = ParticipantFactory(cohort=x.cohorts.get(name="Group A"))
    mine, theirs = occurrence_of(x, "Group A"), occurrence_of(x, "Group B")
    client.force_login(me.user)
    assert client.get(reverse("sessions:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("sessions:detail", args=[theirs.pk])).status_code == 404
    assert (
        client.get(reverse("live:session_panel", args=[theirs.pk]), headers={"HX-Request": "true"}).status_code == 404
    )
    assert client.get(reverse("live:runsheet", args=[mine.pk])).status_code == 404  # running it is not theirs
    other = ParticipantFactory(cohort=x.cohorts.get(name="Group B"))
    plan = reverse("action_plans:plan", args=[other.cohort_id, other.country.code])
    assert client.get(plan).status_code == 404

    viewer = Viewer(me.user)
    assert viewer.is_participant_of(mine.cohort) and viewer.can_take_part(mine) and viewer.can_see(mine)
    assert not viewer.is_participant_of(theirs.cohort) and not viewer.can_take_part(theirs)
    assert not viewer.can_see(theirs) and not viewer.facilitates(x) and not viewer.is_organizer


def test_a_facilitator_of_workshop_x_runs_x_and_not_y(client, two_workshops):
    x, y = two_workshops
    facilitator = UserFactory()
    x.facilitators.add(facilitator)
    client.force_login(facilitator)
    in_x, in_y = occurrence_of(x), occurrence_of(y)
    assert client.get(reverse("sessions:detail", args=[in_x.pk])).status_code == 200
    assert client.get(reverse("live:runsheet", args=[in_x.pk])).status_code == 200
    assert client.get(reverse("sessions:detail", args=[in_y.pk])).status_code == 404
    assert client.get(reverse("live:runsheet", args=[in_y.pk])).status_code == 404
    assert client.get(reverse("reminders:one_off", args=[in_y.cohort_id])).status_code == 404

    viewer = Viewer(facilitator)
    assert viewer.facilitates(x) and not viewer.facilitates(y)
    assert viewer.can_see(in_x) and not viewer.can_see(in_y)
    assert not viewer.can_take_part(in_x)  # they run the group's session; they do not vote in it
    assert not viewer.is_organizer and viewer.runs_workshops


def test_an_organizer_reaches_every_workshop(organizer_client, organizer, two_workshops):
    x, y = two_workshops
    for workshop in (x, y):
        occurrence = occurrence_of(workshop, "Group B")
        assert organizer_client.get(reverse("sessions:detail", args=[occurrence.pk])).status_code == 200
        assert organizer_client.get(reverse("live:runsheet", args=[occurrence.pk])).status_code == 200
        assert Viewer(organizer).facilitates(workshop)
    assert Viewer(organizer).is_organizer


def test_an_enrolled_facilitator_both_takes_part_and_runs_their_own_group(client, two_workshops):
    x, _ = two_workshops
    both = ParticipantFactory(cohort=x.cohorts.get(name="Group A"))
    x.facilitators.add(both.user)
    client.force_login(both.user)
    response = client.get(reverse("sessions:detail", args=[occurrence_of(x, "Group A").pk]))
    assert response.status_code == 200
    assert response.wsgi_request.viewer.can_take_part(occurrence_of(x, "Group A"))
    assert response.wsgi_request.viewer.facilitates(x)


def test_can_edit_asks_the_rule_of_the_app_that_owns_the_object(two_workshops, organizer):
    x, _ = two_workshops
    me = ParticipantFactory(cohort=x.cohorts.get(name="Group A"))
    teammate = ParticipantFactory(cohort=me.cohort, country=me.country)
    stranger = ParticipantFactory(cohort=me.cohort)
    facilitator = UserFactory()
    x.facilitators.add(facilitator)
    from action_plans.models import ActionPlan

    plan = ActionPlan.objects.create(cohort=me.cohort, country=me.country)
    assert Viewer(teammate.user).can_edit(plan)  # action_plans.access: the country team edits its plan
    assert not Viewer(stranger.user).can_edit(plan)
    assert not Viewer(facilitator).can_edit(plan)  # facilitators read plans, never change them
    assert not Viewer(me.user).can_edit(x) and Viewer(organizer).can_edit(x)  # sessions_app.access: organizers
    poll_session = occurrence_of(x)
    assert Viewer(facilitator).can_edit(poll_session) is False  # an occurrence is sessions_app's: organizers only


def test_plan_rules_read_the_viewer_not_the_request(two_workshops):
    x, _ = two_workshops
    member = ParticipantFactory(cohort=x.cohorts.get(name="Group A"))
    access = plan_access_or_404(Viewer(member.user), member.cohort_id, member.country.code)
    assert access.can_edit and access.member == member


# --- one "not enrolled" page -------------------------------------------------------------------------------------

PARTICIPANT_PAGES = ["sessions:schedule", "preparation:mine", "evaluations:list", "dtca:home", "action_plans:mine"]


@pytest.mark.parametrize("name", PARTICIPANT_PAGES)
def test_people_without_a_group_get_the_one_not_enrolled_page(client, db, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "common/not_enrolled.html"
    assert "You are not enrolled in a workshop group" in response.content.decode()


@pytest.mark.parametrize("name", ["preparation:mine", "evaluations:list", "dtca:home", "action_plans:mine"])
def test_facilitators_and_organizers_without_a_group_go_to_facilitate(client, programme, organizer, name):
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    for person in (facilitator, organizer):
        client.force_login(person)
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("sessions:facilitate")


def test_enrolled_required_sends_anonymous_people_to_sign_in(client, db):
    response = client.get(reverse("preparation:mine"))
    assert response.status_code == 302 and reverse("account_login") in response.url


# --- one viewer per request, lazily ------------------------------------------------------------------------------


def test_the_viewer_is_lazy_and_asks_for_facilitated_workshops_once(two_workshops, django_assert_num_queries):
    x, y = two_workshops
    facilitator = UserFactory()
    x.facilitators.add(facilitator)
    request = RequestFactory().get("/")
    request.user = facilitator
    seen = {}

    @enrolled_required
    def page(request):  # pragma: no cover - never reached: the facilitator is not enrolled
        return HttpResponse("x")

    def view(request):
        seen["untouched"] = "viewer" not in request.__dict__  # a cached_property: built on first use
        with django_assert_num_queries(1):
            answers = [request.viewer.facilitates(x), request.viewer.facilitates(y), request.viewer.runs_workshops]
        seen["answers"] = answers
        return page(request)

    response = UserTimezoneMiddleware(view)(request)
    assert seen == {"untouched": True, "answers": [True, False, True]}
    assert response.status_code == 302 and response.url == reverse("sessions:facilitate")
