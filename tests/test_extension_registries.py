"""Features plug into shared pages through registries filled in AppConfig.ready(), never through templates.

A fake feature registered from the test shows up on the session page, the facilitate page and in the navigation
without any template changing; and the source tree keeps the layering that makes this work (no page loads another
app's tag library for composition, `reminders` imports no feature app, the import graph between apps has no cycle).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.template import Template
from django.urls import reverse

from common import registry
from common.registry import Card, Link, NavEntry, Role
from tests.factories import ParticipantFactory, UserFactory, build_programme

ROOT = Path(__file__).resolve().parent.parent
APPS = ["common", "participants", "sessions_app", "reminders", "preparation", "attendance", "live", "assessments",
        "action_plans", "evaluations", "nominations", "reports", "privacy", "operations"]  # fmt: skip
# The programme and the people in it are the core: a cohort belongs to a workshop, a participant to a cohort.
# Within it too imports go one way only: participants import the programme, never the other way round.
CORE = {"sessions_app", "participants"}
FEATURES = {"preparation", "attendance", "live", "assessments", "action_plans", "evaluations",
            "nominations", "reports", "privacy", "operations"}  # fmt: skip


@pytest.fixture
def fake_feature():
    """A feature app that exists only in this test: it registers a card, two links and a nav entry."""

    def cards(context, occurrence):
        template = Template('<section id="fake-card">Fake card for session {{ number }}</section>')
        return [Card(template, {"number": occurrence.session.number})]

    def group_link(cohort, workshop, memo):
        return [Link("Fake group tool", f"/fake/groups/{cohort.pk}/", key="fake-tool")]

    def workshop_link(workshop, memo):
        return [Link("Fake workshop tool", f"/fake/workshops/{workshop.pk}/", key="fake-workshop-tool")]

    def nav():
        return [
            NavEntry("Fake participant entry", lambda context: "/fake/", Role.PARTICIPANT, order=35, key="fake"),
            NavEntry("Fake facilitator entry", lambda context: "/fake/f/", Role.FACILITATOR, key="fake-facilitator"),
        ]

    def exports(workshop, cohort, memo):
        where = f"groups/{cohort.pk}" if cohort is not None else f"workshops/{workshop.pk}"
        return [Link("Fake export", f"/fake/{where}/export.csv", key="fake-export")]

    registry.exports.register(exports, key="fake")
    registry.session_cards.register(cards, key="fake")
    registry.group_links.register(group_link, key="fake")
    registry.workshop_links.register(workshop_link, key="fake")
    registry.nav_entries.register(nav, key="fake")
    yield
    for reg in (registry.session_cards, registry.group_links, registry.workshop_links, registry.nav_entries,
                registry.exports):  # fmt: skip
        reg.unregister("fake")


@pytest.fixture
def programme(db):
    return build_programme(sessions=3)


def test_a_registered_card_appears_on_the_session_page_without_touching_templates(client, programme, fake_feature):
    participant = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.get(session__number=2)
    page = client.get(reverse("sessions:detail", args=[occurrence.pk])).content.decode()
    assert '<section id="fake-card">Fake card for session 2</section>' in page


def test_without_the_registration_the_card_is_gone(client, programme):
    participant = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.first()
    assert "fake-card" not in client.get(reverse("sessions:detail", args=[occurrence.pk])).content.decode()


def test_registered_links_appear_on_the_facilitate_page_for_every_group(client, programme, fake_feature):
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    for cohort in programme.cohorts.all():
        assert f'data-link="fake-tool" href="/fake/groups/{cohort.pk}/">Fake group tool</a>' in page
    assert f'data-link="fake-workshop-tool" href="/fake/workshops/{programme.pk}/">Fake workshop tool</a>' in page
    # Downloads of the workshop and of each group, the fake feature's among the real ones.
    assert f'data-link="fake-export" href="/fake/workshops/{programme.pk}/export.csv">Fake export</a>' in page
    for cohort in programme.cohorts.all():
        assert f'data-link="fake-export" href="/fake/groups/{cohort.pk}/export.csv">Fake export</a>' in page
        assert (
            f'data-link="preparation-csv" href="{reverse("preparation:progress_board_csv", args=[cohort.pk])}"' in page
        )


def test_registered_nav_entries_follow_their_role_and_order(client, programme, fake_feature):
    participant = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))
    client.force_login(participant.user)
    page = client.get(reverse("sessions:schedule")).content.decode()
    nav = page[page.index('id="mainNav"') : page.index("</nav>", page.index('id="mainNav"'))]
    keys = re.findall(r'data-nav="([^"]+)"', nav)
    # The fake entry's order (35) puts it between preparation (30) and the DTCA (40).
    assert keys == ["home", "schedule", "preparation", "fake", "dtca", "action-plan", "evaluations", "programme"]
    assert "Fake facilitator entry" not in nav

    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    nav = client.get(reverse("sessions:facilitate")).content.decode()
    assert 'data-nav="fake-facilitator"' in nav
    assert 'data-nav="fake"' not in nav


@pytest.mark.parametrize("sessions", [2, 12])
def test_the_shared_pages_keep_their_query_budget_with_a_registered_feature(
    client, db, django_assert_max_num_queries, fake_feature, sessions
):
    """The fake feature reads nothing, so the budgets of tests/test_schedule_pages.py hold unchanged."""
    workshop = build_programme(sessions=sessions)
    participant = ParticipantFactory(cohort=workshop.cohorts.get(name="Group A"))
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.last()
    with django_assert_max_num_queries(16):
        assert client.get(reverse("sessions:detail", args=[occurrence.pk])).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(reverse("sessions:home")).status_code == 200


# --- The source tree --------------------------------------------------------------------------------------------


def _imported_apps(source: str, filename: str = "<source>") -> set[str]:
    """The apps a module imports, at module level or inside a function alike (ast.walk sees every import)."""
    found = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found.update(module.split(".")[0] for module in modules if module.split(".")[0] in APPS)
    return found


def _imports(app: str) -> dict[str, set[str]]:
    """Every other app this app's code imports (migrations excluded), with the files that do it."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for top in _imported_apps(path.read_text(), str(path)) - {app}:
            found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _graph() -> dict[str, set[str]]:
    return {app: set(_imports(app)) for app in APPS}


