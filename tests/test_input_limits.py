"""What people type: no invisible control characters in names and short texts, and every free text bounded
(in forms, in full_clean, and for the action plan in the database), so downloads stay small and fast."""

import csv
import io
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from action_plans import services as plan_services
from action_plans.exports import PDF_HISTORY, plan_pdf, plan_xlsx
from action_plans.models import MAX_ACTIONS, Action, ActionUpdate
from action_plans.views import _plan_context
from common.text import TEXT_MAX, CleanCharField, LongTextField, ShortTextField, clean_text
from live import services as live_services
from live.models import Idea
from live.services import boards as board_services
from live.services import polls as poll_services
from participants.models import Team, User

from .factories import CountryFactory, ParticipantFactory, UserFactory, build_programme
from .factories_action_plans import action
from .factories_assessments import build_instrument, build_run
from .factories_live import enrol, item_of, live_workshop, occurrence_of

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: everything after it is shown reversed
HIDDEN = [RLO, "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u200b", "\u200d", "\u2060", "\ufeff", "\x07"]
PROJECT_APPS = {"participants", "sessions_app", "preparation", "assessments", "action_plans", "live", "evaluations"}
PROJECT_APPS |= {"reminders", "reports", "attendance"}
# Written by the portal itself, never typed by a person.
SYSTEM_TEXTS = {("reminders", "Delivery", "last_error")}


@pytest.mark.parametrize("character", HIDDEN)
def test_clean_text_drops_invisible_controls(character):
    assert clean_text(f"Browne{character} Jones") == "Browne Jones"
    assert clean_text(f"line one{character}\nline two", multiline=True) == "line one\nline two"


def test_clean_text_keeps_letters_accents_and_line_breaks():
    assert clean_text("  José   Pérez-Müller ") == "José Pérez-Müller"
    assert clean_text("first\r\nsecond\n\tthird", multiline=True) == "first\nsecond\n\tthird"
    assert clean_text("one\ntwo") == "one two"
    assert clean_text("e\u0301") == "é"  # one way to write an accent (NFC)


def test_the_form_field_cleans_before_checking_the_length():
    field = CleanCharField(max_length=6)
    assert field.clean(f"Browne{RLO}") == "Browne"


@pytest.mark.django_db
def test_a_person_cannot_put_a_bidi_override_in_their_name(client):
    user = UserFactory(first_name="Alicia", last_name="Browne")
    client.force_login(user)
    response = client.post(
        reverse("participants:profile"),
        {"first_name": f"Alicia{RLO}", "last_name": f"\u200bBrowne{RLO}", "timezone": "", "accept_privacy": "on"},
    )
    assert response.status_code in (200, 302)
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Alicia", "Browne")


@pytest.mark.django_db
def test_names_saved_by_any_path_are_cleaned():
    """Roster imports, services and the admin all save through the model: the field cleans on save."""
    user = User.objects.create_user(email="x@example.org", first_name=f"Browne{RLO}", last_name="\u2066Smith\u2069")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Browne", "Smith")
    country = CountryFactory(name=f"Jamaica{RLO}")
    country.refresh_from_db()
    assert country.name == "Jamaica"
    programme = build_programme(sessions=1)
    team = Team.objects.create(cohort=programme.cohorts.first(), name=f"Team\u200b {RLO}A")
    team.refresh_from_db()
    assert team.name == "Team A"


