"""Reminders under mail faults: a hanging SMTP server, a worker killed in the middle of a send.

The guarantee is at least once with a stable Message-ID: nothing is lost, and the one message whose send
was cut off may arrive twice, recognisably the same message.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from reminders import services
from reminders.models import Delivery

from .factories import ParticipantFactory, TaskFactory

ROOT = Path(__file__).resolve().parent.parent


def _one_off_delivery(programme) -> Delivery:
    cohort = programme.cohorts.get(name="Group A")
    ParticipantFactory(cohort=cohort)
    task = TaskFactory(session=programme.sessions.first())
    message = services.OneOffMessage.objects.create(cohort=cohort, task=task, subject="Read", body="Chapter 1")
    return Delivery.objects.create(
        message=message,
        participant=cohort.participants.get(),
        target_key=f"task:{task.pk}",
        scheduled_for=timezone.now(),
    )


@pytest.mark.django_db
def test_every_delivery_carries_a_stable_message_id_on_the_site_domain(settings, programme):
    settings.SITE_URL = "https://workshops.example.org"
    delivery = _one_off_delivery(programme)
    mail.outbox = []
    assert services.send_delivery(delivery.pk) == "sent"
    sent = mail.outbox[0].message()
    assert sent["Message-ID"] == f"<reminder-delivery-{delivery.pk}@workshops.example.org>"
    assert services.message_id_for(delivery) == sent["Message-ID"]


@pytest.mark.django_db
def test_the_dispatcher_sends_again_a_claim_left_by_a_dead_worker_but_not_a_fresh_one(
    settings, programme, django_capture_on_commit_callbacks
):
    settings.REMINDER_STALE_CLAIM_SECONDS = 300
    stale = _one_off_delivery(programme)
    fresh = Delivery.objects.create(
        message=stale.message,
        participant=ParticipantFactory(cohort=stale.participant.cohort),
        target_key=stale.target_key,
        scheduled_for=timezone.now(),
    )
    now = timezone.now()
    Delivery.objects.filter(pk=stale.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - timedelta(minutes=6), enqueued_at=now - timedelta(minutes=6)
    )
    Delivery.objects.filter(pk=fresh.pk).update(
        status=Delivery.Status.SENDING, claimed_at=now - timedelta(minutes=1), enqueued_at=now - timedelta(minutes=1)
    )
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        assert services.enqueue_pending() == [stale.pk]

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (Delivery.Status.SENT, Delivery.Status.SENDING)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [services.message_id_for(stale)]


@pytest.mark.django_db
def test_a_delivery_cut_off_again_and_again_is_given_up_not_retried_forever(settings, programme):
    delivery = _one_off_delivery(programme)
    long_ago = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, claimed_at=long_ago, enqueued_at=long_ago, attempts=services.MAX_CLAIMS
    )
    mail.outbox = []
    assert services.enqueue_pending() == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and "5 times" in delivery.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_bug_while_sending_marks_the_delivery_failed_instead_of_leaving_it_claimed(programme, monkeypatch):
    delivery = _one_off_delivery(programme)

    def broken_send(self, fail_silently=False):
        raise ValueError("header contains a newline")

    monkeypatch.setattr(services.PortalMail, "send", broken_send)
    with pytest.raises(ValueError):
        services.send_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and "newline" in delivery.last_error


# --- A real worker, a real broker, a real SMTP server ------------------------------------------------------


class RecordingHandler:
    """Keeps every message it accepts; holds the reply to the Nth, as if the line went quiet there."""

    def __init__(self, hold_reply_to: int):
        self.messages = []
        self.hold_reply_to = hold_reply_to
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.messages.append(message_from_bytes(envelope.content))
        if len(self.messages) == self.hold_reply_to:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}")


def _forget_queue(redis_url, queue):
    """Drop this test's queue and the message the killed worker left unacknowledged in Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


@pytest.mark.integration
def test_a_worker_killed_mid_send_loses_nothing_and_resends_only_the_message_in_flight(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set; .ci/run sets it so CI runs this test against the real Redis.")
    from aiosmtpd.controller import Controller

    participants = 5
    handler = RecordingHandler(hold_reply_to=3)
    with socket.create_server(("127.0.0.1", 0)) as probe:
        smtp_port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    queue = f"test-fault-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "workshop_portal.settings",
        "DEBUG": "0",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "5",
        "SITE_URL": "https://workshops.example.org",
        "REMINDER_STALE_CLAIM_SECONDS": "1",
        "FAULT_QUEUE": queue,
        "FAULT_PARTICIPANTS": str(participants),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)

    def step(name):
        result = subprocess.run(
            [sys.executable, "-m", "tests.reminder_fault_scenario", name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def worker(log_name):
        log = open(tmp_path / log_name, "w")  # noqa: SIM115 - closed with the process below
        command = [sys.executable, "-m", "celery", "-A", "workshop_portal", "worker", "--pool=solo", "-Q", queue]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log

    first = second = None
    try:
        step("setup")
        first, first_log = worker("worker-1.log")
        step("send")
        _wait_for(handler.holding.is_set, 90, "the third message to reach the SMTP server")
        first.send_signal(signal.SIGKILL)  # the server has the mail; the worker never hears back
        first.wait(10)
        first_log.close()
        handler.release.set()

        second, second_log = worker("worker-2.log")
        _wait_for(lambda: len(handler.messages) == participants, 90, "the queued messages to be sent")
        in_flight = [row for row in json.loads(step("report")) if row["status"] == Delivery.Status.SENDING]
        assert len(in_flight) == 1, in_flight  # the killed worker's claim: the broker will not redeliver for an hour
        time.sleep(1.5)  # older than REMINDER_STALE_CLAIM_SECONDS
        step("dispatch")
        _wait_for(lambda: len(handler.messages) == participants + 1, 60, "the stale claim to be sent again")
        time.sleep(1)  # room for an unwanted extra send to show up
        rows = json.loads(step("report"))
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(30)
        if second is not None:
            second_log.close()
        controller.stop()
        _forget_queue(redis_url, queue)

    assert [row["status"] for row in rows] == [Delivery.Status.SENT] * participants
    received = [(m["To"], m["Message-ID"]) for m in handler.messages]
    assert sorted({to for to, _ in received}) == sorted(row["participant__user__email"] for row in rows)
    expected_ids = {row["participant__user__email"]: row["message_id"] for row in rows}
    assert all(message_id == expected_ids[to] for to, message_id in received)
    twice = [pair for pair in set(received) if received.count(pair) > 1]
    assert twice == [(in_flight[0]["participant__user__email"], in_flight[0]["message_id"])]
    assert received.count(twice[0]) == 2