def _cycle(graph) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_imports_inside_functions():
    source = "import common.text\n\ndef f():\n    from participants.access import x\n    import live.models\n"
    assert _imported_apps(source) == {"common", "participants", "live"}


def test_the_import_graph_between_apps_has_no_cycle():
    """Not even between the programme and its people: an app may import another, or be imported by it, not both."""
    graph = _graph()
    assert _cycle(graph) is None, {app: _imports(app) for app in _cycle(graph) or []}


def test_the_programme_imports_none_of_its_people():
    assert "participants" not in _graph()["sessions_app"], _imports("sessions_app").get("participants")


def test_common_imports_no_app_and_core_imports_no_feature():
    graph = _graph()
    assert graph["common"] == set()
    for app in CORE:
        assert not graph[app] & (FEATURES | {"reminders"}), _imports(app)


def test_participants_models_do_not_import_the_programme():
    """The old cycle: participants.models imported validate_timezone from sessions_app.models."""
    source = (ROOT / "participants" / "models.py").read_text()
    assert "sessions_app" not in {
        (node.module or "").split(".")[0] for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    }


def test_reminders_imports_no_feature_app():
    assert not set(_imports("reminders")) & FEATURES, _imports("reminders")


def _tag_libraries() -> dict[str, str]:
    """Each tag library's name, with the app that owns it."""
    owners = {}
    for app in APPS:
        for path in (ROOT / app / "templatetags").glob("*.py"):
            if path.stem != "__init__":
                owners[path.stem] = app
    return owners


