"""What changes the report's data: the closing text, the chosen comments, and the making of the files."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from evaluations.models import FormQuestion

from . import document, pdf, selectors, spreadsheet, word
from .models import CHOSEN_COMMENTS_MAX, ChosenComment, ClosingText, GeneratedReport, text_hash

log = logging.getLogger(__name__)

# A request still waiting or running after this long lost its worker (a restart): asking again starts a new job.
STALE_AFTER = timedelta(minutes=10)


def save_closing_text(workshop, text: str, user) -> ClosingText:
    closing, _created = ClosingText.objects.get_or_create(workshop=workshop)
    closing.text = text
    closing.updated_by = user
    closing.full_clean()
    closing.save()
    return closing


def choose_comment(workshop, question_id: int, text: str, user) -> ChosenComment:
    """Pick a comment for the report; refused where the form's anonymity rules hide its comments."""
    question = (
        FormQuestion.objects.select_related("form__cohort")
        .filter(pk=question_id, form__cohort__workshop=workshop)
        .first()
    )
    if question is None or not question.is_text:
        raise ValidationError(_("No such comment."))
    if not selectors.comment_is_choosable(question, text):
        raise ValidationError(_("This comment cannot be chosen: its form has too few responses to show comments."))
    if ChosenComment.objects.filter(question__form__cohort__workshop=workshop).count() >= CHOSEN_COMMENTS_MAX:
        raise ValidationError(_("A report holds at most %(count)d comments.") % {"count": CHOSEN_COMMENTS_MAX})
    chosen, _created = ChosenComment.objects.get_or_create(
        question=question, text_hash=text_hash(text), defaults={"text": text, "chosen_by": user}
    )
    return chosen


def unchoose_comment(workshop, question_id: int, text: str) -> None:
    ChosenComment.objects.filter(
        question_id=question_id, question__form__cohort__workshop=workshop, text_hash=text_hash(text)
    ).delete()


def file_name(workshop, cohort, fmt: str, language: str = "") -> str:
    scope = cohort.name if cohort is not None else ""
    return f"{slugify(f'{workshop.slug} {scope} report {language}')}.{fmt}"


def produce(workshop, cohort, fmt: str, *, include_names: bool = False, progress=None) -> bytes:
    """The bytes of one report file."""
    step = progress or (lambda percent: None)
    data = selectors.report_data(workshop, cohort, include_names=include_names, progress=step)
    if fmt == GeneratedReport.Format.XLSX:
        content = spreadsheet.render(data)
    else:
        built = document.build(data)
        step(65)
        content = pdf.render(built) if fmt == GeneratedReport.Format.PDF else word.render(built)
    step(95)
    return content


def request_report(workshop, cohort, fmt: str, *, include_names: bool, user, language: str = "") -> GeneratedReport:
    """Ask for a fresh file; it is made in the background once this transaction commits. Asking again while one is
    being made keeps that request (no second job), unless it has waited longer than STALE_AFTER."""
    from .tasks import build_report

    if fmt not in GeneratedReport.Format.values:
        raise ValidationError(_("Unknown format."))
    with transaction.atomic():
        report, fresh = _locked(workshop, cohort, fmt), False
        if report is None:
            try:
                with transaction.atomic():  # two first requests at once: the database keeps one row
                    report = GeneratedReport.objects.create(
                        workshop=workshop, cohort=cohort, format=fmt, requested_at=timezone.now()
                    )
                    fresh = True
            except IntegrityError:
                report = _locked(workshop, cohort, fmt)
        if (
            not fresh
            and report.is_busy
            and report.include_names == include_names
            and report.language == language
            and report.requested_at > timezone.now() - STALE_AFTER
        ):
            return report
        report.include_names = include_names
        report.language = language
        report.status = GeneratedReport.Status.QUEUED
        report.progress = 0
        report.error = ""
        report.job = uuid.uuid4()
        report.requested_at = timezone.now()
        report.requested_by = user
        report.save()
        pk, job = report.pk, str(report.job)
        transaction.on_commit(lambda: build_report.delay(pk, job))
    return report


def _locked(workshop, cohort, fmt):
    # No ordering (the model's joins the group, which PostgreSQL cannot lock on the nullable side).
    return (
        GeneratedReport.objects.select_for_update()
        .filter(workshop=workshop, cohort=cohort, format=fmt)
        .order_by()
        .first()
    )


def _set(pk: int, **fields) -> None:
    GeneratedReport.objects.filter(pk=pk).update(**fields)


def build_generated_report(pk: int, job: str) -> bool:
    """Make the file a request asked for. Idempotent: a job that is no longer the current request, or that has
    already been made, does nothing (a task delivered twice makes one file)."""
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().filter(pk=pk, job=job).order_by().first()
        if report is None or report.status not in (GeneratedReport.Status.QUEUED, GeneratedReport.Status.FAILED):
            return False
        report.status = GeneratedReport.Status.RUNNING
        report.progress = 5
        report.save(update_fields=["status", "progress"])
    report = GeneratedReport.objects.select_related("workshop", "cohort").get(pk=pk)
    try:
        # One language per file, the one chosen when it was asked for (the worker's own is the site's).
        with translation.override(report.language or settings.LANGUAGE_CODE):
            content = produce(
                report.workshop,
                report.cohort,
                report.format,
                include_names=report.include_names,
                progress=lambda percent: _set(pk, progress=percent),
            )
    except Exception as exc:
        log.exception("workshop report %s failed", pk)
        _set(pk, status=GeneratedReport.Status.FAILED, error=str(exc)[:300])
        raise
    with transaction.atomic():
        current = GeneratedReport.objects.select_for_update().order_by().get(pk=pk)
        if str(current.job) != job:
            return False  # a newer request came in meanwhile; it makes its own file
        old = current.file.name if current.file else ""
        current.file.save(
            file_name(report.workshop, report.cohort, report.format, report.language), ContentFile(content), save=False
        )
        current.status = GeneratedReport.Status.DONE
        current.progress = 100
        current.generated_at = timezone.now()
        current.file_has_names = report.include_names
        current.save()
    if old and old != current.file.name:
        current.file.storage.delete(old)
    return True
