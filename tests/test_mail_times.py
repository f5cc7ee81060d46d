"""Every kind of mail the portal sends gives each moment in the recipient's zone beside the reference zone.

Mails are built by a worker whose active zone is UTC; a time formatted in that zone (the invitation's old
"14:00 your time" for a 10:00 ECT session) is caught because the UTC clock never equals the expected ones.
"""

import re
from datetime import datetime
from email import message_from_string
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from participants.models import Participant
from participants.services import invitation_message
from reminders.kinds import KINDS
from reminders.models import OneOffMessage, ReminderRule
from reminders.services import build_one_off_message, build_rule_message
from sessions_app.models import PreparationTask
from sessions_app.selectors import cohort_occurrences

ECT = ZoneInfo("America/Port_of_Spain")
CLOCK = re.compile(r"\b\d{2}:\d{2}\b")

# Recipients: a day ahead of the reference zone (dates differ), a zone without an abbreviation, the same zone.
ZONES = ["Pacific/Kiritimati", "Pacific/Galapagos", "America/Port_of_Spain"]


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def day(moment: datetime, short: bool = False) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}" if short else f"{moment:%A} {moment.day} {moment:%B}"


def assert_moment(text: str, moment: datetime, zone: str, *, with_date: bool = True, short: bool = False) -> None:
    """The moment appears as the recipient reads it and as the reference zone reads it, never in UTC."""
    local, reference, utc = (
        moment.astimezone(ZoneInfo(zone)),
        moment.astimezone(ECT),
        moment.astimezone(ZoneInfo("UTC")),
    )
    assert f"{utc:%H:%M}" not in text, f"a UTC time in: {text}"
    if local.utcoffset() == reference.utcoffset():
        assert f"{reference:%H:%M}" in text and "ECT" in text, text
        assert "your time" not in text, text
        if with_date:
            assert day(reference, short) in text, text
        return
    assert re.search(rf"{local:%H:%M}(–\d\d:\d\d)? your time", text), text
    assert re.search(rf"· ({re.escape(day(reference, short))} )?{reference:%H:%M}(–\d\d:\d\d)? ECT", text), text
    if with_date:
        assert day(local, short) in text, text
    if local.date() != reference.date():
        # Near midnight the reference side says its own day.
        assert re.search(rf"· {re.escape(day(reference, short))} {reference:%H:%M}", text), text


def assert_no_clock(text: str) -> None:
    assert not CLOCK.search(text), text


def assert_well_formed(mail) -> None:
    raw = mail.message().as_string()
    headers = message_from_string(raw)
    assert headers["Message-ID"].endswith("@testserver>")
    assert not re.search(r"^Subject:[ \t]*\r?\n", raw, re.MULTILINE), raw[:400]


@pytest.fixture
def recipient(demo, request):
    participant = Participant.objects.select_related("user", "cohort__workshop", "country").get(
        user__email="participant@demo.test"
    )
    participant.user.timezone = request.param
    participant.user.save(update_fields=["timezone"])
    return participant


def target_for(kind: str, participant, workshop):
    rule = ReminderRule.objects.get(workshop=workshop, kind=kind, offset_minutes=_offset(workshop, kind))
    target = next(t for t in KINDS[kind].targets(rule) if t.cohort_id == participant.cohort_id)
    return rule, target


def _offset(workshop, kind):
    return ReminderRule.objects.filter(workshop=workshop, kind=kind).order_by("offset_minutes").first().offset_minutes


def worker():
    """What a Celery worker runs in: UTC active, the default language."""
    return timezone.override(ZoneInfo("UTC")), translation.override("en")


