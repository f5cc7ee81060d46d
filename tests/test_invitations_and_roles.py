"""Invitations (set a password through allauth), acceptance, resending, deactivation and role groups."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from participants import roles, services
from participants.models import Participant

from .factories import ParticipantFactory, UserFactory


@pytest.fixture
def eager_invitations():
    from workshop_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def invitee(programme):
    user = UserFactory(email="new.person@gov.jm", first_name="Nia", password=None)
    user.set_unusable_password()
    user.save()
    return ParticipantFactory(user=user, cohort=programme.cohorts.get(name="Group A"))


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)


def test_invitation_is_one_html_and_text_mail_with_a_link_to_set_the_password(client, invitee, mailoutbox):
    assert services.deliver_invitation(invitee.pk)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.person@gov.jm"]
    assert "You are invited to" in message.subject and invitee.cohort.workshop.title in message.subject
    assert "Group A" in message.body and "Set your password here" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Set your password" in html

    page = client.get(link_in(message), follow=True)
    assert page.status_code == 200
    set_password_url = page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": "Caribbean-2021!x", "password2": "Caribbean-2021!x"})
    assert response.status_code == 302
    invitee.refresh_from_db()
    assert invitee.invitation_accepted_at is not None
    assert invitee.user.check_password("Caribbean-2021!x")
    # The link works once.
    assert "invalid" in client.get(link_in(message), follow=True).content.decode().lower()


def test_first_sign_in_also_counts_as_accepted(client, participant):
    assert participant.invitation_accepted_at is None
    client.post(reverse("account_login"), {"login": participant.user.email, "password": "pass-word-123"})
    participant.refresh_from_db()
    assert participant.invitation_accepted_at is not None


def test_send_action_skips_people_already_invited_and_resend_sends_again(
    organizer_client, invitee, mailoutbox, django_capture_on_commit_callbacks, eager_invitations
):
    url = reverse("admin:participants_participant_changelist")
    data = {"action": "send_invitations", "_selected_action": [invitee.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url, data)
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url, data)  # already invited: nothing sent
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(url, {"action": "resend_invitations", "_selected_action": [invitee.pk]})
    assert len(mailoutbox) == 2
    page = organizer_client.get(url).content.decode()
    assert "not accepted" in page


def test_a_retried_invitation_job_does_not_mail_twice(invitee, mailoutbox):
    from django.utils import timezone

    requested = timezone.now().isoformat()
    assert services.deliver_invitation(invitee.pk, requested)
    assert not services.deliver_invitation(invitee.pk, requested)
    assert len(mailoutbox) == 1


def test_deactivated_participant_cannot_sign_in_and_keeps_their_work(client, organizer_client, participant):
    from preparation import services as preparation
    from sessions_app.models import PreparationTask

    task = PreparationTask.objects.filter(session__workshop=participant.cohort.workshop).first()
    first = participant.cohort.occurrences.order_by("starts_at").first()
    preparation.submit(task, participant, now=first.starts_at)
    organizer_client.post(
        reverse("admin:participants_participant_changelist"),
        {"action": "deactivate", "_selected_action": [participant.pk]},
    )
    participant.refresh_from_db()
    assert not participant.is_active and not participant.user.is_active
    assert participant.submissions.count() == 1
    assert not client.login(username=participant.user.email, password="pass-word-123")
    assert not participant.user.groups.filter(name=roles.PARTICIPANT).exists()

    organizer_client.post(
        reverse("admin:participants_participant_changelist"),
        {"action": "reactivate", "_selected_action": [participant.pk]},
    )
    assert client.login(username=participant.user.email, password="pass-word-123")


def test_role_groups_exist_with_their_permissions(db):
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert set(roles.ROLES) <= set(groups)
    codenames = {name: {p.codename for p in group.permissions.all()} for name, group in groups.items()}
    assert {"view_progress_board", "download_task_files"} <= codenames["facilitator"]
    assert "add_submission" in codenames["participant"] and "view_progress_board" not in codenames["participant"]
    assert {"add_participant", "change_preparationtask", "add_extension"} <= codenames["organizer"]
    # Running it again changes nothing.
    roles.ensure_role_groups()
    assert Group.objects.filter(name__in=roles.ROLES).count() == 4


def test_people_are_put_in_the_groups_of_their_roles(programme, participant, organizer):
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    assert facilitator.groups.filter(name=roles.FACILITATOR).exists()
    programme.facilitators.remove(facilitator)
    assert not facilitator.groups.filter(name=roles.FACILITATOR).exists()
    services.sync_roles(organizer)
    assert organizer.groups.filter(name=roles.ORGANIZER).exists()
    services.sync_roles(participant.user)
    assert participant.user.groups.filter(name=roles.PARTICIPANT).exists()


def test_demo_accounts_have_their_roles(demo):
    from participants.models import User

    assert User.objects.get(email="organizer@demo.test").groups.filter(name=roles.ORGANIZER).exists()
    assert User.objects.get(email="facilitator@demo.test").groups.filter(name=roles.FACILITATOR).exists()
    assert Participant.objects.filter(user__groups__name=roles.PARTICIPANT).count() == 40


def test_profile_keeps_notification_choice_and_privacy_consent(client, participant):
    client.force_login(participant.user)
    response = client.post(
        reverse("participants:profile"), {"first_name": "A", "last_name": "B", "timezone": "", "accept_privacy": "on"}
    )
    assert response.status_code == 302
    participant.user.refresh_from_db()
    assert participant.user.privacy_accepted_at is not None
    assert participant.user.email_notifications is False
    assert "<strong>you alone</strong>" in client.get(reverse("participants:privacy")).content.decode()