@pytest.mark.django_db
def test_an_idea_with_a_bidi_override_is_posted_without_it_and_exported_without_it():
    facilitator = UserFactory()
    occurrence = occurrence_of(live_workshop(facilitator=facilitator))
    group = enrol(occurrence.cohort, countries=1)
    board = board_services.start_board(occurrence, item_of(occurrence, "brainstorm"), prompt="")
    client = Client()
    client.force_login(group[0].user)
    client.post(board.get_absolute_url(), {"text": f"Open data{RLO} portals\u200b"})
    assert Idea.objects.get().text == "Open data portals"
    client.force_login(facilitator)
    response = client.get(reverse("live:board_export", args=[board.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert not any(character in text for character in HIDDEN)
    assert [row[1] for row in csv.reader(io.StringIO(text))][1:] == ["Open data portals"]


def test_poll_options_that_differ_only_by_invisible_characters_are_one_option():
    with pytest.raises(live_services.LiveError, match="two different options"):
        poll_services._clean_options(["Yes", f"Yes{RLO}\u200b"])


def test_every_free_text_field_of_every_app_has_a_maximum_and_is_cleaned():
    unbounded, uncleaned = [], []
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.TextField | models.CharField) or isinstance(field, models.EmailField):
                continue
            key = (label, model.__name__, field.name)
            if key in SYSTEM_TEXTS or field.choices or not field.editable:
                continue
            if isinstance(field, models.TextField) and not field.max_length:
                unbounded.append(key)
            if isinstance(field, models.TextField) and not isinstance(field, LongTextField):
                uncleaned.append(key)
    assert unbounded == []
    assert uncleaned == []
    # The fields people type names, titles and options into are cleaned.
    for model, name in [(User, "first_name"), (User, "last_name"), (Idea, "text"), (Action, "title"), (Team, "name")]:
        assert isinstance(model._meta.get_field(name), ShortTextField), (model, name)


@pytest.fixture
def plan_team(db, time_machine):
    time_machine.move_to("2021-03-20T12:00:00Z")
    programme = build_programme()
    run = build_run(programme, build_instrument(dimensions=(("Legal", 2),)))
    jamaica = CountryFactory(name="Jamaica", code="JM")
    member = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"), country=jamaica)
    return member, run.instrument.dimensions.get()


def test_an_action_plan_refuses_millions_of_characters(client, plan_team):
    """The attack: 4.9 M characters in "obstacles" were saved, and the plan PDF then timed out."""
    member, dimension = plan_team
    client.force_login(member.user)
    url = reverse("action_plans:action_add", args=[member.cohort_id, member.country.code])
    data = {
        "title": "Open online birth certificates",
        "dimension": dimension.pk,
        "owner": "Registrar",
        "first_step": "Digitise",
        "time_frame": "3_months",
        "obstacles": "x" * 4_900_000,
        "overcoming": "",
        "status": "not_started",
        "progress_note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "at most 4000 characters" in response.content.decode()
    assert not Action.objects.exists()


def test_full_clean_and_the_database_refuse_an_overlong_action_text(plan_team):
    member, dimension = plan_team
    saved = action(member, dimension, obstacles="fine")
    saved.obstacles = "x" * (TEXT_MAX + 1)
    with pytest.raises(ValidationError) as caught:
        saved.full_clean()
    assert "obstacles" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=saved.pk).update(obstacles="x" * (TEXT_MAX + 1))


def test_a_plan_full_to_every_limit_downloads_quickly(plan_team):
    member, dimension = plan_team
    for number in range(MAX_ACTIONS):
        action(
            member,
            dimension,
            title=f"Action {number} " + "t" * 180,
            **{
                field: "word " * (TEXT_MAX // 5) for field in ("first_step", "obstacles", "overcoming", "progress_note")
            },
        )
    # A history of long notes once made one table cell taller than a page (reportlab's LayoutError: a 500).
    ActionUpdate.objects.bulk_create(
        ActionUpdate(
            action=Action.objects.first(),
            status="started",
            note="word " * (TEXT_MAX // 5),
            by=member,
            at=timezone.now(),
        )
        for _ in range(PDF_HISTORY + 5)
    )
    access = type("Access", (), {"cohort": member.cohort, "country": member.country, "can_edit": False})
    context = _plan_context(access)
    started = time.monotonic()
    assert plan_pdf(context)[:4] == b"%PDF"
    assert plan_xlsx(context)[:2] == b"PK"
    elapsed = time.monotonic() - started
    print(f"largest plan: PDF and XLSX in {elapsed:.1f} s")
    assert elapsed < 30


def test_a_plan_holds_a_bounded_number_of_actions(plan_team):
    member, dimension = plan_team
    for number in range(MAX_ACTIONS):
        action(member, dimension, title=f"Action {number}")
    plan = Action.objects.first().plan
    with pytest.raises(plan_services.ActionPlanRefused, match=f"at most {MAX_ACTIONS} actions"):
        plan_services.add_action(plan, member, fields={"title": "One more", "dimension": dimension})
    assert plan.actions.count() == MAX_ACTIONS


def test_the_plan_pdf_shows_only_the_newest_progress_updates(plan_team):
    member, dimension = plan_team
    saved = action(member, dimension)
    ActionUpdate.objects.bulk_create(
        ActionUpdate(action=saved, status="started", note=f"update {n}", by=member, at=timezone.now())
        for n in range(PDF_HISTORY + 30)
    )
    access = type("Access", (), {"cohort": member.cohort, "country": member.country, "can_edit": False})
    pdf = plan_pdf(_plan_context(access))
    assert pdf[:4] == b"%PDF"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "30 earlier updates" in text
