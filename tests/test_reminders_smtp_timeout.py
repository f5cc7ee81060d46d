"""A hanging SMTP server costs EMAIL_TIMEOUT and holds no database transaction while the send waits.

The test commits (it checks that no transaction is open), so it lives apart from the tests that roll back: a file
holds one kind or the other (see tests/shared_demo.py).
"""

import socket
import threading
import time

import pytest
from django.core.mail.backends import smtp

from reminders import services
from reminders.models import Delivery
from reminders.services import TransientMailError

from .test_reminders_faults import _one_off_delivery


@pytest.fixture
def hanging_smtp_server():
    """Accepts connections and never says a word, as a stuck mail server does."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.mark.django_db(transaction=True)
def test_a_hanging_smtp_server_costs_email_timeout_and_holds_no_transaction(
    settings, programme, hanging_smtp_server, monkeypatch
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", hanging_smtp_server, 1
    delivery = _one_off_delivery(programme)
    in_transaction = []
    original_open = smtp.EmailBackend.open

    def open_and_note(backend):
        from django.db import connection

        in_transaction.append(connection.in_atomic_block)
        return original_open(backend)

    monkeypatch.setattr(smtp.EmailBackend, "open", open_and_note)

    started = time.monotonic()
    with pytest.raises(TransientMailError, match="timed out"):
        services.send_delivery(delivery.pk)
    assert time.monotonic() - started < 10
    assert in_transaction == [False]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.claimed_at) == (Delivery.Status.PENDING, 1, None)
