"""Evaluation forms: templates, the forms of a workshop, and participants answering them."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluations import selectors, services
from evaluations.models import (
    Answer,
    Completion,
    EvaluationForm,
    EvaluationTemplate,
    FormQuestion,
    Response,
    TemplateQuestion,
)
from participants.models import Participant, User
from sessions_app.models import SessionOccurrence

from .factories import ParticipantFactory, UserFactory
from .factories_evaluations import EvaluationFormFactory

VALID = {"relevance": "4", "time": "3", "parts": ["Presentations", "Plenary"], "pace": "About right", "improve": ""}


@pytest.fixture
def open_form(participant):
    return EvaluationFormFactory(cohort=participant.cohort)


def post(client, form, data=None):
    return client.post(reverse("evaluations:form", args=[form.pk]), data or VALID)


# --- templates ---------------------------------------------------------------------------------------------------


def test_the_two_default_templates_are_installed_by_the_migrations(db):
    session = EvaluationTemplate.objects.get(kind="session", is_default=True)
    course = EvaluationTemplate.objects.get(kind="course", is_default=True)
    session_keys = list(session.questions.order_by("section__order", "order").values_list("key", "kind"))
    assert session_keys[:5] == [
        ("relevance", "rating"),
        ("presentations", "rating"),
        ("activities", "rating"),
        ("time-management", "rating"),
        ("platform", "rating"),
    ]
    assert ("most-useful", "text") in session_keys and ("improve", "text") in session_keys
    assert {key for key, _ in course.questions.values_list("key", "kind")} >= {
        "objectives-met",
        "will-apply",
        "recommend",
        "overall",
        "comments",
    }
    recommend = course.questions.get(key="recommend")
    assert recommend.choice_list == ["Yes, definitely", "Probably", "Not sure", "Probably not", "No"]
    assert session.questions.get(key="relevance").scale_label_list[-1] == "Strongly agree"


def test_loading_templates_again_keeps_what_organizers_edited_unless_asked_to_update(db):
    question = TemplateQuestion.objects.get(template__key="session", key="relevance")
    question.text = "Relevant to my ministry"
    question.save()
    out = StringIO()
    call_command("load_evaluation_templates", stdout=out)
    assert "kept session, course" in out.getvalue()
    assert TemplateQuestion.objects.get(template__key="session", key="relevance").text == "Relevant to my ministry"
    count = TemplateQuestion.objects.count()
    call_command("load_evaluation_templates", "--update", stdout=out)
    assert TemplateQuestion.objects.get(template__key="session", key="relevance").text == (
        "The session was relevant to my work."
    )
    assert TemplateQuestion.objects.count() == count


def test_a_broken_templates_file_loads_nothing_and_names_the_place(db, tmp_path):
    broken = tmp_path / "templates.yaml"
    broken.write_text(
        "templates:\n  - key: extra\n    name: Extra\n    sections:\n      - title: S\n        questions:\n"
        "          - {key: a, text: A, kind: rating}\n          - {key: b, text: B, kind: stars}\n"
    )
    with pytest.raises(CommandError, match=r"templates\[0\]\.sections\[0\]\.questions\[1\]\.kind: “stars”"):
        call_command("load_evaluation_templates", str(broken), stdout=StringIO())
    assert not EvaluationTemplate.objects.filter(key="extra").exists()


def test_a_choice_question_needs_two_options(db):
    section = EvaluationTemplate.objects.get(key="session").sections.first()
    question = TemplateQuestion(section=section, key="new", text="Pick", kind="single", choices="Only one")
    with pytest.raises(Exception, match="at least two options"):
        question.full_clean()


# --- the forms of a workshop -------------------------------------------------------------------------------------


def test_ensure_forms_makes_one_form_per_occurrence_and_one_course_form_per_group_once(
    programme, django_assert_max_num_queries
):
    result = services.ensure_forms(programme)
    assert len(result.created) == 12  # 5 sessions × 2 groups + 2 course forms
    assert EvaluationForm.objects.filter(kind="session").count() == 10
    assert EvaluationForm.objects.filter(kind="course").count() == 2
    with django_assert_max_num_queries(2):
        again = services.ensure_forms(programme)
    assert not again.created and not again.rescheduled
    assert EvaluationForm.objects.count() == 12


def test_forms_copy_the_template_so_editing_it_later_changes_no_form(programme):
    services.ensure_forms(programme)
    form = EvaluationForm.objects.filter(kind="session").first()
    before = list(form.questions.values_list("key", "text"))
    TemplateQuestion.objects.filter(template__key="session", key="relevance").update(text="Changed")
    TemplateQuestion.objects.filter(template__key="session", key="platform").delete()
    assert list(form.questions.values_list("key", "text")) == before
    assert ("relevance", "The session was relevant to my work.") in before


def test_a_session_form_opens_when_its_session_ends_and_the_course_form_after_the_last(programme, settings):
    services.ensure_forms(programme)
    group_a = programme.cohorts.get(name="Group A")
    occurrence = SessionOccurrence.objects.get(cohort=group_a, session__number=2)
    form = selectors.form_for_occurrence(occurrence)
    assert form.opens_at == occurrence.ends_at
    assert form.closes_at == occurrence.ends_at + timedelta(days=14)
    assert form.title == f"Session 2: {occurrence.session.title}"
    course = selectors.course_form_for(group_a)
    last = SessionOccurrence.objects.filter(cohort=group_a).order_by("-ends_at").first()
    assert course.opens_at == last.ends_at
    assert course.status(last.ends_at - timedelta(minutes=1)) == "upcoming"
    assert course.status(last.ends_at) == "open"
    assert course.status(course.closes_at) == "closed"


def test_a_form_follows_its_session_when_rescheduled_until_opened_by_hand(programme):
    services.ensure_forms(programme)
    occurrence = SessionOccurrence.objects.filter(session__number=3).first()
    occurrence.starts_at += timedelta(days=2)
    occurrence.ends_at += timedelta(days=2)
    occurrence.save()
    result = services.ensure_forms(programme)
    form = selectors.form_for_occurrence(occurrence)
    assert form in result.rescheduled and form.opens_at == occurrence.ends_at
    services.open_now(form, now=occurrence.starts_at)
    occurrence.ends_at += timedelta(hours=1)
    occurrence.save()
    services.ensure_forms(programme)
    form.refresh_from_db()
    assert form.opens_at == occurrence.starts_at and not form.follows_schedule


def test_questions_can_be_copied_again_only_while_nobody_has_answered(open_form, participant):
    services.reload_questions(open_form, EvaluationTemplate.objects.get(key="course"))
    assert "overall" in set(open_form.questions.values_list("key", flat=True))
    services.submit_response(
        open_form, participant, {"objectives-met": 4, "will-apply": 5, "recommend": "No", "overall": 3}
    )
    with pytest.raises(services.EvaluationError, match="already has responses"):
        services.reload_questions(open_form)


# --- answering ---------------------------------------------------------------------------------------------------


def test_participant_answers_an_open_form(participant_client, open_form, participant):
    response = post(participant_client, open_form)
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:list")
    stored = Response.objects.get(form=open_form)
    values = {(a.question.key, a.rating, a.choice, a.text) for a in stored.answers.select_related("question")}
    assert values == {
        ("relevance", 4, "", ""),
        ("time", 3, "", ""),
        ("parts", None, "Presentations", ""),
        ("parts", None, "Plenary", ""),
        ("pace", None, "About right", ""),
    }
    assert selectors.participant_ids_responded(open_form, [participant.pk, 999_999]) == {participant.pk}
    page = participant_client.get(reverse("evaluations:list")).content.decode()
    assert "your answers to" in page and "are saved" in page
    assert "Answered" in page


def test_a_second_response_is_refused_with_a_clear_message(participant_client, open_form, participant):
    post(participant_client, open_form)
    participant_client.cookies.clear()  # another browser: the anonymous answers cannot be found again
    participant_client.force_login(participant.user)
    page = participant_client.get(reverse("evaluations:form", args=[open_form.pk])).content.decode()
    assert "You have already answered this evaluation" in page
    assert 'type="submit">Send my answers' not in page
    response = post(participant_client, open_form, {**VALID, "relevance": "1"})
    assert response.status_code == 409
    assert "You have already answered this evaluation; a second response is not accepted." in response.content.decode()
    assert Response.objects.filter(form=open_form).count() == 1
    assert not Answer.objects.filter(question__key="relevance", rating=1).exists()
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(open_form, participant, VALID)


def test_the_database_refuses_a_second_completion(open_form, participant):
    Completion.objects.create(form=open_form, participant=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.create(form=open_form, participant=participant)


def test_anonymous_answers_can_be_changed_from_the_same_browser_until_the_form_closes(
    participant_client, open_form, time_machine
):
    post(participant_client, open_form)
    page = participant_client.get(reverse("evaluations:form", args=[open_form.pk]))
    assert "You can change your answers until" in page.content.decode()
    assert page.context["answer_form"].initial["relevance"] == "4"
    assert page.context["answer_form"].initial["parts"] == ["Presentations", "Plenary"]
    response = post(participant_client, open_form, {**VALID, "relevance": "2", "improve": "Shorter talks"})
    assert response.status_code == 302
    stored = Response.objects.get(form=open_form)
    assert stored.answers.get(question__key="relevance").rating == 2
    assert stored.answers.get(question__key="improve").text == "Shorter talks"
    assert Completion.objects.filter(form=open_form).count() == 1

    time_machine.move_to(open_form.closes_at + timedelta(minutes=1))
    response = post(participant_client, open_form, {**VALID, "relevance": "5"})
    assert response.status_code == 403
    assert "This evaluation is closed" in response.content.decode()
    assert stored.answers.get(question__key="relevance").rating == 2


def test_named_answers_are_linked_and_can_be_changed_from_any_browser(participant_client, participant):
    form = EvaluationFormFactory(cohort=participant.cohort, is_anonymous=False)
    post(participant_client, form)
    completion = Completion.objects.get(form=form, participant=participant)
    assert completion.response is not None
    participant_client.cookies.clear()
    participant_client.force_login(participant.user)
    page = participant_client.get(reverse("evaluations:form", args=[form.pk])).content.decode()
    assert "Facilitators see your name with your answers." in page
    assert post(participant_client, form, {**VALID, "time": "5"}).status_code == 302
    assert completion.response.answers.get(question__key="time").rating == 5


def test_a_form_that_has_not_opened_refuses_answers(participant_client, participant):
    form = EvaluationFormFactory(cohort=participant.cohort, opens_at=timezone.now() + timedelta(days=2))
    page = participant_client.get(reverse("evaluations:form", args=[form.pk])).content.decode()
    assert "This evaluation is not open yet" in page
    assert '<form method="post" class="evaluation-form"' not in page
    response = post(participant_client, form)
    assert response.status_code == 403
    assert "not open yet, so it cannot take answers" in response.content.decode()
    assert not Response.objects.filter(form=form).exists()
    assert not Completion.objects.filter(form=form).exists()
    with pytest.raises(services.FormNotOpen):
        services.submit_response(form, participant, VALID)


def test_a_missing_required_answer_is_named_and_nothing_is_saved(participant_client, open_form):
    response = post(participant_client, open_form, {**VALID, "relevance": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Response.objects.exists() and not Completion.objects.exists()


def test_an_option_that_is_not_offered_is_refused(participant_client, open_form):
    response = post(participant_client, open_form, {**VALID, "pace": "Way too fast"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_participants_of_another_group_cannot_open_the_form(client, open_form, programme):
    other = ParticipantFactory(cohort=programme.cohorts.get(name="Group B"))
    client.force_login(other.user)
    assert client.get(reverse("evaluations:form", args=[open_form.pk])).status_code == 404
    assert post(client, open_form).status_code == 404
    with pytest.raises(services.EvaluationError):
        services.submit_response(open_form, other, VALID)
    assert not Response.objects.exists()


def test_facilitators_see_a_preview_they_cannot_send(client, open_form, programme):
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("evaluations:form", args=[open_form.pk])).content.decode()
    assert "Preview: this is the form participants" in page
    assert "Send my answers" not in page and "disabled" in page


# --- anonymity ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Response, Answer])
def test_no_field_of_an_anonymous_answer_ties_it_to_its_author(model):
    people = {User, Participant}
    for field in model._meta.concrete_fields:
        if field.is_relation:
            assert field.related_model not in people, f"{model.__name__}.{field.name} points at a person"
            # Following the relations stays away from people too: a response points at its form, an answer at
            # its response and question; none of those points at who answered.
            assert field.related_model in {EvaluationForm, Response, FormQuestion}
        assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name} is finer than a day"
    # Random keys: ids do not follow the order in which people answered.
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is not None


def test_answering_an_anonymous_form_records_who_answered_but_not_which_answers(participant_client, open_form):
    post(participant_client, open_form)
    completion = Completion.objects.get(form=open_form)
    assert completion.response_id is None
    response = Response.objects.get(form=open_form)
    assert response.edit_key_hash  # a hash of a secret only the participant's browser holds
    assert response.edit_key_hash not in str(participant_client.cookies)


def test_an_anonymous_completion_cannot_point_at_a_response(open_form, participant):
    response = Response.objects.create(form=open_form)
    with pytest.raises(Exception, match="never records whose response"):
        Completion(form=open_form, participant=participant, response=response).full_clean()


# --- pages -------------------------------------------------------------------------------------------------------


def test_the_evaluations_page_lists_open_coming_and_closed_forms(participant_client, participant, time_machine):
    workshop = participant.cohort.workshop
    third = SessionOccurrence.objects.get(cohort=participant.cohort, session__number=3)
    time_machine.move_to(third.ends_at + timedelta(hours=1))
    page = participant_client.get(reverse("evaluations:list")).content.decode()
    assert EvaluationForm.objects.filter(cohort__workshop=workshop).count() == 12  # made on first visit
    open_part, rest = page.split('id="upcoming-heading"')
    assert "Session 3" in open_part and "Session 2" in open_part  # Session 2 closes 14 days after it ends
    assert "Session 4" in rest and "Opens" in rest and "Course evaluation" in rest
    assert "Answer</span>" in open_part


def test_the_session_page_invites_to_evaluate_once_the_session_is_over(participant_client, participant, time_machine):
    services.ensure_forms(participant.cohort.workshop)
    occurrence = SessionOccurrence.objects.get(cohort=participant.cohort, session__number=1)
    url = reverse("sessions:detail", args=[occurrence.pk])
    time_machine.move_to(occurrence.starts_at)
    assert "Opens" in participant_client.get(url).content.decode()
    time_machine.move_to(occurrence.ends_at + timedelta(minutes=5))
    page = participant_client.get(url).content.decode()
    form = selectors.form_for_occurrence(occurrence)
    assert f'href="{reverse("evaluations:form", args=[form.pk])}">Evaluate this session' in page


def test_the_navigation_offers_evaluations_to_participants(participant_client):
    assert (
        f'href="{reverse("evaluations:list")}">Evaluations'
        in participant_client.get(reverse("sessions:home")).content.decode()
    )


def test_people_without_a_group_get_a_clear_page(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("evaluations:list"))
    assert response.status_code == 404 and "not enrolled" in response.content.decode()


# --- demo --------------------------------------------------------------------------------------------------------


def test_demo_answers_the_evaluations_of_the_sessions_that_are_over_and_loads_once(demo, settings):
    forms = EvaluationForm.objects.filter(cohort__workshop=demo)
    assert forms.count() == 12
    counts = (Response.objects.count(), Answer.objects.count(), Completion.objects.count())
    assert 150 < counts[0] <= 240
    for form in forms:
        assert form.responses.exists()
    me = Participant.objects.get(user__email="participant@demo.test")
    answered = set(Completion.objects.filter(participant=me).values_list("form__title", flat=True))
    assert any(title.startswith("Session 1") for title in answered)
    assert not any(title.startswith(("Session 4", "Session 5", "Course")) for title in answered)
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert (Response.objects.count(), Answer.objects.count(), Completion.objects.count()) == counts


def test_admin_creates_the_missing_forms_of_a_workshop(organizer_client, programme):
    url = reverse("admin:evaluations_evaluationform_ensure")
    assert organizer_client.get(url).status_code == 200
    response = organizer_client.post(url, {"workshop": programme.pk}, follow=True)
    assert "12 forms created, 0 rescheduled" in response.content.decode()
    assert EvaluationForm.objects.filter(cohort__workshop=programme).count() == 12


def test_admin_shows_a_forms_questions_read_only_once_answered(organizer_client, open_form, participant):
    url = reverse("admin:evaluations_evaluationform_change", args=[open_form.pk])
    assert 'name="questions-0-text"' in organizer_client.get(url).content.decode()
    services.submit_response(open_form, participant, VALID)
    assert 'name="questions-0-text"' not in organizer_client.get(url).content.decode()


def test_ensure_command_names_unknown_workshops(db):
    with pytest.raises(CommandError, match="No workshop with slug: nowhere"):
        call_command("ensure_evaluation_forms", "nowhere", stdout=StringIO())


def test_the_last_session_page_offers_the_course_evaluation(participant_client, participant, time_machine):
    workshop = participant.cohort.workshop
    services.ensure_forms(workshop)
    last = SessionOccurrence.objects.filter(cohort=participant.cohort).order_by("-starts_at").first()
    course = selectors.course_form_for(participant.cohort)
    url = reverse("sessions:detail", args=[last.pk])
    time_machine.move_to(last.starts_at + timedelta(minutes=125))  # the closing remarks announce it

    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    client = Client()
    client.force_login(facilitator)
    page = client.get(url).content.decode()
    assert "Evaluation of the whole course" in page
    assert f'action="{reverse("evaluations:open_now", args=[course.pk])}"' in page
    client.post(reverse("evaluations:open_now", args=[course.pk]))

    page = participant_client.get(url).content.decode()
    assert f'href="{reverse("evaluations:form", args=[course.pk])}">Evaluate the course' in page
    first = SessionOccurrence.objects.filter(cohort=participant.cohort).order_by("starts_at").first()
    assert "whole course" not in participant_client.get(reverse("sessions:detail", args=[first.pk])).content.decode()


def test_admin_change_pages_of_the_demo_evaluations_load(organizer_client, demo):
    template = EvaluationTemplate.objects.get(key="session")
    page = organizer_client.get(reverse("admin:evaluations_evaluationtemplate_change", args=[template.pk]))
    assert "Usefulness of the activities and breakout rooms" in page.content.decode()
    form = EvaluationForm.objects.filter(cohort__workshop=demo).first()
    response = Response.objects.filter(form=form).first()
    objects = [
        ("evaluationform", form.pk),
        ("response", response.pk),
        ("templatesection", template.sections.first().pk),
        ("templatequestion", template.questions.first().pk),
        ("formquestion", form.questions.first().pk),
        ("answer", response.answers.first().pk),
        ("completion", Completion.objects.filter(form=form).first().pk),
    ]
    for model, pk in objects:
        assert organizer_client.get(reverse(f"admin:evaluations_{model}_change", args=[pk])).status_code == 200, model


def test_admin_refuses_a_second_default_template_with_a_clear_message(organizer_client):
    url = reverse("admin:evaluations_evaluationtemplate_add")
    data = {
        "name": "Another",
        "key": "another",
        "kind": "session",
        "is_default": "on",
        "is_anonymous": "on",
        "open_days": "7",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    page = organizer_client.post(url, data).content.decode()
    assert "Another template is already the default for this kind" in page
    assert not EvaluationTemplate.objects.filter(key="another").exists()
