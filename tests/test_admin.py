import pytest
from django.contrib import admin
from django.urls import reverse

from .factories import UserFactory

REGISTERED = [(model._meta.app_label, model._meta.model_name) for model in admin.site._registry]
# Records the portal writes itself (mail deliveries, sent messages, erasures, roster imports) are read-only in the
# admin.
READ_ONLY = {
    ("reminders", "delivery"),
    ("reminders", "oneoffmessage"),
    ("nominations", "logentry"),
    ("nominations", "nominatorreminder"),
    ("privacy", "erasure"),
    ("reports", "generatedreport"),
    ("participants", "rosterimport"),
}


# Every changelist and every add and change form loading for the organizer against the demo's data is checked
# where those pages are rendered anyway (once each, they are the suite's slowest pages): the changelists in
# test_admin_scale.py, the forms in test_admin_organizers.py (with READ_ONLY above).


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
