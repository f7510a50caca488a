"""What a claim's supporting document may be: checked on the server by its extension AND by its content.

A file is accepted only when its extension is on the list and its first bytes (and, for the zip-based formats, its
parts) are what that extension promises: a `.pdf` that is really a program, or a `.png` that is a PDF, is refused.
The size is capped per file. Nothing here trusts the browser's declared content type.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .exceptions import DocumentRefused

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS_PER_CLAIM = 20
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: HWP 5.0


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str


KINDS = {
    "pdf": Kind("pdf", "application/pdf"),
    "png": Kind("png", "image/png"),
    "jpg": Kind("jpg", "image/jpeg"),
    "jpeg": Kind("jpg", "image/jpeg"),
    "docx": Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "hwp": Kind("hwp", "application/x-hwp"),
    "hwpx": Kind("hwpx", "application/hwp+zip"),
}
ALLOWED_EXTENSIONS = ", ".join(sorted({k.upper() for k in KINDS} - {"JPEG"}))


def content_type_of(kind: str) -> str:
    return KINDS[kind].content_type if kind in KINDS else "application/octet-stream"


def _zip_names(upload) -> set[str]:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        upload.seek(0)


def _content_matches(kind: str, head: bytes, upload) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "hwp":
        return head.startswith(OLE_SIGNATURE)
    if not head.startswith(b"PK\x03\x04"):
        return False
    names = _zip_names(upload)
    if kind == "docx":
        return "[Content_Types].xml" in names and "word/document.xml" in names
    return "mimetype" in names and any(n.startswith("Contents/") for n in names)  # hwpx


def document_check(upload) -> str:
    """The checked kind (`pdf`, `png`, `jpg`, `docx`, `hwp`, `hwpx`) of an uploaded file, or DocumentRefused
    naming the file and what is wrong with it."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise DocumentRefused(
            _("%(name)s: only these file types are accepted: %(types)s.") % {"name": name, "types": ALLOWED_EXTENSIONS},
            field="documents")
    size = upload.size or 0
    if size == 0:
        raise DocumentRefused(_("%(name)s is empty.") % {"name": name}, field="documents")
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(
            _("%(name)s is %(size)s MB; each document may be at most %(max)s MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "max": MAX_DOCUMENT_BYTES // 1024 // 1024},
            field="documents")
    kind = KINDS[extension].code
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _content_matches(kind, head, upload):
        raise DocumentRefused(
            _("%(name)s is not a real %(type)s file: its content does not match its extension.")
            % {"name": name, "type": extension.upper()}, field="documents")
    return kind
