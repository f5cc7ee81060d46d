"""Mail backends for tests: one that fails for some recipients, as a flaky SMTP server would."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

FAILING_ADDRESSES: set[str] = set()
ATTEMPTS: list[str] = []


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            ATTEMPTS.append(message.to[0])
            if message.to[0] in FAILING_ADDRESSES:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def outbox():
    return getattr(mail, "outbox", [])
