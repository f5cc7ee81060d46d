"""The dispatcher: due reminders once, to the right people, on time or not at all."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from reminders.models import Delivery, ReminderRule
from reminders.services import dispatch_due_reminders
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory, build_programme
from .factories_reminders import ReminderRuleFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def eager(_celery_eager):
    return _celery_eager


@pytest.fixture
def workshop(db):
    return build_programme(sessions=2)


@pytest.fixture
def group_a(workshop):
    cohort = workshop.cohorts.get(name="Group A")
    for country_tz in ("America/Jamaica", "America/Port_of_Spain"):
        participant = ParticipantFactory(cohort=cohort, country__timezone=country_tz)
        participant.joined_at = LONG_AGO
        participant.save()
    return cohort


def first_occurrence(cohort):
    return SessionOccurrence.objects.filter(cohort=cohort).order_by("starts_at").first()


def test_day_before_reminder_is_created_once_when_run_twice(
    workshop, group_a, time_machine, eager, django_capture_on_commit_callbacks, mailoutbox
):
    ReminderRuleFactory(workshop=workshop)
    occurrence = first_occurrence(group_a)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        first = dispatch_due_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = dispatch_due_reminders()
    assert first.created == 2
    assert second.created == 0
    assert len(mailoutbox) == 2
    assert {m.to[0] for m in mailoutbox} == set(group_a.participants.values_list("user__email", flat=True))
    assert Delivery.objects.filter(status="sent").count() == 2


def test_nothing_is_sent_before_the_moment(workshop, group_a, time_machine):
    ReminderRuleFactory(workshop=workshop)
    time_machine.move_to(first_occurrence(group_a).starts_at - timedelta(hours=25))
    assert dispatch_due_reminders().created == 0


def test_moved_session_moves_the_reminder(workshop, group_a, time_machine):
    ReminderRuleFactory(workshop=workshop)
    occurrence = first_occurrence(group_a)
    old_moment = occurrence.starts_at - timedelta(hours=23)
    # The organizer moves the session two days later; the old moment no longer triggers anything.
    SessionOccurrence.objects.filter(pk=occurrence.pk).update(
        starts_at=occurrence.starts_at + timedelta(days=2), ends_at=occurrence.ends_at + timedelta(days=2)
    )
    time_machine.move_to(old_moment)
    assert dispatch_due_reminders().created == 0
    time_machine.move_to(old_moment + timedelta(days=2))
    assert dispatch_due_reminders().created == 2


def test_reminder_past_its_grace_window_is_skipped_not_sent_late(workshop, group_a, time_machine):
    ReminderRuleFactory(workshop=workshop, grace_minutes=60)
    occurrence = first_occurrence(group_a)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=24) + timedelta(minutes=61))
    assert dispatch_due_reminders().created == 0
    assert not Delivery.objects.exists()


def test_participant_added_late_gets_only_reminders_still_ahead(workshop, group_a, time_machine):
    ReminderRuleFactory(workshop=workshop)
    occurrence = first_occurrence(group_a)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=23))
    latecomer = ParticipantFactory(cohort=group_a)  # joined now, after the reminder's moment
    dispatch_due_reminders()
    assert not Delivery.objects.filter(participant=latecomer).exists()
    assert Delivery.objects.count() == 2


def test_inactive_participants_and_rules_get_nothing(workshop, group_a, time_machine):
    rule = ReminderRuleFactory(workshop=workshop)
    occurrence = first_occurrence(group_a)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=23))
    group_a.participants.filter(pk=group_a.participants.first().pk).update(is_active=False)
    assert dispatch_due_reminders().created == 1
    Delivery.objects.all().delete()
    ReminderRule.objects.filter(pk=rule.pk).update(is_active=False)
    assert dispatch_due_reminders().created == 0


def test_mail_gives_local_time_and_ect_the_join_link_and_a_parsable_ics(
    workshop, group_a, time_machine, eager, django_capture_on_commit_callbacks, mailoutbox
):
    ReminderRuleFactory(workshop=workshop)
    occurrence = first_occurrence(group_a)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    jamaica = group_a.participants.get(country__timezone="America/Jamaica")
    (mail,) = [m for m in mailoutbox if m.to == [jamaica.user.email]]
    assert "Tuesday 23 February 2021, 09:00–11:15 your time (America/Jamaica) · 10:00–12:15 ECT" in mail.body
    assert "Tuesday 23 February 2021" in mail.body
    assert occurrence.join_link in mail.body
    assert f"http://testserver/sessions/{occurrence.pk}/" in mail.body
    html = mail.alternatives[0][0]
    assert f'href="http://testserver/sessions/{occurrence.pk}/"' in html
    (name, content, mimetype) = mail.attachments[0]
    assert mimetype == "text/calendar"
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == occurrence.starts_at
    ect = group_a.participants.get(country__timezone="America/Port_of_Spain")
    (mail_ect,) = [m for m in mailoutbox if m.to == [ect.user.email]]
    assert "Tuesday 23 February 2021, 10:00–12:15 ECT" in mail_ect.body
    assert "your time" not in mail_ect.body.split("Join")[0]


def test_each_mail_goes_to_one_person(
    workshop, group_a, time_machine, eager, django_capture_on_commit_callbacks, mailoutbox
):
    ReminderRuleFactory(workshop=workshop)
    time_machine.move_to(first_occurrence(group_a).starts_at - timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)


@pytest.mark.parametrize("size", [20, 200])
def test_dispatcher_query_count_does_not_grow_with_participants(
    db, time_machine, size, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    workshop = build_programme(sessions=2, groups=("Group A",))
    cohort = workshop.cohorts.get()
    ParticipantFactory.create_batch(size, cohort=cohort, country=CountryFactory())
    cohort.participants.update(joined_at=LONG_AGO)
    ReminderRuleFactory(workshop=workshop)
    time_machine.move_to(first_occurrence(cohort).starts_at - timedelta(hours=23))
    # 15: one of them finds the rules whose sending window holds a moment (see test_reminders_scale.py).
    with django_capture_on_commit_callbacks(execute=False), django_assert_max_num_queries(15):
        result = dispatch_due_reminders()
    assert result.created == size
    assert len(result.enqueued) == size


def test_a_failing_rule_does_not_stop_the_others(workshop, group_a, time_machine, monkeypatch):
    from reminders import kinds

    ReminderRuleFactory(workshop=workshop)
    broken = ReminderRuleFactory(workshop=workshop, kind="task_due", offset_minutes=-60, is_optional=True)

    def explode(rule):
        raise RuntimeError("programme in an odd state")

    monkeypatch.setattr(kinds.KINDS[broken.kind], "targets", explode)
    time_machine.move_to(first_occurrence(group_a).starts_at - timedelta(hours=23))
    assert dispatch_due_reminders().created == 2
