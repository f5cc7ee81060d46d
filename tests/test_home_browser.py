"""The sign-in page and the participant's new home in Chromium, on a laptop (1366 px) and a phone (390 px):
sign in through the styled page, land on a home whose to-do list leads with what is open now, nothing wider than
the screen; screenshots go to var/ for the README."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from live.services import boards as board_services
from live.services import polls as poll_services
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory, UserFactory
from .factories_assessments import add_assessment_task, answer, build_instrument, build_run
from .factories_evaluations import EvaluationFormFactory
from .factories_live import item_of, live_workshop, make_poll, occurrence_of
from .factories_preparation import task_in

pytestmark = pytest.mark.browser

SIZES = {"laptop": (1366, 800), "phone": (390, 844)}


@pytest.fixture
def busy_participant(db):
    """Session 1 of Group A started 30 minutes ago; a poll is open, the DTCA draft is due in three days."""
    workshop = live_workshop(sessions=3)
    workshop.is_published = True
    workshop.target_audience = "senior public officials"
    workshop.save()
    first = occurrence_of(workshop)
    shift = timezone.now() - timedelta(minutes=30) - first.starts_at
    SessionOccurrence.objects.filter(session__workshop=workshop).update(
        starts_at=F("starts_at") + shift, ends_at=F("ends_at") + shift
    )
    first.refresh_from_db()
    me = ParticipantFactory(
        cohort=first.cohort,
        country=CountryFactory(name="Jamaica", timezone="America/Jamaica"),
        user=UserFactory(email="nia@example.org", first_name="Nia", last_name="Haynes"),
    )
    task_in(workshop, 1, title="Read the OECD digital government framework")
    task_in(workshop, 2, title="Map one service your ministry runs")
    run = build_run(workshop, build_instrument())
    add_assessment_task(workshop, due_session=2, days_before=4)
    answer(run, me, [3, 4])
    poll_services.open_poll(make_poll(first.session, question="Which obstacle weighs most?"), first)
    board_services.start_board(first, item_of(first, "brainstorm"), prompt="In what ways might labs add value?")
    EvaluationFormFactory(cohort=me.cohort, title="Course evaluation")
    return me


@pytest.mark.parametrize("size", list(SIZES))
def test_sign_in_and_the_home_on_laptop_and_phone(live_server, settings, browser, busy_participant, size):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{live_server.url}/accounts/login/")
    assert "senior public officials" in page.inner_text("main")
    assert page.locator("a", has_text="Sign up").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(settings.VAR_DIR / f"sign-in-{width}.png"), full_page=True)

    page.fill("input[name=login]", "nia@example.org")
    page.fill("input[name=password]", "pass-word-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    todo = page.locator("#todo")
    kinds = todo.locator("li.home-item").evaluate_all("items => items.map(item => item.dataset.kind)")
    assert kinds[0] == "preparation" and set(kinds[1:3]) == {"poll", "board"}  # overdue first, then what is open now
    assert {"dtca", "evaluation"} <= set(kinds)
    assert "Read the OECD digital government framework" in todo.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(settings.VAR_DIR / f"home-todo-{width}.png"), full_page=True)

    todo.locator("a.home-item-link", has_text="Which obstacle weighs most?").click()
    page.wait_for_load_state()
    assert "Which obstacle weighs most?" in page.inner_text("main")
    page.close()
