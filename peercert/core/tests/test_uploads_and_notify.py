import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from peercert.accounts.tests.factories import UserFactory
from peercert.core import samples
from peercert.core.errors import ApplicationError
from peercert.core.models import Notification
from peercert.core.notify import notify
from peercert.core.uploads import validate_upload

PDF, PNG, JPEG = samples.PDF, samples.PNG, samples.JPEG


@pytest.mark.parametrize("content,kind", [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg")])
def test_accepts_real_documents(content, kind):
    assert validate_upload(SimpleUploadedFile("scan.bin", content)) == kind


def test_refuses_a_renamed_file_by_its_contents():
    fake = SimpleUploadedFile("diploma.pdf", b"MZ\x90\x00 this is a windows program")
    with pytest.raises(ApplicationError, match="contents were checked"):
        validate_upload(fake)


def test_refuses_empty_and_oversized_files():
    with pytest.raises(ApplicationError, match="empty"):
        validate_upload(SimpleUploadedFile("id.png", b""))
    with pytest.raises(ApplicationError, match="limit is 1 MB"):
        validate_upload(SimpleUploadedFile("id.pdf", PDF + b"0" * 2_000_000), max_bytes=1_048_576)


def test_refuses_a_kind_not_asked_for():
    with pytest.raises(ApplicationError, match="PDF"):
        validate_upload(SimpleUploadedFile("photo.png", PNG), kinds=("pdf",))


def test_validate_leaves_the_file_readable_from_where_it_was():
    upload = SimpleUploadedFile("id.pdf", PDF)
    validate_upload(upload)
    assert upload.read() == PDF


@pytest.mark.django_db(transaction=True)
def test_notify_shows_in_account_and_emails_once_committed():
    user = UserFactory(email="zoe@test.peercert.example")
    notification = notify(user=user, subject="Your application was approved", body="Next: training.", url="/")
    assert Notification.objects.filter(user=user).count() == 1
    assert [m.to for m in mail.outbox] == [["zoe@test.peercert.example"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
