"""Attacks on accounts and sign-in (issue 11, items 1-4), each performed here and refused."""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.urls import reverse

from participants import roles, services
from participants.models import Participant, User
from participants.roster import rows_from_dicts

from .factories import CountryFactory, UserFactory

PASSWORD = "pass-word-123"
# What the settings give, before the fixture below swaps in a private cache per test.
CACHE_BACKEND = django_settings.CACHES["default"]["BACKEND"]


@pytest.fixture(autouse=True)
def fresh_cache(request, settings):
    """Counters start empty in every test, also when the suite runs against a shared Redis.

    Tests marked ``shared_cache`` use the configured cache itself (and addresses no other run uses).
    """
    if "shared_cache" not in request.keywords:
        request.getfixturevalue("private_cache")


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def roster_row(email, group="Group A"):
    return rows_from_dicts(
        [{"email": email, "first_name": "Ines", "last_name": "Invitee", "country": "JM", "group": group}]
    )


# 1. Taking over a future invitee's place -------------------------------------------------------------------


@pytest.fixture
def attacker(db):
    return UserFactory(email="mallory@example.org")


def test_an_added_address_is_not_the_sign_in_address_until_verified_even_when_forced_primary(
    client, attacker, programme, mailoutbox
):
    CountryFactory(code="JM", name="Jamaica")
    assert sign_in(client, attacker.email).status_code == 302
    client.post(reverse("account_email"), {"email": "ines@gov.jm", "action_add": ""})
    # The attack of today's main: mark the unverified address primary.
    response = client.post(reverse("account_email"), {"email": "ines@gov.jm", "action_primary": ""})
    assert response.status_code < 500
    attacker.refresh_from_db()
    assert attacker.email == "mallory@example.org"

    # The roster later names ines@gov.jm: the enrolment goes to a new account, not the attacker's.
    check, enrolled = services.import_roster(programme, roster_row("ines@gov.jm"))
    assert check.is_clean
    assert [p.user.email for p in enrolled] == ["ines@gov.jm"]
    assert enrolled[0].user_id != attacker.pk
    assert not Participant.objects.filter(user=attacker).exists()
    # The pending address claimed by the attacker was dropped when the real owner's account was made.
    assert not EmailAddress.objects.filter(user=attacker, email="ines@gov.jm").exists()


def test_a_new_address_becomes_the_sign_in_address_once_its_owner_follows_the_link(client, attacker, mailoutbox):
    sign_in(client, attacker.email)
    client.post(reverse("account_email"), {"email": "mallory.new@example.org", "action_add": ""})
    attacker.refresh_from_db()
    assert attacker.email == "mallory@example.org"
    mail = next(m for m in mailoutbox if m.to == ["mallory.new@example.org"])
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body).group(0)
    page = client.get(link)
    assert page.status_code == 200
    client.post(link)
    attacker.refresh_from_db()
    assert attacker.email == "mallory.new@example.org"
    assert sign_in(client.__class__(), "mallory.new@example.org").status_code == 302


def test_adding_another_accounts_address_is_refused_without_a_server_error(client, attacker, db):
    UserFactory(email="victim@example.org")
    sign_in(client, attacker.email)
    response = client.post(reverse("account_email"), {"email": "victim@example.org", "action_add": ""})
    assert response.status_code == 200
    assert "cannot be used" in response.content.decode()
    response = client.post(reverse("account_email"), {"email": "victim@example.org", "action_primary": ""})
    assert response.status_code < 500
    attacker.refresh_from_db()
    assert attacker.email == "mallory@example.org"
    assert not EmailAddress.objects.filter(user=attacker, email="victim@example.org").exists()


def test_roster_import_refuses_an_address_an_account_claimed_without_proving_it(attacker, programme):
    """An account left over from before the fix: its sign-in address was made primary unverified."""
    CountryFactory(code="JM", name="Jamaica")
    attacker.email = "ines@gov.jm"
    attacker.save()
    EmailAddress.objects.create(user=attacker, email="ines@gov.jm", verified=False, primary=True)
    check, enrolled = services.import_roster(programme, roster_row("ines@gov.jm"))
    assert not check.is_clean and enrolled == []
    assert "has not proved" in " ".join(check.rows[0].problems)
    assert not Participant.objects.filter(user=attacker).exists()


