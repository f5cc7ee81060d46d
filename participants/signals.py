"""Receivers that keep role groups and invitation status in step; each only calls a service."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

from . import roles, services, viewer


@receiver(user_logged_in, dispatch_uid="participants_invitation_accepted_on_login")
def invitation_accepted_on_login(sender, request, user, **kwargs):
    services.mark_invitations_accepted(user)


def invitation_accepted_on_password_reset(sender, request, user, **kwargs):
    services.mark_invitations_accepted(user)
    # The reset link was mailed to the sign-in address: following it proves the address.
    services.record_sign_in_address(user, proved=True)


def facilitators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from .models import User

    if action == "pre_clear":
        # The cleared people are no longer listed after the clear; remember them now.
        instance._cleared_facilitators = (
            [instance] if reverse else list(instance.facilitators.all())  # instance is a Workshop when not reverse
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        users = [instance]
    elif action == "post_clear":
        users = getattr(instance, "_cleared_facilitators", [])
    else:
        users = list(User.objects.filter(pk__in=pk_set or ()))
    for user in users:
        services.sync_roles(user)


def role_groups_after_migrate(sender, **kwargs):
    # post_migrate comes once per installed app, in INSTALLED_APPS order, each after that app's permissions were
    # made: after the last of the portal's apps every permission exists, and the groups are set up once, not once
    # per app (a flush between committing tests re-runs this).
    if sender.label == roles.project_app_labels()[-1]:
        roles.ensure_role_groups()


def site_after_migrate(sender, using="default", **kwargs):
    # After django.contrib.sites made its example.com default: the portal's name and SITE_URL's domain.
    if sender.label == "participants":
        services.configure_site(using=using)


def connect():
    from allauth.account.signals import password_reset

    from sessions_app.models import Workshop

    password_reset.connect(invitation_accepted_on_password_reset, dispatch_uid="participants_invitation_reset")
    m2m_changed.connect(
        facilitators_changed, sender=Workshop.facilitators.through, dispatch_uid="participants_facilitator_role"
    )
    post_migrate.connect(role_groups_after_migrate, dispatch_uid="participants_role_groups")
    post_migrate.connect(site_after_migrate, dispatch_uid="participants_site")
    viewer.connect()
