import pytest
from django.contrib import admin
from django.urls import reverse

from .factories import UserFactory

REGISTERED = [(model._meta.app_label, model._meta.model_name) for model in admin.site._registry]
# Records the portal writes itself (mail deliveries, sent messages, erasures) are read-only in the admin.
READ_ONLY = {
    ("reminders", "delivery"),
    ("reminders", "oneoffmessage"),
    ("nominations", "logentry"),
    ("nominations", "nominatorreminder"),
    ("privacy", "erasure"),
    ("reports", "generatedreport"),
}


def test_every_admin_changelist_and_add_page_loads_for_the_organizer(organizer_client, demo):
    # One demo load for all models: the pages are checked against a realistic amount of data.
    failures = []
    for app_label, model_name in REGISTERED:
        changelist = organizer_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
        add = organizer_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
        expected_add = 403 if (app_label, model_name) in READ_ONLY else 200
        if changelist.status_code != 200 or add.status_code != expected_add:
            failures.append(f"{app_label}.{model_name}: list {changelist.status_code}, add {add.status_code}")
    assert not failures
    assert len(REGISTERED) >= 10


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_non_staff_users_are_refused_by_the_admin(client, db, app_label, model_name):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_change_pages_of_the_demo_programme_load(organizer_client, demo):
    session = demo.sessions.get(number=1)
    page = organizer_client.get(reverse("admin:sessions_app_session_change", args=[session.pk])).content.decode()
    assert "11:55" in page  # agenda inline shows clock times in the reference zone
    assert organizer_client.get(reverse("admin:sessions_app_workshop_change", args=[demo.pk])).status_code == 200


def test_occurrence_changelist_shows_reference_zone_times(organizer_client, demo):
    page = organizer_client.get(reverse("admin:sessions_app_sessionoccurrence_changelist")).content.decode()
    assert "Tue 23 Feb 2021, 10:00 ECT" in page
