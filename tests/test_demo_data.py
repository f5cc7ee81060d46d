from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from participants.models import Country, Participant, User
from sessions_app.models import (
    AgendaItem,
    Cohort,
    PreparationTask,
    Session,
    SessionOccurrence,
    Speaker,
    Workshop,
)

from .shared_demo import load_demo_into


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Workshop,
            Cohort,
            Session,
            SessionOccurrence,
            AgendaItem,
            PreparationTask,
            Speaker,
            User,
            Participant,
            Country,
        )
    }


def load(settings, *args):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def already_loaded(settings):
    """The demo as a first `load_demo` leaves it, for tests of what a second run does (a copy of this worker's
    earlier load when it has one: tests/shared_demo.py)."""
    settings.DEBUG = True
    load_demo_into(settings.PRIVATE_MEDIA_ROOT.parent)


def test_load_demo_twice_changes_nothing(db, settings):
    load(settings)
    first = counts()
    load(settings)
    assert counts() == first
    assert first["Session"] == 5
    assert first["Cohort"] == 2
    assert first["SessionOccurrence"] == 10
    assert first["Participant"] == 40


def test_demo_has_twenty_countries_two_per_country_ten_per_group(demo):
    for cohort in demo.cohorts.all():
        per_country = {}
        for participant in cohort.participants.select_related("country"):
            per_country[participant.country.code] = per_country.get(participant.country.code, 0) + 1
        assert len(per_country) == 10
        assert set(per_country.values()) == {2}
    assert Participant.objects.values("country").distinct().count() == 20


def test_session_one_group_a_starts_at_14_utc_on_23_february(demo):
    occurrence = SessionOccurrence.objects.get(session__number=1, cohort__name="Group A")
    assert occurrence.starts_at == datetime(2021, 2, 23, 14, 0, tzinfo=UTC)
    assert occurrence.ends_at == datetime(2021, 2, 23, 16, 15, tzinfo=UTC)
    group_b = SessionOccurrence.objects.get(session__number=1, cohort__name="Group B")
    assert group_b.starts_at == datetime(2021, 2, 24, 14, 0, tzinfo=UTC)


def test_session_five_dates_match_concept_note(demo):
    dates = {
        o.cohort.name: o.starts_at.astimezone(demo.tz).date().isoformat()
        for o in SessionOccurrence.objects.filter(session__number=5).select_related("cohort")
    }
    assert dates == {"Group A": "2021-03-23", "Group B": "2021-03-24"}


def test_slips_in_concept_note_are_placed_where_they_belong(demo):
    session1 = Session.objects.get(number=1)
    sharing = session1.agenda_items.get(title__icontains="structured sharing")
    # "11:55 PM" in the note: between 11:45 and 12:05 ECT, i.e. 115 minutes after 10:00.
    assert sharing.offset_minutes == 115
    caricom_welcome = session1.agenda_items.get(title="Welcome Remarks by CARICOM")
    assert caricom_welcome.offset_minutes == 17  # written "10.17"


def test_every_session_agenda_fills_135_minutes_without_overlap(demo):
    for session in Session.objects.prefetch_related("agenda_items"):
        items = list(session.agenda_items.all())
        assert items[0].offset_minutes == 0
        for before, after in zip(items, items[1:], strict=False):
            assert before.end_offset_minutes <= after.offset_minutes
        assert items[-1].end_offset_minutes == 135


def test_dtca_is_due_four_days_before_session_two_for_each_group(demo):
    task = PreparationTask.objects.get(kind="assessment")
    for cohort in demo.cohorts.all():
        occurrences = {o.session.number: o for o in cohort.occurrences.select_related("session")}
        assert task.due_at(occurrences) == occurrences[2].starts_at - timedelta(days=4)
    group_a = {o.session.number: o for o in demo.cohorts.get(name="Group A").occurrences.select_related("session")}
    assert task.due_at(group_a).astimezone(demo.tz).date().isoformat() == "2021-02-26"


def test_demo_speakers_and_focal_points_come_from_the_note(demo):
    assert Speaker.objects.filter(name="Jonas Rabinovitch", organization__short_name="UN DESA").exists()
    assert list(demo.focal_points.values_list("email", flat=True)) == [
        "alberti@un.org",
        "rabinovitch@un.org",
        "dlrowe@caricad.net",
        "lparkes@caricad.net",
        "jennifer.britton@caricom.org",
    ]
    assert sorted(demo.organizers.values_list("short_name", flat=True)) == ["CARICAD", "CARICOM", "UN DESA"]


def test_demo_accounts_can_sign_in_with_demo_password(demo, client, settings):
    for email in ("organizer@demo.test", "facilitator@demo.test", "participant@demo.test"):
        assert client.login(username=email, password=settings.DEMO_PASSWORD), email
    assert User.objects.get(email="organizer@demo.test").is_staff
    assert demo.facilitators.filter(email="facilitator@demo.test").exists()
    participant = Participant.objects.get(user__email="participant@demo.test")
    assert participant.cohort.name == "Group A"


