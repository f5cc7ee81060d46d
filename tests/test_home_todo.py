"""The participant's home lists, most urgent first, everything they have to do or can do now across the portal:
preparation with status and due moment, the DTCA (draft, due, country step), open evaluations, what is open in a
session that is on, the action plan's follow-up and the certificate. Each item links to where it is done, nobody
sees another's items, and the page's query count does not grow with the data."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse

from attendance.models import Attendance
from common.registry import HomeItem, Registry, Urgency, home_items, urgency_for
from live.services import boards as board_services
from live.services import debates as debate_services
from live.services import polls as poll_services
from preparation import services as preparation_services
from sessions_app.models import PreparationTask

from .factories import CountryFactory, ParticipantFactory, UserFactory
from .factories_action_plans import action
from .factories_assessments import add_assessment_task, answer, build_instrument, build_run
from .factories_evaluations import EvaluationFormFactory, answer_all
from .factories_live import item_of, live_workshop, make_poll, mark, occurrence_of
from .factories_preparation import task_in

ANSWERS = {"relevance": 5, "time": 4}
ITEM = re.compile(
    r'<li class="list-group-item home-item[^"]*" data-kind="([a-z_]+)" data-status="([a-z_]+)" data-urgency="(\d)"'
)


def items_on(page: str) -> list[tuple[str, str, int]]:
    return [(kind, status, int(urgency)) for kind, status, urgency in ITEM.findall(page)]


def links_on(page: str) -> list[str]:
    todo = page[page.index('id="todo"') : page.index('id="todo"') + page[page.index('id="todo"') :].index("</section>")]
    return sorted(set(re.findall(r'class="fw-semibold home-item-link" href="([^"]+)"', todo)))


@pytest.fixture
def workshop(db):
    return live_workshop(sessions=3)


@pytest.fixture
def people(workshop):
    group_a = workshop.cohorts.get(name="Group A")
    group_b = workshop.cohorts.get(name="Group B")
    jamaica = CountryFactory(name="Jamaica", timezone="America/Jamaica")
    return {
        "me": ParticipantFactory(cohort=group_a, country=jamaica),
        "mate": ParticipantFactory(cohort=group_a, country=jamaica),
        "other": ParticipantFactory(cohort=group_a, country=CountryFactory(name="Belize")),
        "group_b": ParticipantFactory(cohort=group_b, country=jamaica),
    }


def home(client, participant) -> str:
    client.force_login(participant.user)
    response = client.get(reverse("sessions:home"))
    assert response.status_code == 200
    return response.content.decode()


def during_session_one(time_machine, workshop, group="Group A"):
    occurrence = occurrence_of(workshop, group, 1)
    time_machine.move_to(occurrence.starts_at + timedelta(minutes=30), tick=False)
    return occurrence


# --------------------------------------------------------------------------- the registry


def test_registry_collects_every_provider_once_in_registration_order():
    registry = Registry("things")

    def first(participation, now):
        return ["a"]

    def second(participation, now):
        return ["b", "c"]

    registry.register(first)
    registry.register(second)
    registry.register(first)  # registering again keeps one
    assert registry.collect(None, None) == ["a", "b", "c"]
    registry.unregister(first)
    assert registry.collect(None, None) == ["b", "c"]


def test_every_app_registers_its_home_provider_from_its_own_config():
    modules = {provider.__module__ for provider in home_items.providers}
    assert modules == {
        "preparation.home",
        "assessments.home",
        "evaluations.home",
        "attendance.home",
        "live.home",
        "action_plans.home",
    }


def test_urgency_follows_the_due_moment(workshop):
    now = occurrence_of(workshop).starts_at
    assert urgency_for(now - timedelta(minutes=1), now) == Urgency.OVERDUE
    assert urgency_for(now + timedelta(hours=20), now) == Urgency.NOW
    assert urgency_for(now + timedelta(days=4), now) == Urgency.SOON
    assert urgency_for(now + timedelta(days=20), now) == Urgency.LATER
    assert urgency_for(None, now) == Urgency.LATER
    assert urgency_for(now - timedelta(days=1), now, done=True) == Urgency.DONE


# --------------------------------------------------------------------------- each kind with its status


def test_preparation_shows_each_task_with_its_status_and_due_moment(client, workshop, people, time_machine):
    me = people["me"]
    todo = task_in(workshop, 1, title="Read the OECD framework", deliverable=PreparationTask.Deliverable.NONE)
    done = task_in(workshop, 1, title="Write your reflections", deliverable=PreparationTask.Deliverable.TEXT)
    start = occurrence_of(workshop).starts_at
    time_machine.move_to(start - timedelta(days=2), tick=False)
    preparation_services.submit(done, me, text="My notes")
    page = home(client, me)
    assert ("preparation", "todo", Urgency.SOON) in items_on(page)
    assert ("preparation", "done", Urgency.DONE) in items_on(page)
    assert "Read the OECD framework" in page and "Write your reflections" in page
    assert reverse("preparation:task", args=[todo.pk]) in links_on(page)
    # The due moment in the viewer's zone (Jamaica) with the reference zone beside it.
    assert re.search(r"09:00 <span[^>]*>your time \(EST\)</span></time>\s*<span[^>]*>· 10:00 ECT", page)
    time_machine.move_to(start + timedelta(minutes=5), tick=False)
    assert ("preparation", "overdue", Urgency.OVERDUE) in items_on(home(client, me))


def test_preparation_closed_with_its_session_leaves_the_home(client, workshop, people, time_machine):
    task_in(workshop, 1, title="Read the OECD framework")
    time_machine.move_to(occurrence_of(workshop).ends_at + timedelta(minutes=1), tick=False)
    page = home(client, people["me"])
    assert "Read the OECD framework" not in page


def test_dtca_draft_shows_with_its_due_moment_then_the_country_step(client, workshop, people, time_machine):
    me, mate = people["me"], people["mate"]
    run = build_run(workshop, build_instrument())
    add_assessment_task(workshop, due_session=2, days_before=4)
    due = occurrence_of(workshop, "Group A", 2).starts_at - timedelta(days=4)
    time_machine.move_to(due - timedelta(days=4), tick=False)
    assert ("dtca", "not_started", Urgency.SOON) in items_on(home(client, me))
    answer(run, me, [3, 4])
    page = home(client, me)
    assert ("dtca", "draft", Urgency.SOON) in items_on(page) and "Draft saved" in page
    assert reverse("dtca:home") in links_on(page)
    assert page.count("Complete the DTCA") == 0  # the preparation task is not listed twice
    answer(run, me, [None, None, 5, 2, 1, 3, 4], submit=True)
    assert ("dtca", "submitted", Urgency.DONE) in items_on(home(client, me))
    answer(run, mate, [3, 4, 5, 2, 1, 3, 4], submit=True)
    page = home(client, me)
    assert ("dtca", "country_waiting", Urgency.SOON) in items_on(page)
    assert reverse("dtca:country") in links_on(page) and "Agree Jamaica" in page


def test_open_evaluation_shows_until_answered_then_as_done(client, workshop, people, time_machine):
    me = people["me"]
    time_machine.move_to(occurrence_of(workshop).ends_at + timedelta(hours=1), tick=False)
    form = EvaluationFormFactory(cohort=me.cohort, title="Session 1 evaluation")
    EvaluationFormFactory(cohort=people["group_b"].cohort, title="Group B evaluation")
    page = home(client, me)
    assert ("evaluation", "open", Urgency.LATER) in items_on(page)
    assert form.get_absolute_url() in links_on(page) and "Group B evaluation" not in page
    answer_all(form, [people["other"]], [ANSWERS])  # someone else's answer is not mine
    assert ("evaluation", "open", Urgency.LATER) in items_on(home(client, me))
    answer_all(form, [me], [ANSWERS])
    assert ("evaluation", "answered", Urgency.DONE) in items_on(home(client, me))


def test_open_poll_board_and_debate_of_the_session_that_is_on(client, workshop, people, time_machine):
    me = people["me"]
    occurrence = during_session_one(time_machine, workshop)
    run = poll_services.open_poll(make_poll(occurrence.session), occurrence)
    board = board_services.start_board(occurrence, item_of(occurrence, "brainstorm"), prompt="Ways labs add value")
    debate = debate_services.start_debate(occurrence, item_of(occurrence, "debate"), motion="Encourage mistakes")
    page = home(client, me)
    found = items_on(page)
    assert ("poll", "open", Urgency.NOW) in found
    assert ("board", "open", Urgency.NOW) in found
    assert ("debate", "open", Urgency.NOW) in found
    assert {
        reverse("live:poll_vote", args=[run.pk]),
        reverse("live:board", args=[board.pk]),
        reverse("live:debate", args=[debate.pk]),
    } <= set(links_on(page))
    poll_services.cast_vote(run, me, [run.poll.options.first().pk])
    board_services.set_board_open(board, False)
    found = items_on(home(client, me))
    assert ("poll", "voted", Urgency.DONE) in found and not any(kind == "board" for kind, *_ in found)


def test_live_activities_of_another_group_or_a_session_not_on_stay_off_the_home(client, workshop, people, time_machine):
    occurrence_b = during_session_one(time_machine, workshop, "Group B")
    poll_services.open_poll(make_poll(occurrence_b.session), occurrence_b)
    assert not any(kind == "poll" for kind, *_ in items_on(home(client, people["me"])))
    assert any(kind == "poll" for kind, *_ in items_on(home(client, people["group_b"])))
    time_machine.move_to(occurrence_b.ends_at + timedelta(hours=2), tick=False)
    assert not any(kind == "poll" for kind, *_ in items_on(home(client, people["group_b"])))


def test_action_plan_follow_up_after_the_course(client, workshop, people, time_machine):
    me = people["me"]
    run = build_run(workshop, build_instrument())
    last_end = occurrence_of(workshop, "Group A", 3).ends_at
    time_machine.move_to(last_end + timedelta(days=7), tick=False)
    action(me, run.instrument.dimensions.first(), title="Open online birth certificates")
    page = home(client, me)
    assert ("action_plan", "followup_next", Urgency.LATER) in items_on(page)
    assert reverse("action_plans:plan", args=[me.cohort_id, me.country.code]) in links_on(page)
    time_machine.move_to(last_end + timedelta(days=100), tick=False)  # the 3-month moment has passed
    page = home(client, me)
    assert ("action_plan", "followup_due", Urgency.OVERDUE) in items_on(page) and "3-month follow-up" in page
    assert not any(kind == "action_plan" for kind, *_ in items_on(home(client, people["other"])))


def test_certificate_once_every_session_is_attended(client, workshop, people, time_machine):
    me, other = people["me"], people["other"]
    occurrences = [occurrence_of(workshop, "Group A", n) for n in (1, 2, 3)]
    for occurrence in occurrences:
        mark(occurrence, [me], Attendance.Status.PRESENT)
    mark(occurrences[0], [other], Attendance.Status.PRESENT)
    time_machine.move_to(occurrences[-1].ends_at + timedelta(days=1), tick=False)
    page = home(client, me)
    assert ("certificate", "ready", Urgency.LATER) in items_on(page)
    assert reverse("attendance:my_certificate") in links_on(page)
    assert not any(kind == "certificate" for kind, *_ in items_on(home(client, other)))


# --------------------------------------------------------------------------- together


@pytest.fixture
def busy_day(workshop, people, time_machine):
    """Session 1 is on: an overdue task, an open poll, a DTCA draft due in 3 days, two evaluations."""
    me = people["me"]
    occurrence = during_session_one(time_machine, workshop)
    task_in(workshop, 1, title="Read before session 1")
    task_in(workshop, 2, title="Prepare for session 2")
    run = build_run(workshop, build_instrument())
    add_assessment_task(workshop, due_session=2, days_before=4)
    answer(run, me, [3])
    poll_services.open_poll(make_poll(occurrence.session), occurrence)
    EvaluationFormFactory(cohort=me.cohort, title="Course evaluation")
    answered = EvaluationFormFactory(cohort=me.cohort, kind="session", occurrence=occurrence, title="Session 1 survey")
    answer_all(answered, [me], [ANSWERS])
    return occurrence


def test_items_are_ordered_by_urgency(client, people, busy_day):
    found = items_on(home(client, people["me"]))
    urgencies = [urgency for _, _, urgency in found]
    assert urgencies == sorted(urgencies)
    kinds = [kind for kind, _, _ in found]
    assert kinds.index("preparation") < kinds.index("poll") < kinds.index("dtca") < kinds.index("evaluation")
    assert found[0] == ("preparation", "overdue", Urgency.OVERDUE)
    assert found[-1][2] == Urgency.DONE


def test_every_link_on_the_home_opens_for_its_participant(client, people, busy_day):
    me = people["me"]
    links = links_on(home(client, me))
    assert len(links) >= 5
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_participant_never_sees_another_participants_items(client, workshop, people, busy_day):
    me, other, group_b = people["me"], people["other"], people["group_b"]
    other_page = home(client, other)
    mine = home(client, me)
    assert ("dtca", "draft", Urgency.SOON) in items_on(mine)
    assert ("dtca", "not_started", Urgency.SOON) in items_on(other_page)  # my draft is mine alone
    assert ("evaluation", "open", Urgency.LATER) in items_on(other_page)
    assert not any(status == "answered" for _, status, _ in items_on(other_page))  # my answer is mine alone
    b_page = home(client, group_b)
    assert "Course evaluation" not in b_page and not any(kind == "poll" for kind, *_ in items_on(b_page))


def test_a_provider_added_elsewhere_appears_without_touching_the_home(client, people, busy_day):
    def extra(viewer):
        return [
            HomeItem(
                kind="extra",
                title="Something new",
                url="/",
                status="open",
                status_label="Open",
                urgency=Urgency.NOW,
            )
        ]

    def older(participation, now):  # the signature providers had before the viewer
        return [replace(item, kind="older") for item in extra(None)]

    home_items.register(extra, key="test-extra")
    home_items.register(older, key="test-older")
    try:
        found = items_on(home(client, people["me"]))
        assert ("extra", "open", Urgency.NOW) in found and ("older", "open", Urgency.NOW) in found
    finally:
        home_items.unregister("test-extra")
        home_items.unregister("test-older")


# --------------------------------------------------------------------------- who lands where


def test_facilitators_and_organizers_land_on_facilitate(client, workshop):
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    organizer = UserFactory(is_staff=True)
    for person in (facilitator, organizer):
        client.force_login(person)
        response = client.get(reverse("sessions:home"))
        assert response.status_code == 302 and response["Location"] == reverse("sessions:facilitate")
        assert client.get(reverse("sessions:facilitate")).status_code == 200


def test_sign_in_takes_a_facilitator_to_facilitate(client, workshop):
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    response = client.post(
        reverse("account_login"), {"login": facilitator.email, "password": "pass-word-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("sessions:facilitate")


def test_my_schedule_shows_facilitators_their_groups_sessions(client, workshop, db):
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    other_workshop = live_workshop(sessions=1, groups=("Other group",))
    client.force_login(facilitator)
    response = client.get(reverse("sessions:schedule"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Session 1: Session 1 on change") == 2 and "Other group" not in page
    organizer = UserFactory(is_staff=True)
    client.force_login(organizer)
    page = client.get(reverse("sessions:schedule")).content.decode()
    assert "Other group" in page and "Group B" in page
    assert other_workshop.title in page


def test_organizer_without_any_workshop_gets_a_start_page_not_a_404(client, db):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("sessions:facilitate")).status_code == 200
    assert client.get(reverse("sessions:schedule")).status_code == 200


# --------------------------------------------------------------------------- query budget


@pytest.mark.parametrize("size", [2, 12])
def test_home_query_count_does_not_grow_with_the_data(client, db, time_machine, django_assert_max_num_queries, size):
    """``size`` of everything the home reads: sessions, tasks, polls, evaluation forms, teammates."""
    workshop = live_workshop(sessions=size + 1)
    group_a = workshop.cohorts.get(name="Group A")
    me = ParticipantFactory(cohort=group_a)
    occurrence = during_session_one(time_machine, workshop)
    run = build_run(workshop, build_instrument())
    add_assessment_task(workshop, due_session=2, days_before=4)
    answer(run, me, [3, 4, 5, 2, 1, 3, 4], submit=True)  # the DTCA's team step reads the most
    board_services.start_board(occurrence, item_of(occurrence, "brainstorm"), prompt="Ideas")
    debate_services.start_debate(occurrence, item_of(occurrence, "debate"), motion="Motion")
    for n in range(1, size + 1):
        task_in(workshop, 1, title=f"Reading {n}")
        task_in(workshop, n + 1, title=f"Exercise {n}")
        poll_services.open_poll(make_poll(occurrence.session, question=f"Question {n}?"), occurrence)
        form = EvaluationFormFactory(
            cohort=group_a, kind="session", occurrence=occurrence_of(workshop, "Group A", n), title=f"Form {n}"
        )
        if n % 2:
            answer_all(form, [me], [ANSWERS])
        ParticipantFactory(cohort=group_a, country=me.country)
    client.force_login(me.user)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("sessions:home")).content.decode()
    found = items_on(page)
    assert [kind for kind, *_ in found].count("poll") == size
    assert [kind for kind, *_ in found].count("evaluation") == size
