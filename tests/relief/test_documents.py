"""Supporting documents: checked on the server by extension and by content, capped in size; a refused file
stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.relief.documents import MAX_DOCUMENT_BYTES, document_check
from apps.relief.exceptions import DocumentRefused
from apps.relief.models import Claim, ClaimDocument

from .conftest import PDF, PNG, docx, pdf

pytestmark = pytest.mark.django_db
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 24


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize("name, content, kind", [
    ("a.pdf", PDF, "pdf"), ("b.PNG", PNG, "png"), ("c.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "jpg"),
    ("d.hwp", OLE, "hwp"),
])
def test_the_accepted_types_pass_when_their_content_matches(name, content, kind):
    assert document_check(upload(name, content)) == kind


def test_a_real_docx_passes():
    assert document_check(docx()) == "docx"


@pytest.mark.parametrize("name, content", [
    ("invoice.pdf", b"MZ\x90\x00 this is a windows program"),  # a program renamed .pdf
    ("photo.png", PDF),  # a PDF renamed .png
    ("letter.docx", b"PK\x03\x04 not really a zip"),  # a zip signature without the parts
    ("form.hwp", PDF),
])
def test_a_spoofed_extension_is_refused(name, content):
    with pytest.raises(DocumentRefused, match="내용이 확장자와 맞지 않습니다"):
        document_check(upload(name, content))


@pytest.mark.parametrize("name", ["run.exe", "page.html", "script.js", "noextension", "archive.zip"])
def test_other_types_are_refused_whatever_their_content(name):
    with pytest.raises(DocumentRefused, match="다음 형식의 파일만"):
        document_check(upload(name, PDF))


def test_a_file_over_ten_megabytes_is_refused():
    big = upload("big.pdf", PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF) + 1))
    with pytest.raises(DocumentRefused, match="최대 10 MB"):
        document_check(big)
    assert document_check(upload("limit.pdf", PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF)))) == "pdf"


def test_an_empty_file_is_refused():
    with pytest.raises(DocumentRefused, match="비어 있습니다"):
        document_check(upload("empty.pdf", b""))


def test_a_claim_with_one_bad_document_is_not_filed_and_stores_no_file(file_claim, private_media):
    with pytest.raises(DocumentRefused):
        file_claim(documents=[pdf(), upload("fake.pdf", b"<html>")])
    assert not Claim.objects.exists() and not ClaimDocument.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_stored_files_get_a_random_name_not_the_uploaded_one(file_claim):
    claim = file_claim(documents=[pdf("../../etc/passwd.pdf")])
    document = claim.documents.get()
    assert document.original_name.endswith("passwd.pdf")
    assert document.file.name == f"relief/claims/{claim.pk}/{document.token}.pdf"