def test_roster_import_matches_an_account_whose_address_is_verified_or_set_by_organizers(programme):
    CountryFactory(code="JM", name="Jamaica")
    verified = UserFactory(email="verified@gov.jm")
    EmailAddress.objects.create(user=verified, email="verified@gov.jm", verified=True, primary=True)
    by_organizers = UserFactory(email="staff-made@gov.jm")
    rows = rows_from_dicts(
        [
            {"email": e, "first_name": "A", "last_name": "B", "country": "JM", "group": "Group A"}
            for e in ("verified@gov.jm", "staff-made@gov.jm")
        ]
    )
    check, enrolled = services.import_roster(programme, rows)
    assert check.is_clean
    assert {p.user_id for p in enrolled} == {verified.pk, by_organizers.pk}


def test_roster_import_drops_another_accounts_unproved_claim_on_an_imported_address(attacker, programme):
    """A pending change of address nobody confirmed: once the organizers enrol the address's owner, the claim
    goes, so the attacker can never confirm it later and take the invited person's place."""
    CountryFactory(code="JM", name="Jamaica")
    EmailAddress.objects.create(user=attacker, email="Ines@Gov.jm", verified=False, primary=False)
    check, enrolled = services.import_roster(programme, roster_row("ines@gov.jm"))
    assert check.is_clean and enrolled[0].user != attacker
    assert not EmailAddress.objects.filter(user=attacker, email__iexact="ines@gov.jm").exists()
    assert User.objects.get(pk=attacker.pk).email == attacker.email  # the attacker's own account is untouched


# 2. Organizer privilege escalation -------------------------------------------------------------------------


