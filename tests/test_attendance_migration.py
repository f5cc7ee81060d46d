"""Moving attendance and certificates out of ``live`` keeps every row and every grant of a deployed database.

The database is taken back to where it stood before the move (live 0003, no attendance app), filled there through
the historical models, and migrated forward again. The test commits (migrations run outside a test transaction), so
it lives in a file of its own.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .factories_live import enrol, live_workshop, occurrence_of

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("live", "0003_bound_free_text"), ("attendance", None)]
AFTER = [("live", "0005_attendance_moved_out"), ("attendance", "0001_initial")]
MOVED = ["attendance", "certificate", "livesettings"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = MigrationExecutor(connection).loader
    return applied.project_state(list(applied.applied_migrations)).apps  # the models as the database now has them


@pytest.fixture
def back_before_the_move():
    """The database as it was before the attendance app; put back at the latest migrations afterwards."""
    old_apps = _migrate(BEFORE)
    yield old_apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_attendance_certificates_and_settings_survive_the_move(back_before_the_move):
    # People and sessions are made with today's models: their apps' tables did not change in the move.
    workshop = live_workshop(sessions=1, groups=("Group A",))
    alice, bob = enrol(workshop.cohorts.get(), countries=1, per_country=2)
    occurrence = occurrence_of(workshop)

    old = back_before_the_move
    old.get_model("live", "LiveSettings").objects.create(
        workshop_id=workshop.pk, partly_counts_for_certificate=True, present_from_percent=60
    )
    OldAttendance = old.get_model("live", "Attendance")  # noqa: N806 - a model class
    OldAttendance.objects.create(occurrence_id=occurrence.pk, participant_id=alice.pk, status="present")
    OldAttendance.objects.create(occurrence_id=occurrence.pk, participant_id=bob.pk, status="partly")
    old.get_model("live", "Certificate").objects.create(
        participant_id=alice.pk,
        code="ABCDEFGHJKMN",
        holder_name="Alice",
        workshop_title=workshop.title,
        group_name="Group A",
        first_session_on=date(2026, 1, 5),
        last_session_on=date(2026, 1, 5),
        sessions_attended=1,
    )

    new = _migrate(AFTER)

    assert set(new.get_model("attendance", "Attendance").objects.values_list("participant_id", "status")) == {
        (alice.pk, "present"),
        (bob.pk, "partly"),
    }
    certificate = new.get_model("attendance", "Certificate").objects.get()
    assert (certificate.participant_id, certificate.code) == (alice.pk, "ABCDEFGHJKMN")
    settings = new.get_model("attendance", "LiveSettings").objects.get()
    assert (settings.workshop_id, settings.present_from_percent) == (workshop.pk, 60)

    # And today's code reads them where they are.
    from attendance.models import Attendance, Certificate

    assert Attendance.objects.filter(occurrence=occurrence).count() == 2
    assert Certificate.objects.get().display_code == "ABCD-EFGH-JKMN"


def test_the_permissions_and_the_groups_grants_move_with_the_models(back_before_the_move):
    old = back_before_the_move
    ContentType = old.get_model("contenttypes", "ContentType")  # noqa: N806 - a model class
    Permission = old.get_model("auth", "Permission")  # noqa: N806
    Group = old.get_model("auth", "Group")  # noqa: N806
    # Going back put the types where a deployed database has them: under live.
    assert set(ContentType.objects.filter(model__in=MOVED).values_list("app_label", flat=True)) == {"live"}
    view_attendance = Permission.objects.get(content_type__app_label="live", codename="view_attendance")
    change_certificate = Permission.objects.get(content_type__app_label="live", codename="change_certificate")
    organizer, _ = Group.objects.get_or_create(name="organizer")
    organizer.permissions.add(view_attendance, change_certificate)
    # post_migrate of a deploy that runs both apps side by side would make new types for the new label: the moved
    # ones, which carry the grants, must win over them.
    ContentType.objects.create(app_label="attendance", model="attendance")

    _migrate(AFTER)

    from django.contrib.auth.models import Group as CurrentGroup
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    assert set(CurrentContentType.objects.filter(model__in=MOVED).values_list("app_label", flat=True)) == {"attendance"}
    granted = CurrentGroup.objects.get(name="organizer").permissions.all()
    assert {(p.pk, p.content_type.app_label, p.codename) for p in granted} >= {
        (view_attendance.pk, "attendance", "view_attendance"),
        (change_certificate.pk, "attendance", "change_certificate"),
    }
