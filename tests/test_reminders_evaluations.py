"""Evaluation reminders: the invitation after each session and one follow-up, to those who have not answered."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from evaluations.models import EvaluationForm
from evaluations.services import ensure_forms
from reminders.models import Delivery, ReminderRule
from reminders.services import dispatch_due_reminders, install_default_rules
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory, build_programme
from .factories_evaluations import answer_all

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def setting(db):
    workshop = build_programme(sessions=2, tasks_per_session=0, groups=("Group A",))
    cohort = workshop.cohorts.get()
    people = ParticipantFactory.create_batch(3, cohort=cohort, country=CountryFactory())
    cohort.participants.update(joined_at=LONG_AGO)
    install_default_rules(workshop)
    ReminderRule.objects.exclude(kind__in=["evaluation_invite", "evaluation_followup"]).delete()
    ensure_forms(workshop)
    first = SessionOccurrence.objects.get(cohort=cohort, session__number=1)
    return {
        "workshop": workshop,
        "people": people,
        "first": first,
        "form": EvaluationForm.objects.get(occurrence=first),
    }


def test_invitation_after_the_session_and_follow_up_only_to_those_who_have_not_answered(
    setting, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    answered, *others = setting["people"]
    time_machine.move_to(setting["first"].ends_at + timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    invites = Delivery.objects.filter(rule__kind="evaluation_invite")
    assert invites.count() == 3
    assert all(
        f"http://testserver{reverse('evaluations:form', args=[setting['form'].pk])}" in m.body for m in mailoutbox
    )
    assert all("How was Session 1?" in m.subject for m in mailoutbox)

    answer_all(setting["form"], [answered], [full_answer(setting["form"])])
    time_machine.move_to(setting["first"].ends_at + timedelta(days=3, minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    follow_ups = Delivery.objects.filter(rule__kind="evaluation_followup")
    assert sorted(follow_ups.values_list("participant", flat=True)) == sorted(p.pk for p in others)


def test_no_reminder_for_a_form_that_has_closed(setting, time_machine):
    form = setting["form"]
    # A rule with a very long grace window would still be "due" after the form closed.
    ReminderRule.objects.filter(kind="evaluation_invite").update(grace_minutes=60 * 24 * 60)
    time_machine.move_to(form.closes_at + timedelta(hours=1))
    dispatch_due_reminders()
    assert not Delivery.objects.filter(target_key=f"form:{form.pk}").exists()


def full_answer(form) -> dict:
    values = {}
    for question in form.questions.all():
        values[question.key] = {
            "rating": 4,
            "single": (question.choices or [""])[0],
            "multiple": (question.choices or [])[:1],
            "text": "Useful session.",
        }[question.kind]
    return values
