"""The admin as organizers work in it: grouped index, every input named, times in the reference zone, readable
lists, a facilitator picker that offers facilitators."""

import re
from datetime import datetime

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from sessions_app.models import SessionOccurrence
from workshop_portal.admin_site import ADMIN_GROUPS

from .factories import UserFactory
from .test_admin import READ_ONLY

NAMELESS_TYPES = {"hidden", "submit", "button", "image", "reset"}


def unnamed_inputs(html: str) -> list[str]:
    """Visible form controls with no label, aria-label or aria-labelledby (axe-core's "label" rule)."""
    doc = lxml.html.fromstring(html)
    labelled_ids = {label.get("for") for label in doc.iter("label") if label.get("for")}
    missing = []
    for control in doc.xpath("//input | //select | //textarea"):
        if control.get("type", "text") in NAMELESS_TYPES:
            continue
        if any("empty-form" in (ancestor.get("class") or "") for ancestor in control.iterancestors()):
            continue  # the hidden template row that "Add another" copies
        if control.get("aria-label") or control.get("aria-labelledby") or control.get("id") in labelled_ids:
            continue
        if any(ancestor.tag == "label" for ancestor in control.iterancestors()):
            continue
        missing.append(control.get("name") or control.get("id") or lxml.html.tostring(control)[:80])
    return missing


def test_every_admin_add_and_change_form_loads_and_names_each_of_its_inputs(organizer_client, demo):
    # Every form is rendered once, here, against the demo's data: whether it loads (add pages refused for the
    # records the portal writes itself) and whether each input is named. Every changelist: test_admin_scale.py.
    problems, failures = {}, []
    for model in admin.site._registry:
        opts = model._meta
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
        for url in urls:
            response = organizer_client.get(url)
            read_only_add = url.endswith("/add/") and (opts.app_label, opts.model_name) in READ_ONLY
            if response.status_code != (403 if read_only_add else 200):
                failures.append(f"{url}: {response.status_code}")
            if response.status_code != 200:
                continue
            missing = unnamed_inputs(response.content.decode())
            if missing:
                problems[url] = missing
    assert not failures, failures
    assert not problems, problems
    assert len(admin.site._registry) >= 10


def test_the_session_page_names_the_inline_inputs_by_column_and_row(organizer_client, demo):
    session = demo.sessions.get(number=1)
    page = organizer_client.get(reverse("admin:sessions_app_session_change", args=[session.pk])).content.decode()
    assert re.search(r'aria-label="Starts at, [^"]*Group A[^"]*: date"', page)
    assert re.search(r'aria-label="Title, [^"]+"', page)  # agenda rows
    assert not unnamed_inputs(page)


def test_the_admin_menu_on_every_page_translates_each_model_name_a_few_times_not_once_per_other_model(
    rf, organizer, monkeypatch
):
    # Every admin page builds the grouped menu. Comparing lazily translated names with each other translated both
    # sides at each comparison: 19,000 translations and 0.3 s per page with 70 models.
    from django.utils import translation

    calls = []
    translate = translation._trans.gettext  # what every gettext() and lazy translation calls
    monkeypatch.setattr(translation._trans, "gettext", lambda message: calls.append(message) or translate(message))
    request = rf.get(reverse("admin:index"))
    request.user = organizer
    groups = admin.site.get_app_list(request)

    models = sum(len(group["models"]) for group in groups)
    assert models == len(admin.site._registry)
    assert len(calls) < 20 * models, f"{len(calls)} translations for {models} models"  # 814 for 68; 18,766 before


def test_the_admin_index_groups_models_by_the_organizers_work_with_common_tasks_first(organizer_client, demo):
    page = organizer_client.get(reverse("admin:index")).content.decode()
    positions = [page.index(f">{title}</a>") for title, _ in ADMIN_GROUPS]
    assert positions == sorted(positions)
    assert page.index("Common tasks") < positions[0]
    assert reverse("admin:participants_participant_import") in page
    # Nothing registered is left out of the grouped index.
    for model in admin.site._registry:
        assert reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") in page
    # An application's own page keeps Django's list.
    app_page = organizer_client.get(reverse("admin:app_list", args=["sessions_app"])).content.decode()
    assert "Session occurrences" in app_page


