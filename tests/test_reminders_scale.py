"""The dispatcher's cost follows what is due, not what is stored: ended workshops' rules cost nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from action_plans.selectors import followup_schedule
from preparation.models import Extension
from reminders.kinds import KINDS
from reminders.models import Delivery, ReminderRule
from reminders.services import dispatch_due_reminders, install_default_rules, rules_that_may_be_due
from sessions_app.models import PreparationTask, SessionOccurrence

from .factories import ParticipantFactory, build_programme


def _workshop(shift=timedelta(0)):
    workshop = build_programme(sessions=2, items_per_session=1, tasks_per_session=1)
    if shift:
        SessionOccurrence.objects.filter(session__workshop=workshop).update(
            starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
        )
    install_default_rules(workshop)
    for cohort in workshop.cohorts.all():
        for _ in range(2):
            participant = ParticipantFactory(cohort=cohort)
            participant.joined_at = participant.joined_at.replace(year=2000)
            participant.save()
    return workshop


def _ended_workshops(count, start=0):
    # Each ended two to three years before the current one: no moment of theirs, follow-ups included, is near.
    return [_workshop(shift=timedelta(days=730 + 20 * n)) for n in range(start, start + count)]


def _day_before_first_session(workshop):
    first = SessionOccurrence.objects.filter(session__workshop=workshop).order_by("starts_at").first()
    return first.starts_at - timedelta(hours=23)


def _dispatch_queries():
    with CaptureQueriesContext(connection) as queries:
        result = dispatch_due_reminders()
    return len(queries), result.created


@pytest.fixture
def current(db):
    return _workshop()


def test_dispatcher_skips_rules_of_ended_workshops(current, time_machine, _celery_eager):
    _ended_workshops(1)
    time_machine.move_to(_day_before_first_session(current))
    with_one, created_with_one = _dispatch_queries()
    assert created_with_one  # the current workshop's join link (and what else is due) to group A
    Delivery.objects.all().delete()

    _ended_workshops(4, start=1)
    assert ReminderRule.objects.count() == 6 * 8
    with_five, created_with_five = _dispatch_queries()
    assert created_with_five == created_with_one
    assert with_five == with_one


def test_only_the_running_workshops_rules_are_read(current, time_machine):
    ended = _ended_workshops(3)
    time_machine.move_to(_day_before_first_session(current))
    from django.utils import timezone

    rules = list(rules_that_may_be_due(timezone.now()))
    assert rules
    assert {rule.workshop_id for rule in rules} == {current.pk}
    assert not {rule.workshop_id for rule in rules} & {w.pk for w in ended}


def test_an_ended_workshops_follow_up_is_still_sent_at_its_moment(current, time_machine):
    (ended,) = _ended_workshops(1)
    moment = followup_schedule(ended)[0].at
    time_machine.move_to(moment + timedelta(minutes=5))
    from django.utils import timezone

    rules = list(rules_that_may_be_due(timezone.now()))
    assert [(r.workshop_id, r.kind) for r in rules] == [(ended.pk, "action_plan_followup")]


def _every_rules_send_moments():
    """What the dispatcher did before: every active rule's targets, looked at one by one (they do not depend on the
    moment: read once for the whole sweep)."""
    return [
        (rule.pk, target.anchor + rule.offset, timedelta(minutes=rule.grace_minutes))
        for rule in ReminderRule.objects.filter(is_active=True).select_related("workshop")
        for target in KINDS[rule.kind].targets(rule)
    ]


def _rules_with_a_due_target(now, send_moments):
    return {rule for rule, send_at, grace in send_moments if send_at <= now and now - send_at <= grace}


def test_the_window_never_leaves_out_a_rule_that_has_something_due(current, time_machine):
    """Every twelve hours from two weeks before the course to two months after it, and at each follow-up moment:
    each rule with a due target is read, also with an extension, a task due days before and unusual timings."""
    ended = _ended_workshops(1)[0]
    task = PreparationTask.objects.filter(session__workshop=current).order_by("pk").first()
    PreparationTask.objects.filter(pk=task.pk).update(due_days_before=3)
    participant = current.cohorts.get(name="Group A").participants.first()
    first_start = SessionOccurrence.objects.filter(session__workshop=current).order_by("starts_at").first().starts_at
    Extension.objects.create(
        task=task, cohort=participant.cohort, participant=participant, due_at=first_start + timedelta(days=40)
    )
    ReminderRule.objects.create(
        workshop=current, name="Long after", kind="evaluation_followup", offset_minutes=20 * 1440
    )
    ReminderRule.objects.create(workshop=ended, name="Odd", kind="task_due", offset_minutes=-30, grace_minutes=60)
    from django.utils import timezone

    moments = [first_start + timedelta(hours=12 * step) for step in range(-28, 120)]
    moments += [m.at + timedelta(minutes=m.months) for m in followup_schedule(current) + followup_schedule(ended)]
    send_moments = _every_rules_send_moments()
    checked = 0
    for moment in moments:
        time_machine.move_to(moment)
        now = timezone.now()
        expected = _rules_with_a_due_target(now, send_moments)
        chosen = {rule.pk for rule in rules_that_may_be_due(now)}
        assert expected <= chosen, f"left out at {now}: {expected - chosen}"
        checked += bool(expected)
    assert checked > 10  # the sweep met due rules, not only empty moments
