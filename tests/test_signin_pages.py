"""The pages people meet before they are in: sign-in, password reset, the invitation's set-password link, an
expired link, sign-out, password change, e-mail addresses; and the 404 and 500 pages with DEBUG off."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from participants import services

from .factories import CohortFactory, ParticipantFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.usefixtures("private_cache")


@pytest.fixture
def workshop(db):
    return WorkshopFactory(
        title="Online Course on Digital Government",
        subtitle="Five sessions for senior officials",
        target_audience="public-sector leaders of the member states",
        is_published=True,
    )


def _in_portal_look(page: str) -> bool:
    return "vendor/bootstrap/bootstrap.min.css" in page and 'class="navbar' in page and "card shadow-sm" in page


def _no_signup(page: str) -> bool:
    return "/accounts/signup/" not in page and not re.search(r"sign[ -]?up</a>", page, re.I)


def test_sign_in_page_says_who_the_portal_is_for_from_the_workshops_and_offers_no_sign_up(client, workshop):
    page = client.get(reverse("account_login")).content.decode()
    assert _in_portal_look(page) and _no_signup(page)
    assert "Online Course on Digital Government" in page and "public-sector leaders of the member states" in page
    assert "by invitation" in page
    assert reverse("account_reset_password") in page and reverse("participants:request_new_link") in page
    assert 'name="password"' in page and "form-control" in page  # crispy's Bootstrap 5 fields


def test_sign_in_works_from_the_styled_page(client, workshop):
    participant = ParticipantFactory(cohort=CohortFactory(workshop=workshop))
    response = client.post(reverse("account_login"), {"login": participant.user.email, "password": "pass-word-123"})
    assert response.status_code == 302 and response["Location"] == reverse("sessions:home")


def test_wrong_password_shows_the_error_in_the_styled_page(client, workshop):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200 and _in_portal_look(page)
    assert "alert" in page and "not correct" in page


@pytest.mark.parametrize(
    "name", ["account_login", "account_reset_password", "account_reset_password_done", "participants:request_new_link"]
)
def test_every_entrance_page_has_the_portal_look_and_no_sign_up(client, workshop, name):
    response = client.get(reverse(name))
    page = response.content.decode()
    assert response.status_code == 200 and _in_portal_look(page) and _no_signup(page)


def test_sign_up_address_explains_invitation_only(client, workshop):
    page = client.get("/accounts/signup/").content.decode()
    assert "By invitation only" in page and _in_portal_look(page)
    assert reverse("participants:request_new_link") in page and _no_signup(page)


@pytest.mark.parametrize("name", ["account_change_password", "account_email", "account_logout"])
def test_signed_in_account_pages_have_the_portal_look(client, workshop, name):
    client.force_login(ParticipantFactory(cohort=CohortFactory(workshop=workshop)).user)
    response = client.get(reverse(name))
    page = response.content.decode()
    assert response.status_code == 200 and _in_portal_look(page) and _no_signup(page)


def test_invitation_link_opens_a_styled_set_password_page_and_sets_it(client, workshop):
    participant = ParticipantFactory(cohort=CohortFactory(workshop=workshop))
    link = services.invitation_link(participant.user).removeprefix("http://testserver")
    response = client.get(link, follow=True)
    page = response.content.decode()
    assert "Choose your password" in page and _in_portal_look(page) and 'name="password1"' in page
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "a-new-long-password-9", "password2": "a-new-long-password-9"})
    assert response.status_code == 302
    participant.user.refresh_from_db()
    assert participant.user.check_password("a-new-long-password-9")


def test_expired_link_explains_and_offers_a_new_link_form(client, workshop):
    participant = ParticipantFactory(cohort=CohortFactory(workshop=workshop))
    link = services.invitation_link(participant.user).removeprefix("http://testserver")
    bad = link.rstrip("/").rsplit("/", 1)[0] + "/not-a-valid-key/"
    page = client.get(bad, follow=True).content.decode()
    assert "This link has expired" in page and _in_portal_look(page)
    assert f'action="{reverse("participants:request_new_link")}"' in page and 'name="email"' in page
    assert "Bad Token" not in page


def test_new_link_goes_to_an_enrolled_address_and_works(client, workshop, django_capture_on_commit_callbacks):
    participant = ParticipantFactory(cohort=CohortFactory(workshop=workshop))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participants:request_new_link"), {"email": participant.user.email.upper()})
    assert response.status_code == 302 and response["Location"] == reverse("participants:request_new_link_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [participant.user.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True).content.decode()
    assert "Choose your password" in page


def test_new_link_answer_is_the_same_for_unknown_and_unenrolled_addresses_and_sends_nothing(
    client, workshop, django_capture_on_commit_callbacks
):
    enrolled = ParticipantFactory(cohort=CohortFactory(workshop=workshop))
    not_enrolled = UserFactory()
    left = ParticipantFactory(cohort=CohortFactory(workshop=workshop), is_active=False)
    answers = []
    for email in (enrolled.user.email, "nobody@example.org", not_enrolled.email, left.user.email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("participants:request_new_link"), {"email": email}, follow=True)
        answers.append((response.redirect_chain, response.content.decode()))
    assert all(answer == answers[0] for answer in answers)
    assert [m.to for m in mail.outbox] == [[enrolled.user.email]]


def test_new_link_is_sent_at_most_once_in_ten_minutes_per_address(client, workshop, django_capture_on_commit_callbacks):
    participant = ParticipantFactory(cohort=CohortFactory(workshop=workshop))
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("participants:request_new_link"), {"email": participant.user.email})
    assert len(mail.outbox) == 1


def test_new_link_refuses_a_bad_address_in_the_page(client, workshop):
    response = client.post(reverse("participants:request_new_link"), {"email": "not an address"})
    assert response.status_code == 200 and "valid email" in response.content.decode()
    assert not mail.outbox


def test_404_with_debug_off_has_the_portal_look_and_a_way_back(client, workshop, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="navbar' in page and "This page is not here" in page
    assert f'href="{reverse("sessions:home")}"' in page and reverse("account_login") in page


def test_500_renders_without_a_request_context_or_the_database(db, settings, django_assert_num_queries):
    settings.DEBUG = False
    request = RequestFactory().get("/broken/")
    with django_assert_num_queries(0):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "bootstrap.min.css" in page
    assert f'href="{reverse("sessions:home")}"' in page


def test_a_crashing_view_shows_the_portal_500_page(client, settings, monkeypatch, db):
    settings.DEBUG = False
    from sessions_app import views

    def boom(request):
        raise RuntimeError("kaput")

    monkeypatch.setattr(views.selectors, "public_workshops", boom)
    client.raise_request_exception = False
    response = client.get(reverse("sessions:home"))
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()