@pytest.fixture
def staff_organizer(db):
    roles.ensure_role_groups()
    user = UserFactory(email="organizer@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.ORGANIZER))
    return user


def change_form_data(user, **overrides):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "timezone": "",
        "email_notifications": "on",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2021-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(overrides)
    return data


def test_organizer_cannot_make_themselves_superuser_or_change_their_groups(client, staff_organizer):
    client.force_login(staff_organizer)
    url = reverse("admin:participants_user_change", args=[staff_organizer.pk])
    page = client.get(url)
    assert page.status_code == 200
    admin_group = Group.objects.create(name="everything")
    client.post(
        url,
        change_form_data(
            staff_organizer, is_staff="on", is_superuser="on", groups=[admin_group.pk], first_name="Changed"
        ),
    )
    staff_organizer.refresh_from_db()
    assert not staff_organizer.is_superuser
    assert not staff_organizer.groups.filter(name="everything").exists()
    assert staff_organizer.groups.filter(name=roles.ORGANIZER).exists()
    assert staff_organizer.first_name == "Changed"  # their own details remain theirs to edit


def test_organizer_cannot_grant_staff_to_a_participant(client, staff_organizer):
    participant = UserFactory(email="p@example.org")
    client.force_login(staff_organizer)
    url = reverse("admin:participants_user_change", args=[participant.pk])
    client.post(url, change_form_data(participant, is_staff="on", is_superuser="on"))
    participant.refresh_from_db()
    assert not participant.is_staff and not participant.is_superuser


def test_organizer_cannot_edit_a_superuser(client, staff_organizer):
    boss = UserFactory(email="boss@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff_organizer)
    url = reverse("admin:participants_user_change", args=[boss.pk])
    client.post(url, change_form_data(boss, email="organizer-controlled@example.org", is_staff="on"))
    boss.refresh_from_db()
    assert boss.email == "boss@example.org"
    password_url = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert client.post(password_url, {"password1": "x-New-pass-99", "password2": "x-New-pass-99"}).status_code == 403


def test_superuser_still_grants_superuser(client, staff_organizer):
    boss = UserFactory(email="boss@example.org", is_staff=True, is_superuser=True)
    client.force_login(boss)
    url = reverse("admin:participants_user_change", args=[staff_organizer.pk])
    client.post(
        url,
        change_form_data(
            staff_organizer,
            is_staff="on",
            is_superuser="on",
            groups=[Group.objects.get(name=roles.ORGANIZER).pk],
        ),
    )
    staff_organizer.refresh_from_db()
    assert staff_organizer.is_superuser


# 3. Rate limits that lock everyone out ---------------------------------------------------------------------

PROXY = "10.0.0.2"


@pytest.mark.shared_cache
def test_many_wrong_passwords_for_one_account_do_not_refuse_another_behind_the_same_proxy(client, db, settings):
    """Through the configured shared cache (database table, or Redis with REDIS_URL)."""
    settings.TRUSTED_PROXY_COUNT = 1
    run = uuid.uuid4()
    target = UserFactory(email=f"target-{run.hex}@example.org")
    innocent = UserFactory(email=f"innocent-{run.hex}@example.org")
    attacker_headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"2001:db8:{run.bytes[0]:x}::9"}
    for _ in range(35):
        sign_in(client, target.email, "wrong-password", **attacker_headers)
    # The target account itself is now protected against further guessing, even with the right password.
    assert sign_in(client, target.email, **attacker_headers).status_code != 302
    other = client.__class__()
    response = sign_in(other, innocent.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"2001:db8:{run.bytes[1]:x}:1::7")
    assert response.status_code == 302
    assert other.get(reverse("participants:profile")).status_code == 200


def test_failures_for_one_account_from_one_address_do_not_refuse_another_account_from_it(client, db, settings):
    """Colleagues share one office address: a mistyping colleague does not lock the others out."""
    settings.TRUSTED_PROXY_COUNT = 1
    target = UserFactory(email="target@example.org")
    innocent = UserFactory(email="innocent@example.org")
    office = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(12):
        sign_in(client, target.email, "wrong-password", **office)
    assert sign_in(client.__class__(), innocent.email, **office).status_code == 302


def test_without_a_configured_proxy_one_accounts_failures_still_do_not_refuse_another(client, db, settings):
    """A proxy nobody declared: every visitor shares its address, and still only the attacked account waits."""
    settings.TRUSTED_PROXY_COUNT = 0
    target = UserFactory(email="target@example.org")
    innocent = UserFactory(email="innocent@example.org")
    for _ in range(35):
        sign_in(client, target.email, "wrong-password", REMOTE_ADDR=PROXY)
    assert sign_in(client.__class__(), innocent.email, REMOTE_ADDR=PROXY).status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_per_account_limit(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    target = UserFactory(email="target@example.org")
    for n in range(12):
        # The proxy appends the real client; the forged part on the left is ignored.
        sign_in(client, target.email, "wrong", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9")
    response = sign_in(client, target.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9")
    assert response.status_code != 302


def test_client_address_is_read_through_the_trusted_proxy_count(rf, settings):
    from participants.adapters import InvitationOnlyAccountAdapter

    adapter = InvitationOnlyAccountAdapter()
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert adapter.get_client_ip(request) == PROXY
    settings.TRUSTED_PROXY_COUNT = 1
    assert adapter.get_client_ip(request) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert adapter.get_client_ip(request) == "192.0.2.1"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer hops than configured: the proxy's address, not a 500
    assert adapter.get_client_ip(request) == PROXY
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    settings.TRUSTED_PROXY_COUNT = 1
    assert adapter.get_client_ip(request) == PROXY


def test_rate_limits_are_counted_in_a_cache_every_worker_shares():
    assert CACHE_BACKEND in {
        "common.redis_cache.RedisCache",  # Django's, sharing its Redis client between calls
        "django.core.cache.backends.db.DatabaseCache",
    }


def test_the_database_cache_table_is_created_by_a_migration(db):
    """Without REDIS_URL the cache is a table: `migrate` alone (as `make run` and deployments do) creates it."""
    import importlib
    from pathlib import Path
    from types import SimpleNamespace

    from django.db import connection

    import participants.migrations

    # Found by name, whatever number the migration gets when branches are merged.
    (path,) = Path(participants.migrations.__file__).parent.glob("*_shared_cache_table.py")
    migration = importlib.import_module(f"participants.migrations.{path.stem}")
    with connection.cursor() as cursor:  # the test database made it already; start without it
        cursor.execute("DROP TABLE portal_cache")
    assert "portal_cache" not in connection.introspection.table_names()
    migration.create_cache_table(None, SimpleNamespace(connection=connection))
    assert "portal_cache" in connection.introspection.table_names()
    if CACHE_BACKEND == "django.core.cache.backends.db.DatabaseCache":
        from django.core.cache.backends.db import DatabaseCache

        cache = DatabaseCache("portal_cache", {})
        cache.set("probe", 1, 30)
        assert cache.get("probe") == 1


# 4. Account mails ------------------------------------------------------------------------------------------


def test_password_reset_for_an_unknown_address_sends_no_mail(client, db, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302  # the page does not tell whether the address exists
    assert mailoutbox == []


def test_account_mails_name_the_portal_and_its_address_not_example_com(client, db, mailoutbox, settings):
    UserFactory(email="reset@example.org")
    client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert len(mailoutbox) == 1
    text = mailoutbox[0].body
    assert "example.com" not in text
    assert "Hello from Workshop Portal!" in text
    assert "testserver" in text


def test_site_name_and_domain_follow_site_url_after_migrate(db, settings):
    from django.core.management import call_command

    settings.SITE_URL = "https://portal.caricad.example"
    settings.SITE_NAME = "CARICAD Workshops"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.domain, site.name) == ("portal.caricad.example", "CARICAD Workshops")


def test_verified_change_tells_the_old_address(client, attacker, mailoutbox):
    """The previous address hears of a change, so a hijacked session cannot move the account silently."""
    sign_in(client, attacker.email)
    client.post(reverse("account_email"), {"email": "mallory.new@example.org", "action_add": ""})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    client.post(link)
    assert any(m.to == ["mallory@example.org"] for m in mailoutbox)
    assert User.objects.get(pk=attacker.pk).email == "mallory.new@example.org"


def test_organizer_cannot_delete_a_superuser_even_in_bulk(client, staff_organizer):
    boss = UserFactory(email="boss@example.org", is_staff=True, is_superuser=True)
    client.force_login(staff_organizer)
    response = client.post(
        reverse("admin:participants_user_changelist"),
        {"action": "delete_selected", "_selected_action": [boss.pk], "post": "yes"},
    )
    assert response.status_code in (302, 403)
    assert User.objects.filter(pk=boss.pk).exists()


def test_the_address_page_shows_an_invited_persons_address_as_current_not_pending(client, db):
    invited = UserFactory(email="invited@gov.jm")
    sign_in(client, invited.email)
    assert reverse("account_email") in client.get(reverse("participants:profile")).content.decode()
    page = client.get(reverse("account_email")).content.decode()
    assert "invited@gov.jm" in page
    assert "pending verification" not in page
    assert EmailAddress.objects.get(user=invited).verified  # set by organizers: the sign-in address as it is


def test_following_the_invitation_link_proves_an_address_made_primary_without_proof(client, db):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    person = UserFactory(email="person@gov.jm")
    EmailAddress.objects.create(user=person, email="person@gov.jm", verified=False, primary=True)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": default_token_generator.make_token(person)},
    )
    form_url = client.get(url)["Location"]
    client.post(form_url, {"password1": "a-New-pass-4242", "password2": "a-New-pass-4242"})
    assert not services.has_unproved_sign_in_address(person)


def confirmation_link(mailoutbox, to):
    mail = next(m for m in reversed(mailoutbox) if m.to == [to])
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body).group(0)


def test_someone_who_only_receives_the_link_cannot_attach_their_address_to_the_account(client, attacker, mailoutbox):
    sign_in(client, attacker.email)
    client.post(reverse("account_email"), {"email": "ines@gov.jm", "action_add": ""})
    link = confirmation_link(mailoutbox, "ines@gov.jm")
    invitee = client.__class__()  # Ines, not signed in, clicks the link in the mail she did not expect
    response = invitee.post(link, follow=True)
    assert response.status_code == 200
    attacker.refresh_from_db()
    assert attacker.email == "mallory@example.org"
    assert not EmailAddress.objects.filter(email="ines@gov.jm", verified=True).exists()


def test_confirming_an_address_another_account_took_meanwhile_changes_nothing_and_is_no_error(
    client, attacker, mailoutbox
):
    sign_in(client, attacker.email)
    client.post(reverse("account_email"), {"email": "shared@example.org", "action_add": ""})
    link = confirmation_link(mailoutbox, "shared@example.org")
    User.objects.create_user(email="shared@example.org")  # e.g. an organizer made an account for it in the admin
    response = client.post(link, follow=True)
    assert response.status_code == 200
    attacker.refresh_from_db()
    assert attacker.email == "mallory@example.org"


def test_a_pending_address_change_gets_no_password_reset_link(client, attacker, mailoutbox):
    sign_in(client, attacker.email)
    client.post(reverse("account_email"), {"email": "ines@gov.jm", "action_add": ""})
    mailoutbox.clear()
    client.__class__().post(reverse("account_reset_password"), {"email": "ines@gov.jm"})
    assert mailoutbox == []  # no link to the account that only claimed the address


def test_organizers_hold_no_permission_outside_the_portals_own_apps(db):
    # A virtualenv inside the checkout once made Django's and allauth's apps look like the portal's: organizers
    # could then edit every sign-in address (allauth) and every group's permissions (auth) in the admin.
    from participants import roles

    organizer = Group.objects.get(name=roles.ORGANIZER)
    foreign = Permission.objects.filter(content_type__app_label__in=["account", "auth", "sites", "sessions", "admin"])
    organizer.permissions.add(*foreign)  # as an earlier release left them
    roles.ensure_role_groups()
    labels = set(organizer.permissions.values_list("content_type__app_label", "codename"))
    assert not {(app, code) for app, code in labels if app in {"account", "sites", "sessions", "admin"}}
    assert {(app, code) for app, code in labels if app == "auth"} == {("auth", "view_group")}
    assert ("participants", "change_participant") in labels
