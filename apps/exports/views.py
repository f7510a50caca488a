"""The auditors' export pages (/auditor/exports/): the export form with one's jobs, each job's JSON status for
the progress bar, and the download. Signed-out visitors are sent to sign in; anyone but an auditor or a fund
administrator is refused (403).

A small export (under `DIRECT_LIMIT` lines) downloads at once as a streaming response; a larger one becomes an
export job written by a Celery task, and the page follows its progress."""

from __future__ import annotations

import uuid
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .exceptions import NotReady
from .forms import ExportForm
from .models import ExportFormat, ExportJob, JobStatus
from .selectors import control_totals, jobs_visible_to, may_export, rows_to_write
from .sources import snapshot
from .spec import ExportSpec
from .writers import Export

DIRECT_LIMIT = 50_000
CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.XML: "application/xml; charset=utf-8",
}


def exporters_only(view):
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not may_export(request.user):
            raise PermissionDenied("only auditors and fund administrators may export the ledger")
        return view(request, *args, **kwargs)

    return checked


@exporters_only
def index(request):
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        spec = form.spec
        if _is_small(spec):
            return streaming_response(spec)
        job = services.export_job_create(actor=request.user, kind=spec.kind, format=spec.format,
                                         fund=spec.fund_code, account=spec.account.code if spec.account else "",
                                         date_from=spec.date_from, date_to=spec.date_to,
                                         idempotency_key=request.POST.get("idempotency_key") or None)
        messages.info(request, _("The export is being written; it can be downloaded here when it is done."))
        return redirect(reverse("exports:index") + f"#job-{job.pk}")
    jobs = jobs_visible_to(request.user).select_related("requested_by")[:50]
    return render(request, "exports/index.html", {"form": form, "jobs": jobs, "direct_limit": DIRECT_LIMIT,
                                                  "idempotency_key": uuid.uuid4().hex})


def _is_small(spec: ExportSpec) -> bool:
    with snapshot():
        return rows_to_write(spec, control_totals(spec)) < DIRECT_LIMIT


def streaming_response(spec: ExportSpec) -> StreamingHttpResponse:
    response = StreamingHttpResponse(Export(spec).chunks(), content_type=CONTENT_TYPES[spec.format])
    response["Content-Disposition"] = f'attachment; filename="{spec.filename}"'
    return response


@exporters_only
def job_status(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    return JsonResponse({
        "id": job.pk, "status": job.status, "status_display": job.get_status_display(), "progress": job.progress,
        "lines_done": job.lines_done, "lines_total": job.lines_total, "error": job.error,
        "download_url": reverse("exports:job_download", args=[job.pk]) if job.status == JobStatus.DONE else None,
    })


@exporters_only
def job_download(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    try:
        return file_response(job)
    except NotReady as exc:
        return JsonResponse({"code": exc.code, "detail": exc.message}, status=exc.status)


def file_response(job: ExportJob) -> FileResponse:
    """The job's file as an attachment, or NotReady while it is not done (or after it expired)."""
    path = Path(settings.MEDIA_ROOT) / job.file if job.file else None
    if job.status != JobStatus.DONE or path is None or not path.exists():
        raise NotReady(_("This export is %(status)s: there is nothing to download.")
                       % {"status": job.get_status_display()})
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=CONTENT_TYPES[job.format])