def test_occurrence_times_are_typed_in_the_reference_zone_and_confirmed_in_both(client, demo):
    organizer = UserFactory(is_staff=True, is_superuser=True, timezone="America/New_York")
    client.force_login(organizer)
    occurrence = SessionOccurrence.objects.filter(session__workshop=demo).order_by("starts_at").first()
    url = reverse("admin:sessions_app_sessionoccurrence_change", args=[occurrence.pk])
    page = client.get(url).content.decode()
    assert "In the workshop's reference zone: ECT (America/Port_of_Spain)." in page
    reference_start = occurrence.starts_at.astimezone(demo.tz)
    assert f'value="{reference_start:%H:%M:%S}"' in page  # shown as the programme's clock, not New York's

    day = reference_start.date().isoformat()
    response = client.post(
        url,
        {
            "session": occurrence.session_id,
            "cohort": occurrence.cohort_id,
            "starts_at_0": day,
            "starts_at_1": "11:00",
            "ends_at_0": day,
            "ends_at_1": "13:15",
            "meeting_link": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    occurrence.refresh_from_db()
    assert occurrence.starts_at.astimezone(demo.tz).replace(tzinfo=None) == datetime.fromisoformat(f"{day}T11:00")
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    summary = next(note for note in notes if "11:00–13:15 ECT" in note)
    assert "10:00–12:15 in your zone, America/New_York)" in summary


def test_participants_list_shows_group_and_invitation_state(organizer_client, demo):
    page = organizer_client.get(reverse("admin:participants_participant_changelist")).content.decode()
    assert 'class="column-cohort' in page or "column-cohort" in page
    assert "column-invitation" in page
    assert "column-institution" not in page and "column-position" not in page


def test_the_facilitators_picker_offers_staff_and_facilitators_not_the_cohort(organizer_client, demo):
    page = organizer_client.get(reverse("admin:sessions_app_workshop_change", args=[demo.pk])).content.decode()
    doc = lxml.html.fromstring(page)
    offered = {option.text_content() for option in doc.xpath('//select[@name="facilitators"]/option')}
    assert any("Felix" in name or "facilitator@demo.test" in name for name in offered), offered
    assert any("organizer@demo.test" in name or "Olivia" in name for name in offered), offered
    assert not any("participant@demo.test" in name for name in offered)
    assert len(offered) < 10


@pytest.mark.parametrize("path", ["admin:index", "admin:password_change"])
def test_admin_pages_load_the_accessibility_helpers(organizer_client, demo, path):
    page = organizer_client.get(reverse(path)).content.decode()
    assert "css/admin.css" in page and "js/admin-a11y.js" in page


def form_data(html: str, form_id: str) -> dict:
    """What the browser would send for the admin form as it stands (every field with its current value)."""
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


def test_moving_a_session_on_its_page_uses_the_reference_zone_and_confirms_both(client, demo):
    organizer = UserFactory(is_staff=True, is_superuser=True, timezone="America/New_York")
    client.force_login(organizer)
    session = demo.sessions.get(number=2)
    url = reverse("admin:sessions_app_session_change", args=[session.pk])
    page = client.get(url).content.decode()
    assert page.count("reference zone: ECT (America/Port_of_Spain).") >= 2  # the starts and ends columns
    data = form_data(page, "session_form")
    occurrence = session.occurrences.order_by("starts_at").first()
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(occurrence.pk))[: -len("-id")]
    assert data[f"{prefix}-starts_at_1"] == occurrence.starts_at.astimezone(demo.tz).strftime("%H:%M:%S")
    data[f"{prefix}-starts_at_1"] = "09:30"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    occurrence.refresh_from_db()
    assert occurrence.starts_at.astimezone(demo.tz).strftime("%H:%M") == "09:30"
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    summary = next(note for note in notes if note.startswith(f"Session 2, {occurrence.cohort.name}:"))
    assert "09:30–" in summary and "in your zone, America/New_York" in summary
