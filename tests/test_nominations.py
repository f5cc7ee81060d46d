"""From nominations to groups: nominating, selecting, forming the groups, enrolling, reporting."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nominations import services
from nominations.models import Call, LogEntry, Nomination, Nominator, NominatorReminder
from participants.models import Participant
from reminders.models import ReminderRule
from reminders.services import dispatch_due_reminders

from .factories import CohortFactory, CountryFactory, ParticipantFactory, UserFactory, WorkshopFactory
from .factories_nominations import CallFactory, NominationFactory, NominatorFactory
from .factories_preparation import pdf_bytes, upload

S = Nomination.Status


pytestmark = pytest.mark.usefixtures("private_cache")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (mails) when the block ends, as a real request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def workshop(db):
    workshop = WorkshopFactory(slug="caribbean-test")
    CohortFactory(workshop=workshop, name="Group A", capacity=20, seats_per_country=2)
    CohortFactory(workshop=workshop, name="Group B", capacity=20, seats_per_country=2)
    return workshop


@pytest.fixture
def jm(db):
    return CountryFactory(code="JM", name="Jamaica", timezone="America/Jamaica")


@pytest.fixture
def tt(db):
    return CountryFactory(code="TT", name="Trinidad and Tobago", timezone="America/Port_of_Spain")


@pytest.fixture
def call(workshop, jm, tt):
    return CallFactory(workshop=workshop, countries=[jm, tt])


@pytest.fixture
def nominator(call, jm):
    return NominatorFactory(call=call, country=jm, user=UserFactory(email="focal@gov.jm"))


@pytest.fixture
def nominator_client(client, nominator):
    client.force_login(nominator.user)
    return client


def country_url(call, country):
    return reverse("nominations:country", args=[call.pk, country.code])


def nomination_data(**overrides):
    data = {
        "first_name": "Alicia",
        "last_name": "Browne",
        "email": "alicia.browne@gov.jm",
        "institution": "Office of the Prime Minister",
        "position": "Director",
        "seniority": "senior",
        "gender": "woman",
        "motivation": "Leads the e-government unit.",
        "rank": "1",
    }
    data.update(overrides)
    return data


# Nominating ---------------------------------------------------------------------------------------------------


def test_a_nominator_nominates_and_the_nominee_and_nominator_get_a_confirmation(nominator_client, call, jm, committed):
    with committed():
        response = nominator_client.post(country_url(call, jm), nomination_data())
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.country, nomination.status, nomination.nominated_by.email) == (jm, S.NOMINATED, "focal@gov.jm")
    assert len(mail.outbox) == 1 and set(mail.outbox[0].to) == {"alicia.browne@gov.jm", "focal@gov.jm"}
    assert "Jamaica" in mail.outbox[0].body
    page = nominator_client.get(country_url(call, jm))
    assert b"Alicia Browne" in page.content and b'id="seats">2<' in page.content


def test_a_nominator_cannot_open_another_countrys_page_or_nomination(nominator_client, call, jm, tt):
    other = NominationFactory(call=call, country=tt)
    assert nominator_client.get(country_url(call, tt)).status_code == 404
    assert nominator_client.post(country_url(call, tt), nomination_data()).status_code == 404
    edit_other = reverse("nominations:edit", args=[call.pk, "TT", other.pk])
    assert nominator_client.post(edit_other, nomination_data()).status_code == 404
    # Through their own country's address, another country's nomination is not found either.
    assert nominator_client.get(reverse("nominations:edit", args=[call.pk, "JM", other.pk])).status_code == 404
    withdraw_other = reverse("nominations:withdraw", args=[call.pk, "JM", other.pk])
    assert nominator_client.post(withdraw_other).status_code == 404
    assert nominator_client.get(reverse("nominations:cv", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == S.NOMINATED and Nomination.objects.count() == 1


def test_a_nominator_of_one_call_sees_nothing_of_another_workshops_call(nominator_client, jm):
    other_call = CallFactory(countries=[jm])
    assert nominator_client.get(country_url(other_call, jm)).status_code == 404


def test_people_who_are_not_nominators_get_404(call, jm, participant, organizer):
    anonymous = Client()
    assert anonymous.get(country_url(call, jm)).status_code == 302  # sign in first
    signed_in = Client()
    signed_in.force_login(participant.user)
    assert signed_in.get(country_url(call, jm)).status_code == 404
    staff_only = UserFactory(is_staff=False)
    call.workshop.facilitators.add(staff_only)  # facilitating the workshop is not nominating for a country
    signed_in.force_login(staff_only)
    assert signed_in.get(country_url(call, jm)).status_code == 404
    signed_in.force_login(organizer)
    assert signed_in.get(country_url(call, jm)).status_code == 200


def test_nominators_never_reach_the_organizer_pages(nominator_client, call, workshop):
    nominator_client.force_login(Nominator.objects.get().user)
    n = NominationFactory(call=call, country=call.countries.first())
    for url in [
        reverse("nominations:review", args=[workshop.pk]),
        reverse("nominations:groups", args=[workshop.pk]),
        reverse("nominations:courtesy", args=[workshop.pk]),
        reverse("nominations:download", args=[workshop.pk, "nominations", "csv"]),
    ]:
        assert nominator_client.get(url).status_code == 404
    assert (
        nominator_client.post(
            reverse("nominations:decide", args=[workshop.pk, n.pk]), {"status": "accepted"}
        ).status_code
        == 404
    )
    n.refresh_from_db()
    assert n.status == S.NOMINATED


def test_a_nomination_after_the_deadline_is_refused_with_a_message_and_nothing_saved(
    nominator_client, call, jm, committed
):
    call.deadline = timezone.now() - timedelta(minutes=1)
    call.save()
    with committed():
        response = nominator_client.post(country_url(call, jm), nomination_data())
    assert response.status_code == 200
    assert "The call closed on" in response.content.decode()
    assert not Nomination.objects.exists() and not mail.outbox


def test_a_closed_call_takes_no_nomination_even_before_its_deadline(call, jm, nominator):
    call.is_closed = True
    call.save()
    with pytest.raises(services.NominationError):
        services.nominate(call, jm, nomination_data(), by=nominator.user)
    assert not Nomination.objects.exists()


def test_a_second_nomination_of_the_same_email_in_the_workshop_is_refused(nominator_client, call, jm, tt):
    NominationFactory(call=call, country=tt, email="alicia.browne@gov.jm")
    response = nominator_client.post(country_url(call, jm), nomination_data(email="Alicia.Browne@GOV.jm"))
    assert response.status_code == 200
    assert "already nominated for this workshop" in response.content.decode()
    assert Nomination.objects.count() == 1


def test_the_database_refuses_a_duplicate_email_in_the_same_call(call, jm):
    NominationFactory(call=call, country=jm, email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(call=call, country=jm, first_name="A", last_name="B", email="SAME@example.org")


def test_the_same_person_may_be_nominated_for_two_workshops(call, jm):
    NominationFactory(call=call, country=jm, email="same@example.org")
    NominationFactory(call=CallFactory(countries=[jm]), country=jm, email="same@example.org")
    assert Nomination.objects.count() == 2


def test_a_cv_that_is_not_a_document_is_refused_and_nothing_saved(nominator_client, call, jm):
    fake = upload("cv.pdf", b"MZ\x90\x00 this is a program")
    response = nominator_client.post(country_url(call, jm), {**nomination_data(), "cv": fake})
    assert response.status_code == 200
    assert "its content is not one" in response.content.decode()
    assert not Nomination.objects.exists()
    script = upload("cv.exe", b"MZ")
    response = nominator_client.post(country_url(call, jm), {**nomination_data(), "cv": script})
    assert "not a file type the portal accepts" in response.content.decode()
    assert not Nomination.objects.exists()


def test_a_pdf_cv_is_kept_under_a_random_name_and_downloaded_by_organizers_and_the_nominator(
    nominator_client, call, jm, organizer
):
    nominator_client.post(country_url(call, jm), {**nomination_data(), "cv": upload("Alicia CV.pdf", pdf_bytes())})
    nomination = Nomination.objects.get()
    assert nomination.cv_name == "Alicia CV.pdf" and "Alicia" not in nomination.cv.name
    assert nominator_client.get(reverse("nominations:cv", args=[nomination.pk])).status_code == 200
    nominator_client.force_login(organizer)
    assert nominator_client.get(reverse("nominations:cv", args=[nomination.pk])).status_code == 200


def test_the_call_decides_which_fields_are_required(nominator_client, call, jm):
    call.require_cv = True
    call.save()
    response = nominator_client.post(country_url(call, jm), nomination_data(motivation=""))
    assert response.status_code == 200 and not Nomination.objects.exists()
    form = response.context["form"]
    assert "motivation" in form.errors and "cv" in form.errors


def test_a_nominator_edits_and_withdraws_until_the_deadline_but_not_after(nominator_client, call, jm):
    nomination = NominationFactory(call=call, country=jm)
    edit_url = reverse("nominations:edit", args=[call.pk, "JM", nomination.pk])
    assert nominator_client.post(edit_url, nomination_data(email=nomination.email, position="Chief")).status_code == 302
    nomination.refresh_from_db()
    assert nomination.position == "Chief"
    call.deadline = timezone.now() - timedelta(seconds=1)
    call.save()
    response = nominator_client.post(edit_url, nomination_data(email=nomination.email, position="Minister"))
    assert "The call closed on" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.position == "Chief"
    nominator_client.post(reverse("nominations:withdraw", args=[call.pk, "JM", nomination.pk]), follow=True)
    nomination.refresh_from_db()
    assert nomination.status == S.NOMINATED
    call.deadline = timezone.now() + timedelta(days=1)
    call.save()
    nominator_client.post(reverse("nominations:withdraw", args=[call.pk, "JM", nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.status == S.WITHDRAWN


def test_withdraw_is_a_post_only(nominator_client, call, jm):
    nomination = NominationFactory(call=call, country=jm)
    assert nominator_client.get(reverse("nominations:withdraw", args=[call.pk, "JM", nomination.pk])).status_code == 405


def test_the_country_page_reads_a_fixed_number_of_queries(nominator_client, call, jm, django_assert_max_num_queries):
    NominationFactory.create_batch(2, call=call, country=jm)
    with django_assert_max_num_queries(14) as small:
        nominator_client.get(country_url(call, jm))
    NominationFactory.create_batch(30, call=call, country=jm)
    with django_assert_max_num_queries(len(small.captured_queries)):
        nominator_client.get(country_url(call, jm))


# Nominators' invitations and reminders ---------------------------------------------------------------------------


def test_inviting_a_nominator_gives_the_role_and_a_set_password_link(organizer_client, call, jm, workshop, committed):
    with committed():
        response = organizer_client.post(
            reverse("nominations:review", args=[workshop.pk]),
            {"invite-email": "ps@gov.jm", "invite-country": jm.pk, "invite-first_name": "Pat"},
        )
    assert response.status_code == 302
    nominator = Nominator.objects.get(user__email="ps@gov.jm")
    assert nominator.country == jm and nominator.invited_at
    assert nominator.user.groups.filter(name="nominator").exists()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "/accounts/password/reset/key/" in body and country_url(call, jm) in body


def test_the_nominator_role_group_exists_after_the_migrations(db):
    assert Group.objects.filter(name="nominator").exists()
    organizer = Group.objects.get(name="organizer")
    assert organizer.permissions.filter(content_type__app_label="nominations", codename="change_nomination").exists()


def test_nominators_who_nominated_nobody_get_one_reminder_n_days_before_the_deadline(
    call, jm, tt, nominator, committed
):
    done = NominatorFactory(call=call, country=tt)
    NominationFactory(call=call, country=tt)
    ReminderRule.objects.create(
        workshop=call.workshop, name="Nominations due", kind="nomination_due", offset_minutes=-7 * 1440
    )
    call.deadline = timezone.now() + timedelta(days=7) - timedelta(minutes=5)
    call.save()
    with committed():
        dispatch_due_reminders()
    with committed():
        dispatch_due_reminders()  # a second run sends nothing new
    assert [m.to for m in mail.outbox] == [["focal@gov.jm"]]
    assert "Nobody is nominated yet from Jamaica" in mail.outbox[0].body
    assert NominatorReminder.objects.filter(nominator=done).count() == 0


def test_no_reminder_before_its_moment(call, nominator, committed):
    ReminderRule.objects.create(workshop=call.workshop, name="Due", kind="nomination_due", offset_minutes=-7 * 1440)
    with committed():
        dispatch_due_reminders()
    assert not mail.outbox


# The open call ------------------------------------------------------------------------------------------------


def apply_url(call):
    return reverse("nominations:apply", args=[call.workshop.slug])


def test_a_public_application_counts_only_after_its_email_link_is_followed(client, call, jm, committed):
    call.who_nominates = Call.WhoNominates.OPEN
    call.save()
    with committed():
        response = client.post(apply_url(call), {**nomination_data(), "country": jm.pk})
    assert response.status_code == 200 and b"apply-sent" in response.content
    nomination = Nomination.objects.get()
    assert nomination.status == S.UNCONFIRMED and nomination.source == "public"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/apply/confirm/" in line)
    path = link.replace("http://testserver", "")
    assert client.get(path).status_code == 200  # a GET (a mail scanner) confirms nothing
    nomination.refresh_from_db()
    assert nomination.status == S.UNCONFIRMED
    assert client.post(path).status_code == 200
    nomination.refresh_from_db()
    assert nomination.status == S.NOMINATED
    assert client.post(path).status_code == 404  # used once


def test_the_public_form_is_rate_limited_per_client_address(client, call, jm):
    call.who_nominates = Call.WhoNominates.OPEN
    call.save()
    for i in range(services.PUBLIC_LIMIT_PER_ADDRESS):
        client.post(apply_url(call), {**nomination_data(email=f"p{i}@example.org"), "country": jm.pk})
    response = client.post(apply_url(call), {**nomination_data(email="late@example.org"), "country": jm.pk})
    assert "Too many applications" in response.content.decode()
    assert not Nomination.objects.filter(email="late@example.org").exists()
    assert Nomination.objects.count() == services.PUBLIC_LIMIT_PER_ADDRESS


def test_applicants_behind_the_same_proxy_each_have_their_own_limit(client, call, jm, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    call.who_nominates = Call.WhoNominates.OPEN
    call.save()
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for i in range(services.PUBLIC_LIMIT_PER_ADDRESS):
        data = {**nomination_data(email=f"p{i}@example.org"), "country": jm.pk}
        client.post(apply_url(call), data, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    data = {**nomination_data(email="neighbour@example.org"), "country": jm.pk}
    response = client.post(apply_url(call), data, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy)
    assert "Too many applications" not in response.content.decode()
    assert Nomination.objects.filter(email="neighbour@example.org").exists()


def test_the_public_form_does_not_say_whether_someone_is_nominated(client, call, jm, committed):
    call.who_nominates = Call.WhoNominates.OPEN
    call.save()
    NominationFactory(call=call, country=jm, email="known@example.org")
    with committed():
        response = client.post(apply_url(call), {**nomination_data(email="known@example.org"), "country": jm.pk})
    assert b"apply-sent" in response.content and not mail.outbox


def test_a_call_without_public_applications_has_no_public_form(client, call):
    assert client.get(apply_url(call)).status_code == 404


# Selecting ----------------------------------------------------------------------------------------------------


def decide_url(workshop, nomination):
    return reverse("nominations:decide", args=[workshop.pk, nomination.pk])


def test_accepting_more_than_the_seats_is_refused_unless_overridden_and_logged(organizer_client, call, jm, workshop):
    a, b, c = NominationFactory.create_batch(3, call=call, country=jm)
    for n in (a, b):
        organizer_client.post(decide_url(workshop, n), {"status": "accepted"})
    response = organizer_client.post(decide_url(workshop, c), {"status": "accepted"}, follow=True)
    assert "has 2 seats and 2 accepted already" in response.content.decode()
    c.refresh_from_db()
    assert c.status == S.NOMINATED
    organizer_client.post(decide_url(workshop, c), {"status": "accepted", "override": "on", "note": "Minister asked"})
    c.refresh_from_db()
    assert c.status == S.ACCEPTED and c.decision_note == "Minister asked"
    override = LogEntry.objects.get(action="seats_override")
    assert override.nomination == c and override.actor.email == "boss@example.org"
    page = organizer_client.get(reverse("nominations:review", args=[workshop.pk]))
    assert "More accepted (3) than seats (2)" in page.content.decode()


def test_waitlist_and_decline_with_a_note(organizer_client, call, jm, workshop):
    a, b = NominationFactory.create_batch(2, call=call, country=jm)
    organizer_client.post(decide_url(workshop, a), {"status": "waitlisted", "note": "Third choice"})
    organizer_client.post(decide_url(workshop, b), {"status": "declined", "note": "Too junior"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.decision_note, b.status, b.decision_note) == (
        S.WAITLISTED,
        "Third choice",
        S.DECLINED,
        "Too junior",
    )


def test_when_someone_withdraws_a_waitlisted_candidate_is_promoted_and_it_is_logged(
    organizer_client, call, jm, workshop
):
    a, b = NominationFactory.create_batch(2, call=call, country=jm, status=S.ACCEPTED)
    waiting = NominationFactory(call=call, country=jm, status=S.WAITLISTED)
    promote = reverse("nominations:promote", args=[workshop.pk, waiting.pk])
    organizer_client.post(promote)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED  # no free seat yet
    organizer_client.post(reverse("nominations:withdraw_any", args=[workshop.pk, a.pk]), {"note": "Changed post"})
    organizer_client.post(promote, {"note": "Replaces the withdrawn nominee"})
    waiting.refresh_from_db()
    assert waiting.status == S.ACCEPTED
    assert list(LogEntry.objects.filter(nomination__in=[a, waiting]).values_list("action", flat=True))[:3] == [
        "promoted",
        "accepted",
        "withdrawn",
    ]


def test_the_review_page_warns_of_duplicates_and_shows_the_mix(organizer_client, call, jm, tt, workshop):
    enrolled = ParticipantFactory(cohort=workshop.cohorts.first(), country=jm)
    NominationFactory(call=call, country=jm, email=enrolled.user.email, status=S.ACCEPTED, gender="woman")
    NominationFactory(call=call, country=jm, first_name="Kim", last_name="Lee", gender="man", status=S.ACCEPTED)
    NominationFactory(call=call, country=tt, first_name="Kim", last_name="Lee")
    page = organizer_client.get(reverse("nominations:review", args=[workshop.pk])).content.decode()
    assert "Already enrolled in this workshop." in page
    assert page.count("Another nomination has the same name") == 2
    assert 'id="accepted-women">1<' in page and 'id="accepted-men">1<' in page
    assert "0 of 2 seats left" in page


def test_the_review_page_reads_a_fixed_number_of_queries(
    organizer_client, call, jm, tt, workshop, django_assert_max_num_queries
):
    NominationFactory.create_batch(2, call=call, country=jm)
    url = reverse("nominations:review", args=[workshop.pk])
    with django_assert_max_num_queries(25) as small:
        organizer_client.get(url)
    for country in CountryFactory.create_batch(8):
        call.countries.add(country)
        NominationFactory.create_batch(4, call=call, country=country, status=S.ACCEPTED)
        NominatorFactory(call=call, country=country)
    with django_assert_max_num_queries(len(small.captured_queries)):
        organizer_client.get(url)


# Forming the groups and enrolling -----------------------------------------------------------------------------


@pytest.fixture
def accepted(call, workshop):
    countries = [CountryFactory(timezone=tz) for tz in ["America/Jamaica", "America/Barbados", "America/Belize"] * 2]
    call.countries.add(*countries)
    people = []
    for country in countries:
        people += NominationFactory.create_batch(2, call=call, country=country, status=S.ACCEPTED)
    return people


def groups_url(workshop):
    return reverse("nominations:groups", args=[workshop.pk])


def test_forming_moving_and_confirming_enrols_everyone_and_sends_invitations(
    organizer_client, workshop, call, accepted, committed
):
    organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 4})
    placed = {n.pk: n.proposed_cohort_id for n in Nomination.objects.filter(status=S.ACCEPTED)}
    assert None not in placed.values()
    by_country = {}
    for n in Nomination.objects.filter(status=S.ACCEPTED):
        by_country.setdefault(n.country_id, set()).add(n.proposed_cohort_id)
    assert all(len(groups) == 1 for groups in by_country.values())
    group_b = workshop.cohorts.get(name="Group B")
    country = accepted[0].country
    organizer_client.post(groups_url(workshop), {"action": "move", "country": country.pk, "cohort": group_b.pk})
    assert set(Nomination.objects.filter(country=country).values_list("proposed_cohort", flat=True)) == {group_b.pk}
    assert not Participant.objects.exists() and not mail.outbox  # nothing happens until confirmed
    with committed():
        response = organizer_client.post(groups_url(workshop), {"action": "confirm"}, follow=True)
    assert "12 people are enrolled and invited." in response.content.decode()
    assert Participant.objects.filter(cohort__workshop=workshop).count() == 12
    assert Participant.objects.filter(country=country, cohort=group_b).count() == 2
    assert len(mail.outbox) == 12
    assert Nomination.objects.filter(participant__isnull=False).count() == 12
    call.refresh_from_db()
    assert call.groups_confirmed_at is not None


def test_confirming_thirty_people_runs_as_many_queries_as_confirming_six(workshop, call, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    groups = list(workshop.cohorts.order_by("name"))  # 20 places each

    def accept(count):
        for number in range(count):
            country = CountryFactory()
            call.countries.add(country)
            NominationFactory(call=call, country=country, status=S.ACCEPTED, proposed_cohort=groups[number % 2])

    accept(6)
    with CaptureQueriesContext(connection) as six:
        assert len(services.confirm_groups(call).enrolled) == 6
    call.groups_confirmed_at = None
    call.save()
    accept(30)
    with django_assert_max_num_queries(len(six)):
        assert len(services.confirm_groups(call).enrolled) == 30
    assert Nomination.objects.filter(call=call, participant__isnull=False).count() == 36
    assert Nomination.objects.filter(call=call, participant__user__email=F("email")).count() == 36


def test_confirming_enrols_nobody_when_one_row_fails_the_roster_checks(
    organizer_client, workshop, call, accepted, committed
):
    organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 1})
    # Someone else took a place in the meantime: the group is now too small for the proposal.
    group_a = workshop.cohorts.get(name="Group A")
    group_a.capacity = 3
    group_a.save()
    with committed():
        response = organizer_client.post(groups_url(workshop), {"action": "confirm"})
    assert "Nobody was enrolled" in response.content.decode() and "is full" in response.content.decode()
    assert not Participant.objects.exists() and not mail.outbox
    call.refresh_from_db()
    assert call.groups_confirmed_at is None


def test_a_proposal_that_cannot_hold_a_country_says_so(organizer_client, workshop, call, accepted):
    workshop.cohorts.update(capacity=1)
    response = organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 1}, follow=True)
    assert "fits in no group" in response.content.decode()
    assert not Nomination.objects.filter(proposed_cohort__isnull=False).exists()


def test_the_groups_page_reads_a_fixed_number_of_queries(
    organizer_client, workshop, call, accepted, django_assert_max_num_queries
):
    organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 1})
    with django_assert_max_num_queries(15) as small:
        organizer_client.get(groups_url(workshop))
    baseline = len(small.captured_queries)  # read now: the next request resets Django's query log
    for country in CountryFactory.create_batch(4):
        call.countries.add(country)
        NominationFactory.create_batch(2, call=call, country=country, status=S.ACCEPTED)
    organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 2})
    with django_assert_max_num_queries(baseline):
        organizer_client.get(groups_url(workshop))


# Courteous mail -----------------------------------------------------------------------------------------------


def test_courteous_mail_is_previewed_then_sent_once(organizer_client, workshop, call, jm, committed):
    NominationFactory(call=call, country=jm, status=S.DECLINED, first_name="Dee")
    NominationFactory(call=call, country=jm, status=S.WAITLISTED)
    NominationFactory(call=call, country=jm, status=S.ACCEPTED)
    url = reverse("nominations:courtesy", args=[workshop.pk])
    page = organizer_client.get(url).content.decode()
    assert "send-courtesy" not in page  # a preview comes first
    preview = organizer_client.post(url, {"action": "preview", "intro": "Thank you, truly."}).content.decode()
    assert "Thank you, truly." in preview and "send-courtesy" in preview and not mail.outbox
    with committed():
        organizer_client.post(url, {"action": "send", "intro": "Thank you, truly."})
    assert len(mail.outbox) == 2
    assert any("waiting list" in m.body for m in mail.outbox) and any(
        "cannot offer you a place" in m.body for m in mail.outbox
    )
    with committed():
        organizer_client.post(url, {"action": "send"})
    assert len(mail.outbox) == 2


# Reporting ----------------------------------------------------------------------------------------------------


def test_downloads_keep_a_typed_formula_as_text(organizer_client, workshop, call, jm):
    NominationFactory(call=call, country=jm, first_name='=HYPERLINK("http://evil")', status=S.ACCEPTED)
    csv_response = organizer_client.get(reverse("nominations:download", args=[workshop.pk, "nominations", "csv"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    xlsx = organizer_client.get(reverse("nominations:download", args=[workshop.pk, "selection", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cell = sheet.cell(row=2, column=3)
    # XLSX keeps what was typed, as a text cell that never runs; only CSV needs the apostrophe.
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil")'


def test_the_summary_counts_per_country_and_gender(organizer_client, workshop, call, jm, tt):
    NominationFactory(call=call, country=jm, status=S.ACCEPTED, gender="woman")
    NominationFactory(call=call, country=jm, status=S.WAITLISTED, gender="man")
    NominationFactory(call=call, country=jm, status=S.DECLINED, gender="")
    NominationFactory(call=call, country=jm, status=S.UNCONFIRMED, gender="man")
    NominationFactory(call=call, country=tt, status=S.DECLINED, gender="other")
    response = organizer_client.get(reverse("nominations:download", args=[workshop.pk, "summary", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Country", "Nominated", "Accepted", "Waitlisted", "Declined"]
    assert rows[1] == ["Jamaica", "3", "1", "1", "1", "0", "1", "1", "1"]
    assert rows[2] == ["Trinidad and Tobago", "1", "0", "0", "1", "0", "0", "0", "1"]


# Demo ---------------------------------------------------------------------------------------------------------


def test_the_demo_has_a_closed_call_with_the_forty_participants_accepted(demo):
    call = Call.objects.get(workshop=demo)
    assert call.is_closed and not call.accepts_nominations()
    counts = {s: call.nominations.filter(status=s).count() for s in (S.ACCEPTED, S.WAITLISTED, S.DECLINED)}
    assert counts[S.ACCEPTED] == 40 and counts[S.WAITLISTED] >= 2 and counts[S.DECLINED] >= 2
    assert call.nominations.filter(status=S.ACCEPTED, participant__isnull=True).count() == 0
    nominator = Nominator.objects.filter(user__email="nominator@demo.test")
    assert nominator.count() == 10
    assert set(nominator.values_list("country__participants__cohort__name", flat=True)) == {"Group A"}


def test_a_signed_in_nominator_finds_their_country_from_the_home(nominator_client, call, jm):
    page = nominator_client.get("/").content.decode()
    assert reverse("nominations:mine") in page
    assert nominator_client.get(reverse("nominations:mine")).url == country_url(call, jm)


def test_access_crawl_a_nominator_reaches_no_other_country(nominator_client, call, jm, tt, organizer):
    """Every nominations address of every country and nomination, asked by Jamaica's nominator."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("nominations/x.pdf", ContentFile(pdf_bytes()))
    other_call = CallFactory(countries=[jm, tt])
    NominatorFactory(call=other_call, country=tt)
    for c in (call, other_call):
        for country in (jm, tt):
            NominationFactory(call=c, country=country, cv="nominations/x.pdf")
    mine = set()
    for c in (call, other_call):
        for country in (jm, tt):
            urls = [country_url(c, country)]
            for n in Nomination.objects.filter(call=c, country=country):
                urls += [
                    reverse("nominations:edit", args=[c.pk, country.code, n.pk]),
                    reverse("nominations:cv", args=[n.pk]),
                ]
                # Own country in the address, another country's nomination: still not found.
                urls.append(reverse("nominations:edit", args=[c.pk, "JM", n.pk]))
            for url in urls:
                status = nominator_client.get(url).status_code
                if status != 404:
                    mine.add((c.pk, country.code, url))
    reached = {(call_pk, code) for call_pk, code, url in mine}
    assert reached == {(call.pk, "JM")}
    for url in [reverse("nominations:review", args=[c.workshop_id]) for c in (call, other_call)]:
        assert nominator_client.get(url).status_code == 404