@pytest.mark.parametrize("recipient", ZONES, indirect=True)
def test_every_mail_gives_each_moment_in_the_recipients_zone_and_ect(recipient, demo, client, mailoutbox):
    zone = recipient.user.timezone
    workshop = recipient.cohort.workshop
    assert workshop.reference_timezone == "America/Port_of_Spain" and workshop.reference_timezone_label == "ECT"
    built = []
    tz_context, language = worker()
    with tz_context, language:
        # Invitation: the first session of the group.
        first = cohort_occurrences(recipient.cohort)[0]
        mail = invitation_message(recipient)
        assert_moment(mail.body, first.starts_at, zone)
        assert_moment(plain(mail.alternatives[0][0]), first.starts_at, zone)
        built.append(mail)

        # Session tomorrow: start and end, on one line of the plain text.
        rule, target = target_for("session_before", recipient, workshop)
        mail = build_rule_message(rule, target, recipient)
        (when,) = [line for line in mail.body.splitlines() if line.startswith("When:")]
        assert_moment(when, target.occurrence.starts_at, zone)
        end_local, end_reference = (
            target.occurrence.ends_at.astimezone(ZoneInfo(zone)),
            target.occurrence.ends_at.astimezone(ECT),
        )
        assert f"–{end_local:%H:%M}" in when and f"–{end_reference:%H:%M} ECT" in when
        assert_moment(plain(mail.alternatives[0][0]), target.occurrence.starts_at, zone)
        assert_moment(mail.subject, target.occurrence.starts_at, zone, short=True)
        built.append(mail)

        # Preparation and DTCA due: the due moment, in the body and the subject.
        for kind in ("task_due", "dtca_due"):
            rule, target = target_for(kind, recipient, workshop)
            mail = build_rule_message(rule, target, recipient)
            (due,) = [line for line in mail.body.splitlines() if line.startswith("Due:")]
            assert_moment(due, target.anchor, zone)
            assert_moment(plain(mail.alternatives[0][0]), target.anchor, zone)
            assert_moment(mail.subject, target.anchor, zone, short=True)
            built.append(mail)

        # Evaluation invitation and follow-up: until when the form is open.
        for kind in ("evaluation_invite", "evaluation_followup"):
            rule, target = target_for(kind, recipient, workshop)
            mail = build_rule_message(rule, target, recipient)
            assert_moment(mail.body, target.form.closes_at, zone)
            assert_moment(plain(mail.alternatives[0][0]), target.form.closes_at, zone)
            assert_no_clock(mail.subject)
            built.append(mail)

        # Action plan follow-up and a facilitator's one-off message mention no moment: none may slip in.
        rule, target = target_for("action_plan_followup", recipient, workshop)
        mail = build_rule_message(rule, target, recipient)
        assert_no_clock(mail.body + mail.subject + plain(mail.alternatives[0][0]))
        built.append(mail)
        task = PreparationTask.objects.filter(session__workshop=workshop).first()
        message = OneOffMessage.objects.create(
            cohort=recipient.cohort, task=task, subject="Your slides, please", body="Only two days left."
        )
        mail = build_one_off_message(message, recipient)
        assert_no_clock(mail.body + plain(mail.alternatives[0][0]))
        built.append(mail)

    # Password reset (allauth): sent from the request, mentions no moment.
    response = client.post(reverse("account_reset_password"), {"email": recipient.user.email})
    assert response.status_code == 302
    (reset,) = [m for m in mailoutbox if m.to == [recipient.user.email]]
    assert "password" in reset.body.lower()
    assert_no_clock(reset.body)
    built.append(reset)

    # A fresh set-password link (asked for on the sign-in page, sent by the worker): no moment either.
    from participants.services import deliver_new_link

    tz_context, language = worker()
    with tz_context, language:
        assert deliver_new_link(recipient.pk)
    new_link = mailoutbox[-1]
    assert new_link.to == [recipient.user.email] and "password" in new_link.body
    assert_no_clock(new_link.body)
    built.append(new_link)

    for mail in built:
        assert_well_formed(mail)


def test_near_midnight_the_reference_side_carries_its_own_date(demo):
    from common import timefmt

    moment = datetime(2026, 12, 3, 5, 30, tzinfo=ZoneInfo("UTC"))  # 23:30 on the 2nd at UTC−6, 01:30 on the 3rd ECT
    with timezone.override(ZoneInfo("UTC")):
        text = timefmt.moment_text(moment, demo, "Pacific/Galapagos")
        html = timefmt.moment_html(moment, demo, "Pacific/Galapagos", date="long")
    assert text == "Wednesday 2 December 2026, 23:30 your time (Pacific/Galapagos) · Thursday 3 December 01:30 ECT"
    assert "your time (UTC−6)" in html and "· Thursday 3 December 01:30 ECT" in plain(html)
    assert timefmt.moment_text(moment, demo, "America/Port_of_Spain") == "Thursday 3 December 2026, 01:30 ECT"


def test_long_non_ascii_subjects_fold_without_an_empty_first_line(demo):
    from common.mail import PortalMail

    subject = "Reminder: “A preparation task with a rather long title indeed” is due Tue 23 Feb, 09:00 your time"
    raw = PortalMail(subject=subject, body="x", to=["a@example.org"]).message().as_string()
    (first_line,) = [line for line in raw.splitlines() if line.startswith("Subject:")]
    assert first_line.startswith("Subject: =?utf-8?")
    from email.header import decode_header, make_header

    assert str(make_header(decode_header(message_from_string(raw)["Subject"]))) == subject
