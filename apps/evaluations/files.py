"""Evidence files are private: kept under MEDIA_ROOT/private/ with random names, never given a public URL, and
handed out only by the views (portal and API) that first find the record among those the user may see."""

from django.http import FileResponse, Http404

from .models import SharingRecord


def evidence_response(record: SharingRecord) -> FileResponse:
    """The record's evidence file as a download (never shown inline); 404 when there is none."""
    if not record.evidence_file:
        raise Http404("This record has no evidence file.")
    try:
        handle = record.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The evidence file is missing.") from exc
    response = FileResponse(handle, as_attachment=True, filename=record.evidence_name or "evidence",
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
