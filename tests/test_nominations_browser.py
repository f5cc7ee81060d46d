"""In a real browser: a country nominator nominates; an organizer accepts and forms the groups."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from nominations.models import Nomination
from participants.models import Participant

from .factories import CohortFactory, CountryFactory, UserFactory, WorkshopFactory
from .factories_nominations import CallFactory, NominationFactory, NominatorFactory

pytestmark = pytest.mark.browser
PASSWORD = "pass-word-123"


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_a_nominator_nominates_and_an_organizer_forms_the_groups(live_server, settings, browser_page, transactional_db):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    workshop = WorkshopFactory(slug="browser-call")
    group_a = CohortFactory(workshop=workshop, name="Group A", capacity=6, seats_per_country=2)
    CohortFactory(workshop=workshop, name="Group B", capacity=6, seats_per_country=2)
    jm = CountryFactory(code="JM", name="Jamaica", timezone="America/Jamaica")
    others = [
        CountryFactory(code="BB", name="Barbados", timezone="America/Barbados"),
        CountryFactory(code="BZ", name="Belize", timezone="America/Belize"),
        CountryFactory(code="TT", name="Trinidad and Tobago", timezone="America/Port_of_Spain"),
    ]
    call = CallFactory(workshop=workshop, countries=[jm, *others], deadline=timezone.now() + timedelta(days=10))
    NominatorFactory(call=call, country=jm, user=UserFactory(email="focal@gov.jm"))
    for country in others:
        NominationFactory.create_batch(2, call=call, country=country, status=Nomination.Status.ACCEPTED)
    UserFactory(email="organizer@example.org", is_staff=True, is_superuser=True)

    page = browser_page
    base = live_server.url
    sign_in(page, base, "focal@gov.jm")
    page.goto(f"{base}/nominate/")
    page.wait_for_url(re.compile(r"/nominate/\d+/JM/$"))
    assert page.locator("#seats").inner_text() == "2"
    form = page.locator("#nomination-form")
    form.get_by_label("First name").fill("Alicia")
    form.get_by_label("Last name").fill("Browne")
    form.get_by_label("E-mail address").fill("alicia.browne@gov.jm")
    form.get_by_label("Institution (ministry or agency)").fill("Office of the Prime Minister")
    form.get_by_label("Position").fill("Director")
    form.get_by_label("Seniority").select_option("senior")
    form.get_by_label("Gender").select_option("woman")
    form.get_by_label("Short motivation").fill("Leads the e-government unit.")
    form.get_by_role("button", name="Nominate").click()
    page.locator("#nominations", has_text="Alicia Browne").wait_for()
    assert page.locator("#nominated-count").inner_text() == "1"
    # A second nomination with the same address is refused with a message; the first stays.
    form = page.locator("#nomination-form")
    form.get_by_label("First name").fill("Alicia")
    form.get_by_label("Last name").fill("Again")
    form.get_by_label("E-mail address").fill("alicia.browne@gov.jm")
    form.get_by_label("Institution (ministry or agency)").fill("Office of the Prime Minister")
    form.get_by_label("Position").fill("Director")
    form.get_by_label("Seniority").select_option("senior")
    form.get_by_label("Short motivation").fill("Twice.")
    form.get_by_role("button", name="Nominate").click()
    page.get_by_text("is already nominated for this workshop").wait_for()
    assert Nomination.objects.filter(country=jm).count() == 1
    # Another country's page is not there for this nominator.
    assert page.goto(f"{base}/nominate/{call.pk}/BB/").status == 404

    page.context.clear_cookies()
    sign_in(page, base, "organizer@example.org")
    page.goto(f"{base}/facilitate/")
    page.get_by_role("link", name="Nominations").click()
    row = page.locator("tr", has_text="Alicia Browne")
    row.locator("select[name=status]").select_option("accepted")
    row.get_by_role("button", name="Save").click()
    page.locator("tr[data-status=accepted]", has_text="Alicia Browne").wait_for()

    page.get_by_role("link", name="Form the groups").click()
    page.get_by_label("Seed").fill("3")
    page.get_by_role("button", name="Propose groups").click()
    page.get_by_text("A proposal is ready").wait_for()
    jamaica = page.locator(".country-block[data-country=JM]")
    jamaica.locator("select[name=cohort]").select_option(label="Group A")
    jamaica.get_by_role("button", name="Move").click()
    page.locator(".group-column[data-group='Group A'] .country-block[data-country=JM]").wait_for()
    page.get_by_role("button", name="Confirm the groups and send the invitations").click()
    page.locator("#groups-confirmed").wait_for()

    assert Participant.objects.filter(cohort__workshop=workshop).count() == 7  # three countries of two, and Alicia
    alicia = Participant.objects.get(user__email="alicia.browne@gov.jm")
    assert alicia.cohort == group_a and alicia.country == jm
    for country in [jm, *others]:
        assert Participant.objects.filter(country=country).values("cohort").distinct().count() == 1
