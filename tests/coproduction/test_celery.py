import logging
import socket
import threading
from unittest import mock

import pytest
from celery import Celery
from django.core import mail
from kombu.exceptions import OperationalError

from coproduction.celery import Task
from engagement.tasks import report_received_send_task
from tests.engagement.factories import IssueReportFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_now")]


def test_a_report_is_saved_and_acknowledged_when_the_broker_is_down(broker_down):
    # when: a resident reports litter (the service sends the acknowledgement on commit)
    report = IssueReportFactory(reporter__email="sam@example.org")
    # then: sending was tried once, then the email went from this process
    assert broker_down.call_count == 1, broker_down.call_args_list
    assert broker_down.call_args.args[0] == (report.pk,)
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad"),
        # the mail server down too: the task retries on OSError, which in process would
        # run again at once and raise out of the commit
        ConnectionRefusedError(111, "Connection refused"),
    ],
)
def test_a_task_that_fails_in_process_is_tried_once_and_logged_not_raised(
    broker_down, caplog, error
):
    # given
    report = IssueReportFactory(reporter__email="sam@example.org")
    mail.outbox.clear()
    # when
    with (
        mock.patch("engagement.notifications.report_received_send", side_effect=error) as send,
        caplog.at_level(logging.ERROR, logger="coproduction.celery"),
    ):
        report_received_send_task.delay_on_commit(report.pk)
    # then
    assert send.call_count == 1
    assert "report_received_send_task failed in process" in caplog.text
    assert repr(error) in caplog.text
    assert not mail.outbox


def test_a_broker_error_in_embedded_mode_is_not_hidden(settings):
    # given: no broker at all, tasks run eagerly; an error there is the code's own
    report = IssueReportFactory()
    with (
        mock.patch(
            "engagement.notifications.report_received_send", side_effect=OperationalError("x")
        ),
        pytest.raises(OperationalError),
    ):
        # when / then
        report_received_send_task.delay_on_commit(report.pk)


def probe_task(monkeypatch, broker_url: str):
    """A task on a Celery app with this project's settings, sending to `broker_url`."""
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)  # Celery reads it before settings
    app = Celery("probe", task_cls=Task, set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker_url, task_always_eager=False)

    @app.task(name="probe.noop")
    def noop():
        return None

    return noop


def test_sending_to_a_broker_that_is_down_gives_up_without_waiting(monkeypatch):
    # given: this project's Celery settings, with Redis at a port where nothing listens
    noop = probe_task(monkeypatch, "redis://127.0.0.1:1/0")
    slept = []
    # when
    with (
        mock.patch("kombu.utils.functional.sleep", side_effect=slept.append),
        pytest.raises(OperationalError),
    ):
        noop.apply_async(retry=False)
    # then: one more try and no wait, where kombu's defaults retry for two seconds
    assert sum(slept) < 0.5, slept
    assert len(slept) <= 1


def test_sending_to_a_redis_that_does_not_answer_gives_up(monkeypatch):
    # given: a server that accepts connections and never answers (a paused Redis)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    noop = probe_task(monkeypatch, f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
    outcome = []

    def send():
        try:
            noop.apply_async(retry=False)
        except OperationalError as exc:
            outcome.append(exc)

    # when
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(timeout=60)
    silent.close()
    # then: the send failed, where without socket timeouts it waits for ever
    assert not sender.is_alive()
    assert outcome
