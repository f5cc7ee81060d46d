"""Outbound mail: the portal's domain in Message-IDs and Subject headers that mail programs read well.

Every mail the portal builds is a ``PortalMail`` (allauth's mails are turned into one by the account
adapter). It names the site's domain, taken from SITE_URL, in its Message-ID instead of the machine's name
(``@localhost`` in containers), unless the sender set a Message-ID of its own (a stable one, for example).
Django's DNS_NAME is left alone on purpose: the SMTP backend also uses it to greet the mail server (EHLO).
"""

from __future__ import annotations

from email.header import Header
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives


def site_domain() -> str:
    """The host of SITE_URL (``portal.example.org``), without port."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(idstring: str | None = None) -> str:
    """A new ``<…@site-domain>`` Message-ID."""
    return make_msgid(idstring=idstring, domain=site_domain())


def _folded_subject(subject: str) -> str:
    """RFC 2047 encoded words sized for a first line that starts with ``Subject: ``, on one logical line.

    Django encodes a non-ASCII subject without knowing the header's name, so the first encoded word is too
    long to share a line with ``Subject:`` and the header starts with an empty line, which some mail
    programs show as an empty subject. Encoded words separated by spaces fold cleanly between words.
    """
    return " ".join(Header(subject, "utf-8", header_name="Subject").encode().split())


class PortalMail(EmailMultiAlternatives):
    """An e-mail with a text body and, usually, an HTML alternative; its Subject header folds cleanly and its
    Message-ID names the site's domain."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        if not any(name.lower() == "message-id" for name in self.extra_headers):
            msg.replace_header("Message-ID", message_id())
        subject = str(self.subject)
        if "Subject" in msg and not subject.isascii():
            # replace_header skips Django's re-encoding; the value is plain ASCII encoded words.
            msg.replace_header("Subject", _folded_subject(subject))
        return msg


def portal_mail(message: EmailMessage) -> PortalMail:
    """The same mail as a PortalMail (for messages built by libraries, such as allauth's)."""
    if isinstance(message, PortalMail):
        return message
    mail = PortalMail(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        cc=message.cc,
        bcc=message.bcc,
        reply_to=message.reply_to,
        headers=message.extra_headers,
        alternatives=getattr(message, "alternatives", None),
        connection=message.connection,
    )
    mail.content_subtype = message.content_subtype
    mail.mixed_subtype = message.mixed_subtype
    mail.attachments = list(message.attachments)
    return mail
