"""Auditors' ledger exports (CSV, XLSX, SAF-T XML).

Design
- An export is described by an `ExportSpec` (`spec.py`): which books (one fund or every fund), which period, what
  (general-ledger detail, journal, trial balance, one account's statement, or the whole ledger as SAF-T) and in
  which format. Everything an export writes is read from one snapshot of the ledger (`snapshot.py`), so the rows,
  the control totals and the seal it names agree even while postings go on.
- Every export carries control totals (entries, lines, total debit, total credit) and, per book, the number and
  hash of the last sealed entry it covers, so an auditor can tie the file to `manage.py ledger_verify`.
- Exports stream: rows come from the database as a stream (PostgreSQL `COPY ... TO STDOUT`: the server writes the
  CSV itself, or sends binary rows that Python formats; chunked fetches on SQLite) and are written as they come,
  never held whole.
- A small export downloads at once as a streaming response. A large one is an `ExportJob`: a Celery task
  (`exports.run`) writes the file under MEDIA_ROOT/exports, recording its progress on the job as it goes; the page
  polls the job's JSON status and offers the download when it is done. `exports.purge_expired` deletes files older
  than `EXPORTS_RETENTION_DAYS` (default 7).
- Only fund administrators and auditors may export (`selectors.may_export`); each sees their own jobs, a fund
  administrator everyone's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    GENERAL_LEDGER = "gl", _("General-ledger detail")
    JOURNAL = "journal", _("Journal")
    TRIAL_BALANCE = "trial-balance", _("Trial balance")
    STATEMENT = "statement", _("Account statement")
    SAFT = "saft", _("Whole ledger (SAF-T XML)")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (UTF-8, opens in Excel)")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    XML = "xml", _("SAF-T XML")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    kind = models.CharField(_("what"), max_length=16, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    fund_code = models.CharField(_("fund"), max_length=64, blank=True, help_text=_("Empty: every fund."))
    account_code = models.CharField(_("account"), max_length=32, blank=True)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    lines_done = models.BigIntegerField(_("lines done"), default=0)
    lines_total = models.BigIntegerField(_("lines in all"), default=0)
    file = models.CharField(_("file"), max_length=255, blank=True,
                            help_text=_("Path under MEDIA_ROOT; served only through the download view."))
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    control = models.JSONField(_("control totals"), default=dict, blank=True,
                               help_text=_("Entries, lines, total debit and credit, and the last seal per book."))
    error = models.TextField(_("error"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exports_job_user_created")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="exports_job_progress_at_most_100"),
            models.CheckConstraint(condition=Q(date_to__gte=models.F("date_from")), name="exports_job_period_order"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}.{self.format} {self.fund_code or 'all'} {self.date_from}–{self.date_to}"

    @property
    def filename(self) -> str:
        """The name the download is saved under, e.g. `wwcf-gl-2026-01-01-2026-12-31.csv`."""
        return download_name(self.fund_code, self.kind, self.account_code, self.date_from, self.date_to, self.format)


def download_name(fund_code: str, kind: str, account_code: str, date_from, date_to, fmt: str) -> str:
    parts = [fund_code or "all-funds", kind, *([account_code] if account_code else []),
             date_from.isoformat(), date_to.isoformat()]
    return "-".join(parts) + "." + fmt