def test_after_the_groups_are_confirmed_a_promoted_candidate_joins_their_countrys_group(
    organizer_client, workshop, call, accepted, committed
):
    organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 5})
    with committed():
        organizer_client.post(groups_url(workshop), {"action": "confirm"})
    leaving = accepted[0]
    leaving.refresh_from_db()
    group = leaving.participant.cohort
    waiting = NominationFactory(call=call, country=leaving.country, status=S.WAITLISTED)
    organizer_client.post(reverse("nominations:withdraw_any", args=[workshop.pk, leaving.pk]), {"note": "New post"})
    leaving.participant.refresh_from_db()
    assert not leaving.participant.is_active  # out of the group, work kept
    organizer_client.post(reverse("nominations:promote", args=[workshop.pk, waiting.pk]))
    # Moving the country is refused now that it is enrolled: it would split it.
    other = workshop.cohorts.exclude(pk=group.pk).get()
    response = organizer_client.post(
        groups_url(workshop), {"action": "move", "country": leaving.country.pk, "cohort": other.pk}, follow=True
    )
    assert "is enrolled already" in response.content.decode()
    organizer_client.post(groups_url(workshop), {"action": "propose", "seed": 9})
    waiting.refresh_from_db()
    assert waiting.proposed_cohort == group
    mail.outbox.clear()
    with committed():
        organizer_client.post(groups_url(workshop), {"action": "confirm"})
    waiting.refresh_from_db()
    assert waiting.participant.cohort == group
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert Participant.objects.filter(cohort__workshop=workshop, is_active=True).count() == 12


