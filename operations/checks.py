from django.core.checks import Warning, register


@register("operations", deploy=True)
def silent_mail_backend(app_configs, **kwargs):
    from reminders.services import silent_mail_refusal

    if silent_mail_refusal():
        return [
            Warning(
                "EMAIL_BACKEND only prints or drops mail; reminders will be refused.",
                hint="Set EMAIL_URL to a real mail server (or ALLOW_CONSOLE_EMAIL=1 if that is really wanted).",
                id="operations.W001",
            )
        ]
    return []
