"""Preparation reminders go to those who still need them; opt-outs, extensions and teams are honoured."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from preparation import services as preparation
from reminders.models import Delivery, ReminderRule
from reminders.services import dispatch_due_reminders, send_delivery
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from .factories import CountryFactory, ParticipantFactory, build_programme
from .factories_preparation import task_in
from .factories_reminders import ReminderRuleFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def setting(db):
    workshop = build_programme(sessions=2, tasks_per_session=0, groups=("Group A",))
    cohort = workshop.cohorts.get()
    jamaica = CountryFactory(timezone="America/Jamaica")
    people = ParticipantFactory.create_batch(2, cohort=cohort, country=jamaica)
    cohort.participants.update(joined_at=LONG_AGO)
    task = task_in(workshop, 2, title="Prepare your notes", deliverable=PreparationTask.Deliverable.TEXT)
    rule = ReminderRuleFactory(workshop=workshop, kind="task_due", offset_minutes=-2 * 1440, is_optional=True)
    by_number = occurrences_by_number(SessionOccurrence.objects.filter(cohort=cohort).select_related("session"))
    return {
        "workshop": workshop,
        "cohort": cohort,
        "people": people,
        "task": task,
        "rule": rule,
        "due": task.due_at(by_number),
    }


def at_reminder_moment(time_machine, setting, offset_days=2):
    time_machine.move_to(setting["due"] - timedelta(days=offset_days) + timedelta(minutes=5))


def test_none_for_a_participant_who_already_submitted(
    setting, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    done, pending = setting["people"]
    at_reminder_moment(time_machine, setting)
    preparation.submit(setting["task"], done, text="My notes")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    assert [m.to for m in mailoutbox] == [[pending.user.email]]
    mail = mailoutbox[0]
    assert "Prepare your notes" in mail.subject
    assert f"http://testserver{reverse('preparation:task', args=[setting['task'].pk])}" in mail.body


def test_participant_who_completes_before_the_send_gets_nothing(
    setting, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    first, _ = setting["people"]
    at_reminder_moment(time_machine, setting)
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_reminders()
    preparation.submit(setting["task"], first, text="Done in the meantime")
    delivery = Delivery.objects.get(participant=first)
    assert send_delivery(delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert delivery.skip_reason == "done before sending"
    assert mailoutbox == []


def test_opt_out_is_honoured_for_optional_reminders_but_not_for_the_join_link(setting, time_machine):
    quiet, other = setting["people"]
    quiet.user.email_notifications = False
    quiet.user.save()
    ReminderRuleFactory(workshop=setting["workshop"], kind="session_before", offset_minutes=-1440)
    at_reminder_moment(time_machine, setting)
    dispatch_due_reminders()
    assert set(Delivery.objects.filter(rule=setting["rule"]).values_list("participant", flat=True)) == {other.pk}
    session_two = SessionOccurrence.objects.get(cohort=setting["cohort"], session__number=2)
    time_machine.move_to(session_two.starts_at - timedelta(hours=23))
    dispatch_due_reminders()
    join_link = Delivery.objects.filter(rule__kind="session_before")
    assert set(join_link.values_list("participant", flat=True)) == {quiet.pk, other.pk}


def test_country_team_submission_counts_for_every_member(setting, time_machine):
    task = setting["task"]
    task.performed_by = PreparationTask.PerformedBy.COUNTRY_TEAM
    task.save()
    first, second = setting["people"]
    outsider = ParticipantFactory(cohort=setting["cohort"])
    outsider.joined_at = LONG_AGO
    outsider.save()
    at_reminder_moment(time_machine, setting)
    preparation.submit(task, first, text="Our priorities")
    dispatch_due_reminders()
    assert set(Delivery.objects.values_list("participant", flat=True)) == {outsider.pk}


def test_extension_moves_the_reminder_for_that_participant_only(
    setting, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    extended, other = setting["people"]
    new_due = setting["due"] + timedelta(days=5)
    preparation.grant_extension(setting["task"], due_at=new_due, participant=extended)
    at_reminder_moment(time_machine, setting)
    dispatch_due_reminders()
    assert set(Delivery.objects.values_list("participant", flat=True)) == {other.pk}
    time_machine.move_to(new_due - timedelta(days=2) + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    mine = [m for m in mailoutbox if m.to == [extended.user.email]]
    assert len(mine) == 1
    local_due = new_due.astimezone(ZoneInfo("America/Jamaica"))
    assert f"{local_due:%H:%M} your time (America/Jamaica)" in mine[0].body


def test_optional_tasks_are_left_out_unless_the_rule_says_so(setting, time_machine):
    PreparationTask.objects.filter(pk=setting["task"].pk).update(is_optional=True)
    at_reminder_moment(time_machine, setting)
    assert dispatch_due_reminders().created == 0
    ReminderRule.objects.filter(pk=setting["rule"].pk).update(include_optional_tasks=True)
    assert dispatch_due_reminders().created == 2


def test_facilitator_messages_only_those_who_have_not_done_the_task(
    setting, client, mailoutbox, time_machine, django_capture_on_commit_callbacks
):
    done, pending = setting["people"]
    at_reminder_moment(time_machine, setting)
    preparation.submit(setting["task"], done, text="Notes")
    facilitator = ParticipantFactory().user
    setting["workshop"].facilitators.add(facilitator)
    client.force_login(facilitator)
    url = reverse("reminders:one_off", args=[setting["cohort"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"task": setting["task"].pk, "subject": "Notes, please", "body": "Two days left."})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[pending.user.email]]
    assert mailoutbox[0].subject == "Notes, please"
    assert "Two days left." in mailoutbox[0].body


def test_participant_cannot_send_group_messages(setting, client):
    client.force_login(setting["people"][0].user)
    url = reverse("reminders:one_off", args=[setting["cohort"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"task": setting["task"].pk, "subject": "x", "body": "y"}).status_code == 404
    assert not Delivery.objects.exists()
