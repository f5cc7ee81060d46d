"""Session 1: each participant chooses one SDG and writes a one-minute note; it is their preparation for the task."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from action_plans.models import SdgChoice, StructuredTask
from preparation.selectors import participant_ids_done
from reminders.models import Delivery
from reminders.services import dispatch_due_reminders
from sessions_app.models import PreparationTask

from .factories import CountryFactory, ParticipantFactory, UserFactory, build_programme
from .factories_action_plans import sdg, sdg_task
from .factories_preparation import task_in
from .factories_reminders import ReminderRuleFactory


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z")


@pytest.fixture
def task(programme):
    return sdg_task(programme)


def choose(client, task, number, note="Public services make this goal real.", **extra):
    return client.post(
        reverse("action_plans:sdg_choice", args=[task.pk]), {"sdg": sdg(number).pk, "note": note, **extra}
    )


def test_the_task_page_asks_for_an_sdg_and_a_note_instead_of_a_text(participant_client, task):
    page = participant_client.get(reverse("preparation:task", args=[task.pk])).content.decode()
    assert reverse("action_plans:sdg_choice", args=[task.pk]) in page
    assert "16 · Peace, justice and strong institutions" in page
    assert "Your one-minute note" in page
    assert 'name="text"' not in page  # the note is the answer; no second text box


def test_choosing_an_sdg_counts_as_the_task_done(participant_client, participant, task):
    here = reverse("preparation:task", args=[task.pk])
    response = choose(participant_client, task, 3, "Health services reach everyone.", next=here)
    assert response.status_code == 302 and response["Location"] == here
    choice = SdgChoice.objects.get(task=task, participant=participant)
    assert choice.sdg.number == 3 and choice.note == "Health services reach everyone."
    assert participant_ids_done(task, [participant.pk]) == {participant.pk}
    page = participant_client.get(here).content.decode()
    assert "Good health and well-being" in page and "status-done" in page
    listing = participant_client.get(reverse("preparation:mine")).content.decode()
    assert "Good health and well-being" in listing


def test_changing_the_sdg_keeps_one_choice_per_participant(participant_client, participant, task):
    choose(participant_client, task, 3)
    choose(participant_client, task, 16, "Institutions serve people.")
    assert SdgChoice.objects.get(participant=participant).sdg.number == 16
    assert SdgChoice.objects.count() == 1


def test_an_empty_note_or_no_sdg_is_refused_and_the_earlier_choice_is_kept(participant_client, participant, task):
    choose(participant_client, task, 3, "First note")
    response = choose(participant_client, task, 16, "   ")
    assert response.status_code == 400
    assert "Write your one-minute note" in response.content.decode()
    response = participant_client.post(reverse("action_plans:sdg_choice", args=[task.pk]), {"note": "x"})
    assert "Choose one of the 17 SDGs" in response.content.decode()
    choice = SdgChoice.objects.get(participant=participant)
    assert (choice.sdg.number, choice.note) == (3, "First note")


def test_a_choice_after_the_session_ended_is_refused_and_says_why(participant_client, participant, task, time_machine):
    choose(participant_client, task, 3, "On time")
    occurrence = task.session.occurrences.get(cohort=participant.cohort)
    time_machine.move_to(occurrence.ends_at + timedelta(minutes=1))
    response = choose(participant_client, task, 16, "Too late")
    assert response.status_code == 400
    assert "closed when Session 1 of your group ended" in response.content.decode()
    assert SdgChoice.objects.get(participant=participant).note == "On time"
    page = participant_client.get(reverse("preparation:task", args=[task.pk])).content.decode()
    assert 'name="sdg"' not in page and "On time" in page


def test_a_choice_after_the_due_moment_is_marked_late(participant_client, participant, task, time_machine):
    occurrence = task.session.occurrences.get(cohort=participant.cohort)
    time_machine.move_to(occurrence.starts_at + timedelta(minutes=5))
    choose(participant_client, task, 4)
    page = participant_client.get(reverse("preparation:mine")).content.decode()
    assert "status-late" in page


def test_no_reminder_for_those_who_chose_their_sdg(programme, task, time_machine):
    cohort = programme.cohorts.get(name="Group A")
    chosen, waiting = (ParticipantFactory(cohort=cohort) for _ in range(2))
    for person in (chosen, waiting):
        person.joined_at = task.session.occurrences.get(cohort=cohort).starts_at - timedelta(days=30)
        person.save()
    SdgChoice.objects.create(task=task, participant=chosen, sdg=sdg(9), note="Roads and networks.")
    ReminderRuleFactory(workshop=programme, kind="task_due", offset_minutes=-2 * 1440)
    due = task.session.occurrences.get(cohort=cohort).starts_at
    time_machine.move_to(due - timedelta(days=2) + timedelta(minutes=5))
    dispatch_due_reminders()
    reminded = set(
        Delivery.objects.filter(target_key__startswith=f"task:{task.pk}:").values_list("participant", flat=True)
    )
    assert waiting.pk in reminded and chosen.pk not in reminded


def test_facilitator_sees_which_sdgs_were_chosen_and_by_whom(client, programme, task):
    cohort = programme.cohorts.get(name="Group A")
    jamaica = CountryFactory(name="Jamaica", code="JM")
    alicia = ParticipantFactory(cohort=cohort, country=jamaica, user__first_name="Alicia", user__last_name="Browne")
    devon = ParticipantFactory(cohort=cohort, country=jamaica, user__first_name="Devon", user__last_name="Clarke")
    monique = ParticipantFactory(cohort=cohort, user__first_name="Monique", user__last_name="Roberts")
    ParticipantFactory(cohort=cohort, user__first_name="Nadia", user__last_name="Greene")
    for person, number in ((alicia, 16), (devon, 16), (monique, 3)):
        SdgChoice.objects.create(task=task, participant=person, sdg=sdg(number), note=f"Note of {person.user}")
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("action_plans:group_sdgs", args=[cohort.pk])).content.decode()
    assert "<strong>3</strong> of 4 participants have chosen an SDG" in page
    row = page.split('id="sdg-16"')[1].split("</tr>")[0]
    assert '<td class="text-end fw-semibold sdg-count">2</td>' in row
    assert "Alicia Browne" in row and "Devon Clarke" in row and "Monique" not in row
    assert "Note of Monique Roberts" in page
    assert "Nadia Greene" in page.split("Not chosen yet")[1]


def test_sdg_views_are_for_the_workshops_facilitators_only(client, programme, task, participant):
    cohort = programme.cohorts.get(name="Group A")
    url = reverse("action_plans:group_sdgs", args=[cohort.pk])
    client.force_login(participant.user)
    assert client.get(url).status_code == 404
    other = UserFactory()
    build_programme(sessions=1).facilitators.add(other)
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_the_board_counts_the_sdg_choice_and_opens_it(client, programme, task):
    cohort = programme.cohorts.get(name="Group A")
    people = [ParticipantFactory(cohort=cohort) for _ in range(2)]
    choice = SdgChoice.objects.create(task=task, participant=people[0], sdg=sdg(5), note="Equality.")
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("preparation:progress_board", args=[cohort.pk])).content.decode()
    assert "1/2 done" in page
    assert f"#choice-{choice.pk}" in page


def test_an_sdg_form_of_another_workshop_is_not_theirs(participant_client):
    other = sdg_task(build_programme(sessions=1))
    assert choose(participant_client, other, 3).status_code == 404


def test_the_sdg_form_fits_only_a_task_each_participant_does(db):
    workshop = build_programme(sessions=3)
    team_task = task_in(workshop, 3, performed_by=PreparationTask.PerformedBy.COUNTRY_TEAM)
    link = StructuredTask(task=team_task, kind=StructuredTask.Kind.SDG_CHOICE)
    with pytest.raises(ValidationError, match="each participant"):
        link.full_clean()
