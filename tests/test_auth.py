from django.urls import reverse

from .factories import UserFactory


def test_sign_in_by_email_address(client, db):
    UserFactory(email="Someone@Example.org")
    response = client.post(reverse("account_login"), {"login": "someone@example.org", "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get(reverse("participants:profile")).status_code == 200


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "a-Long-pass-123", "password2": "a-Long-pass-123"},
    )
    assert "closed" in response.content.decode().lower()
    from participants.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_password_reset_sends_a_mail(client, db, mailoutbox):
    UserFactory(email="reset@example.org")
    client.post(reverse("account_reset_password"), {"email": "reset@example.org"})
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reset@example.org"]


def test_health_check(client, db):
    assert client.get("/healthz/").content == b"ok"
