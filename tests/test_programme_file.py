from datetime import date

import pytest
from django.urls import reverse

from sessions_app.models import AgendaItem, SessionOccurrence, Workshop
from sessions_app.programme_file import ProgrammeError, dump_document, parse_document
from sessions_app.selectors import export_programme
from sessions_app.services import copy_as_new_run, import_programme


def test_export_then_import_round_trips_to_the_same_programme(demo):
    document = export_programme(demo)
    text = dump_document(document)
    copy = import_programme(parse_document(text), slug="round-trip")
    assert export_programme(copy)["sessions"] == document["sessions"]
    exported = export_programme(copy)["workshop"]
    assert {k: v for k, v in exported.items() if k != "slug"} == {
        k: v for k, v in document["workshop"].items() if k != "slug"
    }
    assert export_programme(copy)["groups"] == document["groups"]
    assert export_programme(copy)["focal_points"] == document["focal_points"]


def test_reimporting_the_export_changes_nothing(demo):
    before = AgendaItem.objects.count(), SessionOccurrence.objects.count()
    import_programme(export_programme(demo))
    assert (AgendaItem.objects.count(), SessionOccurrence.objects.count()) == before


def test_copy_as_new_run_moves_every_date_and_keeps_the_original(demo):
    copy = copy_as_new_run(demo, slug="caribbean-2022", title="Caribbean 2022", first_date=date(2022, 3, 1))
    first = SessionOccurrence.objects.filter(session__workshop=copy).order_by("starts_at").first()
    assert first.starts_at.astimezone(copy.tz).strftime("%Y-%m-%d %H:%M") == "2022-03-01 10:00"
    assert copy.sessions.count() == 5
    assert (
        AgendaItem.objects.filter(session__workshop=copy).count()
        == AgendaItem.objects.filter(session__workshop=demo).count()
    )
    original = SessionOccurrence.objects.filter(session__workshop=demo).order_by("starts_at").first()
    assert original.starts_at.astimezone(demo.tz).date() == date(2021, 2, 23)


def test_copy_refuses_an_address_name_in_use(demo):
    with pytest.raises(ProgrammeError, match="already exists"):
        copy_as_new_run(demo, slug=demo.slug, title="x", first_date=date(2022, 1, 1))


def test_a_bad_document_imports_nothing_and_says_where(demo):
    document = export_programme(demo)
    document["workshop"]["slug"] = "broken"
    document["sessions"][2]["agenda"][1]["speakers"] = [{"speaker": "nobody-at-all", "role": "speaker"}]
    with pytest.raises(ProgrammeError, match=r"sessions\[2\].*agenda\[1\].*unknown speaker “nobody-at-all”"):
        import_programme(document)
    assert not Workshop.objects.filter(slug="broken").exists()


def test_overlapping_agenda_items_are_refused(demo):
    document = export_programme(demo)
    document["sessions"][0]["agenda"][1]["time"] = "10:01"
    with pytest.raises(ProgrammeError, match="overlaps"):
        import_programme(document)


def test_groups_must_meet_sessions_in_order(demo):
    document = export_programme(demo)
    document["sessions"][1]["occurrences"][0]["date"] = "2021-02-01"
    with pytest.raises(ProgrammeError, match="Group A: Session 2 starts before Session 1 ends"):
        import_programme(document)


def test_not_yaml_is_refused_with_a_message():
    with pytest.raises(ProgrammeError, match="not valid YAML"):
        parse_document("workshop: [unclosed")


def test_admin_export_action_downloads_yaml(organizer_client, demo):
    response = organizer_client.post(
        reverse("admin:sessions_app_workshop_changelist"),
        {"action": "export_programme", "_selected_action": [demo.pk]},
    )
    assert response.status_code == 200
    assert "caribbean-2021.yaml" in response["Content-Disposition"]
    assert parse_document(response.content.decode())["workshop"]["slug"] == "caribbean-2021"


def test_admin_import_reports_errors_and_keeps_existing_data(organizer_client, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = export_programme(demo)
    document["sessions"][0]["title"] = "Changed"
    document["sessions"][0]["occurrences"][0]["group"] = "Group Z"
    upload = SimpleUploadedFile("p.yaml", dump_document(document).encode())
    response = organizer_client.post(reverse("admin:sessions_app_workshop_import"), {"file": upload})
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert "unknown group “Group Z”" in response.content.decode()
    assert demo.sessions.get(number=1).title != "Changed"


def test_admin_copy_as_new_run_action(organizer_client, demo):
    response = organizer_client.post(
        reverse("admin:sessions_app_workshop_changelist"),
        {
            "action": "copy_as_new_run",
            "_selected_action": [demo.pk],
            "apply": "1",
            "title": "Pacific 2027",
            "slug": "pacific-2027",
            "first_date": "2027-05-04",
        },
    )
    assert response.status_code == 302
    copy = Workshop.objects.get(slug="pacific-2027")
    assert copy.title == "Pacific 2027"
    assert SessionOccurrence.objects.filter(session__workshop=copy).count() == 10


def test_management_commands_export_and_import(demo, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "programme.yaml"
    call_command("export_programme", demo.slug, str(path))
    text = path.read_text()
    assert "Innovation Labs" in text
    Workshop.objects.filter(pk=demo.pk).update(title="Something else")
    call_command("import_programme", str(path))
    demo.refresh_from_db()
    assert demo.title.startswith("Innovation, Digital Government")