def test_no_page_loads_another_apps_tag_library():
    """A template folder belongs to its app; it may load its own tag libraries, common's and Django's only."""
    owners = _tag_libraries()
    shared = {app for app in ("common",)}
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        folder = template.relative_to(ROOT / "templates").parts[0]
        for load in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text()):
            for library in load.split():
                owner = owners.get(library)
                if owner and owner != folder and owner not in shared:
                    offenders.append(f"{template.relative_to(ROOT)} loads {library} ({owner})")
    # sessions_app's portal_time/portal_brand are the portal's own formatting for every page (they route through
    # common.timefmt); they compose nothing.
    offenders = [o for o in offenders if not re.search(r"loads (portal_time|portal_brand|admin_a11y) ", o)]
    assert offenders == []


def test_shared_pages_name_no_feature_url():
    """The pages features plug into name no feature's URL: their links come from the registries."""
    feature_urls = re.compile(
        r"{%\s*url\s+'(live:|attendance:|action_plans:|dtca_|evaluation|progress_board|my_preparation|reminders|nominations:|reports:)"
    )
    for name in ("base.html", "sessions_app/session_detail.html", "sessions_app/facilitate.html",
                 "sessions_app/home.html", "sessions_app/facilitator_schedule.html"):  # fmt: skip
        assert not feature_urls.search((ROOT / "templates" / name).read_text()), name


def test_the_facilitate_page_reads_as_many_queries_for_one_group_as_for_four(client, db, fake_feature):
    """Every registered link and download provider reads a bounded number of queries, not one per group."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for groups in (("Group A",), ("Group A", "Group B", "Group C", "Group D")):
        workshop = build_programme(sessions=3, groups=groups)
        facilitator = UserFactory()
        workshop.facilitators.add(facilitator)
        client.force_login(facilitator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("sessions:facilitate")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_reminder_kind_registered_from_a_test_is_offered_validated_and_dispatchable(db):
    """Adding a kind of reminder means registering it: the rule's choices, clean() and KINDS follow."""
    from django.core.exceptions import ValidationError

    from reminders.kinds import KINDS, Kind
    from reminders.models import ReminderRule

    class FakeKind(Kind):
        name = "fake_kind"
        label = "Fake reminder"
        after_only = "Fake reminders come after their moment."

    fake = FakeKind()
    registry.reminder_kinds.register(lambda: [fake], key="fake")
    try:
        assert dict(ReminderRule._meta.get_field("kind").flatchoices)["fake_kind"] == "Fake reminder"
        assert KINDS["fake_kind"] is fake
        assert fake.template_base == "tests/email/reminder_fake_kind"  # the owning app's folder
        rule = ReminderRule(kind="fake_kind", offset_minutes=-60)
        with pytest.raises(ValidationError, match="Fake reminders come after their moment."):
            rule.clean()
    finally:
        registry.reminder_kinds.unregister("fake")
    assert "fake_kind" not in KINDS
    # The kinds the apps register keep the names rules store in the database.
    assert list(KINDS) == [
        "task_due", "dtca_due", "session_before", "evaluation_invite", "evaluation_followup", "action_plan_followup",
        "nomination_due",
    ]  # fmt: skip


def test_the_facilitate_page_links_nominations_to_staff_only_and_the_report_to_every_facilitator(client, db):
    """Nominations and the workshop report are registered links; a staff-only link stays off a facilitator's page."""
    workshop = build_programme(sessions=2, groups=("Group A",))
    facilitator, organizer = UserFactory(), UserFactory(is_staff=True)
    workshop.facilitators.add(facilitator, organizer)
    nominations = f'data-link="nominations" href="{reverse("nominations:review", args=[workshop.pk])}"'
    report = f'data-link="workshop-report" href="{reverse("reports:workshop", args=[workshop.pk])}"'
    client.force_login(facilitator)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    assert report in page and nominations not in page
    client.force_login(organizer)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    assert report in page and nominations in page