def test_load_demo_refuses_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert Workshop.objects.count() == 0
    call_command("load_demo", "--force", stdout=StringIO())
    assert Workshop.objects.count() == 1


def test_shift_to_moves_group_a_session_one_to_the_date_and_keeps_clock_times(db, settings):
    load(settings, "--shift-to", "2026-12-01")
    workshop = Workshop.objects.get()
    first = SessionOccurrence.objects.get(session__number=1, cohort__name="Group A")
    assert first.starts_at.astimezone(workshop.tz).strftime("%Y-%m-%d %H:%M") == "2026-12-01 10:00"
    last_b = SessionOccurrence.objects.get(session__number=5, cohort__name="Group B")
    assert last_b.starts_at.astimezone(workshop.tz).strftime("%Y-%m-%d %H:%M") == "2026-12-30 10:00"
    # A second load with the same shift changes nothing; occurrences are updated in place.
    before = counts()
    load(settings, "--shift-to", "2026-12-01")
    assert counts() == before


def test_load_demo_prints_the_demo_logins(db, settings):
    output = load(settings)
    assert "participant@demo.test" in output
    assert settings.DEMO_PASSWORD in output


def activity():
    from action_plans.models import ActionPlan, ActionUpdate
    from attendance.models import Attendance
    from evaluations.models import Response
    from live.models import Idea, PollVote

    return {
        model.__name__: model.objects.count()
        for model in (Attendance, PollVote, Idea, Response, ActionPlan, ActionUpdate)
    }


def test_loading_again_keeps_what_the_organizer_changed_and_says_so(db, settings):
    already_loaded(settings)
    occurrence = SessionOccurrence.objects.get(session__number=2, cohort__name="Group A")
    moved = occurrence.starts_at + timedelta(days=1)
    occurrence.starts_at, occurrence.ends_at = moved, occurrence.ends_at + timedelta(days=1)
    occurrence.save()
    Cohort.objects.filter(name="Group B").update(capacity=12)
    before = counts()
    output = load(settings)  # what `make run` does every time
    assert "already loaded" in output and "nothing was changed" in output
    assert "participant@demo.test" in output
    assert SessionOccurrence.objects.get(pk=occurrence.pk).starts_at == moved
    assert Cohort.objects.get(name="Group B").capacity == 12
    assert counts() == before


def test_shift_to_on_a_loaded_demo_moves_nothing_and_says_how_to_reset(db, settings):
    already_loaded(settings)
    first = SessionOccurrence.objects.order_by("starts_at").first().starts_at
    output = load(settings, "--shift-to", "2027-01-04")
    assert "--reset --shift-to 2027-01-04" in output
    assert SessionOccurrence.objects.order_by("starts_at").first().starts_at == first


def test_reset_into_the_future_leaves_no_activity_on_sessions_not_yet_held(db, settings):
    already_loaded(settings)
    assert all(activity().values())  # the 2021 run: attendance, votes, ideas, evaluations, plans and their history
    Cohort.objects.filter(name="Group B").update(capacity=12)
    output = load(settings, "--reset", "--shift-to", (datetime.now(UTC).date() + timedelta(days=7)).isoformat())
    assert "Loaded" in output
    assert set(activity().values()) == {0}
    assert Cohort.objects.get(name="Group B").capacity != 12  # afresh, as the programme file says
    assert counts()["Participant"] == 40 and counts()["SessionOccurrence"] == 10
    from preparation.models import Submission

    assert not Submission.objects.filter(submitted_at__gt=datetime.now(UTC)).exists()


def test_reset_into_the_middle_of_the_course_has_activity_only_for_sessions_already_over(db, settings):
    from attendance.models import Attendance
    from evaluations.models import Response
    from live.models import Idea, PollVote
    from preparation.models import Submission

    load(settings, "--reset", "--shift-to", (datetime.now(UTC).date() - timedelta(days=10)).isoformat())
    now = datetime.now(UTC)
    held = SessionOccurrence.objects.filter(ends_at__lte=now)
    assert held.exists() and SessionOccurrence.objects.filter(starts_at__gt=now).exists()
    assert Attendance.objects.exists()
    assert not Attendance.objects.exclude(occurrence__in=held).exists()
    assert not PollVote.objects.exclude(run__occurrence__in=held).exists()
    assert not Idea.objects.filter(created_at__gt=now).exists()
    assert not Response.objects.filter(form__opens_at__gt=now).exists()
    assert not Submission.objects.filter(submitted_at__gt=now).exists()
    assert activity()["ActionPlan"] == 0  # no group has had its last session yet
