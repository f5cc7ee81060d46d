"""Months after the course, the teams whose plan has open actions are reminded to update it, once per interval."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from action_plans import selectors, services
from action_plans.models import ActionPlanSettings
from reminders.kinds import KINDS
from reminders.models import Delivery, ReminderRule
from reminders.services import dispatch_due_reminders, install_default_rules, send_delivery
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, build_programme
from .factories_action_plans import action, country_team
from .factories_assessments import build_instrument, build_run
from .factories_reminders import ReminderRuleFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def workshop(db):
    return build_programme(sessions=2)


@pytest.fixture
def dimension(workshop):
    return build_run(workshop, build_instrument()).instrument.dimensions.first()


def team(cohort, name):
    members = country_team(cohort, CountryFactory(name=name))
    for member in members:
        member.joined_at = LONG_AGO
        member.save()
    return members


@pytest.fixture
def teams(workshop, dimension):
    group_a, group_b = workshop.cohorts.get(name="Group A"), workshop.cohorts.get(name="Group B")
    made = {
        "open": team(group_a, "Jamaica"),
        "all done": team(group_a, "Barbados"),
        "no plan": team(group_a, "Belize"),
        "updated": team(group_a, "Guyana"),
        "group b": team(group_b, "Grenada"),
    }
    action(made["open"][0], dimension, title="Open online birth certificates")
    action(made["open"][0], dimension, title="Train 200 officers", status="done")
    action(made["all done"][0], dimension, title="Already done", status="done")
    action(made["updated"][0], dimension, title="Guyana's action", status="started")
    action(made["group b"][0], dimension, title="Grenada's action")
    return made


@pytest.fixture
def rule(workshop):
    return ReminderRuleFactory(workshop=workshop, kind="action_plan_followup", offset_minutes=0, is_optional=True)


def course_end(cohort):
    return SessionOccurrence.objects.filter(cohort=cohort).order_by("-ends_at").first().ends_at


def reminded(teams_by_name):
    ids = set(Delivery.objects.values_list("participant_id", flat=True))
    return {name for name, members in teams_by_name.items() if any(m.pk in ids for m in members)}


def test_follow_up_goes_to_teams_with_open_actions_once_per_interval(
    workshop, teams, rule, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    group_a = workshop.cohorts.get(name="Group A")
    three_months = selectors.add_months(course_end(group_a), 3, workshop.tz)
    assert three_months.astimezone(workshop.tz).strftime("%d %B %Y %H:%M") == "02 June 2021 12:15"

    time_machine.move_to(three_months - timedelta(hours=1))
    assert dispatch_due_reminders().created == 0

    # Guyana updated its plan right after the 3-month moment, before the dispatcher ran.
    guyana_action = teams["updated"][0].cohort.action_plans.get(country__name="Guyana").actions.get()
    services.record_progress(guyana_action, teams["updated"][1], status="done", note="Launched.", now=three_months)
    services.record_progress(
        guyana_action, teams["updated"][1], status="started", note="Reopened: phase 2.", now=three_months
    )
    time_machine.move_to(three_months + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        first = dispatch_due_reminders()
    assert first.created == 2
    assert reminded(teams) == {"open"}
    assert set(Delivery.objects.values_list("target_key", flat=True)) == {f"followup:cohort:{group_a.pk}:months:3"}
    assert len(mailoutbox) == 2
    mail = mailoutbox[0]
    assert mail.subject == "3 months on: please update Jamaica's action plan"
    assert "Open online birth certificates" in mail.body and "Train 200 officers" not in mail.body
    open_member = teams["open"][0]
    assert f"http://testserver/action-plans/{group_a.pk}/{open_member.country.code}/" in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_reminders().created == 0  # once per interval
    assert len(mailoutbox) == 2

    six_months = selectors.add_months(course_end(group_a), 6, workshop.tz)
    time_machine.move_to(six_months + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    six = Delivery.objects.filter(target_key=f"followup:cohort:{group_a.pk}:months:6")
    members = {m.pk for name in ("open", "updated") for m in teams[name]}
    # Guyana's update was for the 3-month follow-up; at six months it is asked again.
    assert set(six.values_list("participant_id", flat=True)) == members


def test_each_group_is_followed_up_from_its_own_last_session(workshop, teams, rule, time_machine):
    group_a, group_b = workshop.cohorts.get(name="Group A"), workshop.cohorts.get(name="Group B")
    time_machine.move_to(selectors.add_months(course_end(group_a), 3, workshop.tz) + timedelta(hours=1))
    dispatch_due_reminders()
    assert "group b" not in reminded(teams)
    time_machine.move_to(selectors.add_months(course_end(group_b), 3, workshop.tz) + timedelta(hours=1))
    dispatch_due_reminders()
    assert "group b" in reminded(teams)


def test_a_team_that_updates_before_the_mail_goes_out_is_not_sent_it(
    workshop, teams, rule, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    group_a = workshop.cohorts.get(name="Group A")
    moment = selectors.add_months(course_end(group_a), 3, workshop.tz)
    time_machine.move_to(moment + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_reminders()
    jamaica = group_a.action_plans.get(country__name="Jamaica").actions.filter(status="not_started").get()
    services.record_progress(jamaica, teams["open"][0], status="started", note="Under way.")
    jamaicans = [m.pk for m in teams["open"]]
    deliveries = Delivery.objects.filter(participant__in=jamaicans)
    assert {send_delivery(pk) for pk in deliveries.values_list("pk", flat=True)} == {"skipped"}
    assert set(deliveries.values_list("skip_reason", flat=True)) == {"done before sending"}
    assert not [m for m in mailoutbox if "Jamaica" in m.subject]


def test_the_intervals_are_set_per_workshop(workshop, teams, rule):
    group_a = workshop.cohorts.get(name="Group A")
    keys = {t.key for t in KINDS[rule.kind].targets(rule) if t.cohort_id == group_a.pk}
    assert keys == {f"followup:cohort:{group_a.pk}:months:{n}" for n in (3, 6, 12)}
    ActionPlanSettings.objects.create(workshop=workshop, followup_months="1; 18")
    targets = sorted((t for t in KINDS[rule.kind].targets(rule) if t.cohort_id == group_a.pk), key=lambda t: t.anchor)
    assert [t.extra["months"] for t in targets] == [1, 18]
    assert targets[1].anchor.astimezone(workshop.tz).date().isoformat() == "2022-09-02"
    with pytest.raises(ValidationError, match="not a number of months"):
        ActionPlanSettings(workshop=build_programme(sessions=1), followup_months="3, soon").full_clean()


def test_the_follow_up_rule_is_a_default_and_cannot_come_before_the_moment(workshop):
    install_default_rules(workshop)
    followup = ReminderRule.objects.get(workshop=workshop, kind="action_plan_followup")
    assert followup.offset_minutes == 0 and followup.timing_text == "at each follow-up moment"
    early = ReminderRule(workshop=workshop, name="Early", kind=followup.kind, offset_minutes=-60)
    with pytest.raises(ValidationError, match="at or after the follow-up moment"):
        early.full_clean()


def test_months_are_added_on_the_calendar_in_the_workshops_zone(workshop):
    end_of_january = datetime(2021, 1, 31, 22, 0, tzinfo=workshop.tz)
    assert selectors.add_months(end_of_january, 1, workshop.tz) == datetime(2021, 2, 28, 22, 0, tzinfo=workshop.tz)
    assert selectors.add_months(end_of_january, 13, workshop.tz).date().isoformat() == "2022-02-28"
    assert selectors.add_months(end_of_january, 12, workshop.tz).date().isoformat() == "2022-01-31"