def test_a_nominator_cannot_withdraw_a_nomination_the_organizers_decided_on(nominator_client, call, jm):
    nomination = NominationFactory(call=call, country=jm, status=S.ACCEPTED)
    response = nominator_client.post(reverse("nominations:withdraw", args=[call.pk, "JM", nomination.pk]), follow=True)
    assert "ask them to withdraw it" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.ACCEPTED


def test_a_country_outside_the_call_cannot_be_nominated_for(call, nominator):
    elsewhere = CountryFactory(code="CU", name="Cuba")
    with pytest.raises(services.NominationError, match="not eligible"):
        services.nominate(call, elsewhere, nomination_data(), by=nominator.user)
    assert not Nomination.objects.exists()


def test_the_demo_pages_load_for_the_organizer_and_the_nominator(demo, client):
    from participants.models import User

    call = Call.objects.get(workshop=demo)
    client.force_login(User.objects.get(email="organizer@demo.test"))
    review = client.get(reverse("nominations:review", args=[demo.pk])).content.decode()
    assert "Rohan Blake" in review and "Waitlisted" in review
    groups = client.get(reverse("nominations:groups", args=[demo.pk])).content.decode()
    assert 'id="groups-confirmed"' in groups
    assert "Nominations" in client.get(reverse("sessions:facilitate")).content.decode()
    client.force_login(User.objects.get(email="nominator@demo.test"))
    assert client.get(reverse("nominations:country", args=[call.pk, "JM"])).status_code == 200
    assert client.get(reverse("nominations:country", args=[call.pk, "BB"])).status_code == 404  # Group B's country
