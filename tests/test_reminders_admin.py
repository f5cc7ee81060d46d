import re
from datetime import timedelta

from django.urls import reverse

from participants.models import Participant
from reminders.models import Delivery, ReminderRule


def test_default_rules_are_installed_by_the_demo(demo):
    kinds = sorted(ReminderRule.objects.filter(workshop=demo).values_list("kind", "offset_minutes"))
    assert ("dtca_due", -1440) in kinds and ("dtca_due", -7 * 1440) in kinds
    assert ("task_due", -2 * 1440) in kinds and ("task_due", -7 * 1440) in kinds
    assert ("session_before", -1440) in kinds
    assert ("evaluation_followup", 3 * 1440) in kinds


def test_organizer_previews_a_rule_for_a_participant(organizer_client, demo):
    rule = ReminderRule.objects.get(workshop=demo, kind="session_before")
    participant = Participant.objects.get(user__email="participant@demo.test")
    response = organizer_client.post(
        reverse("admin:reminders_reminderrule_changelist"),
        {"action": "preview_message", "_selected_action": [rule.pk], "apply": "1", "participant": participant.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Session 5" in page  # the group's latest session, since all are past in the demo dates
    assert re.search(r"09:00–\d\d:\d\d your time \(America/Jamaica\) · 10:00–\d\d:\d\d ECT", page)
    assert "session-5.ics" in page
    assert not Delivery.objects.exists()


def test_organizer_sends_a_rule_now_to_one_group(
    organizer_client, demo, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    rule = ReminderRule.objects.get(workshop=demo, kind="session_before")
    group_b = demo.cohorts.get(name="Group B")
    first_b = group_b.occurrences.order_by("starts_at").first()
    time_machine.move_to(first_b.starts_at - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(
            reverse("admin:reminders_reminderrule_changelist"),
            {"action": "send_now_for_group", "_selected_action": [rule.pk], "apply": "1", "cohort": group_b.pk},
        )
    recipients = {m.to[0] for m in mailoutbox}
    assert recipients == set(group_b.participants.values_list("user__email", flat=True))
    assert len(mailoutbox) == 20
    # Each in the recipient's language: the demo's participant from Haiti reads French.
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "Séance 1" in subjects.pop("participant-fr@demo.test")
    assert all("Session 1" in subject for subject in subjects.values())


def test_delivery_list_filters_by_status(organizer_client, demo):
    response = organizer_client.get(reverse("admin:reminders_delivery_changelist") + "?status__exact=failed")
    assert response.status_code == 200
