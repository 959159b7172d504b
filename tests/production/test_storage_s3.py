"""Stored files through S3-compatible object storage: moto's S3 server on 127.0.0.1 stands in for it.

An upload lands as a private object (no public grant, server-side encrypted), is read back through
PeerCert's checked download view (never a storage URL), and the storage archive used by backups carries
it."""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from peercert.core import samples
from tests.production.conftest import free_port

pytestmark = pytest.mark.django_db
BUCKET = "peercert-documents"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-west-1"}


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, **KEYS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-west-1"})
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storage(s3_server, monkeypatch):
    endpoint, client = s3_server
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEYS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", KEYS["aws_secret_access_key"])
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-west-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield client


def test_council_minutes_go_to_s3_privately_and_come_back_through_the_checked_view(s3_storage, client):
    from peercert.council.tests.factories import published_meeting_with_pdf

    meeting = published_meeting_with_pdf()
    key = meeting.minutes_file.name
    assert key.startswith("council/minutes/")
    head = s3_storage.head_object(Bucket=BUCKET, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    grants = s3_storage.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant
    # A URL the storage could give is signed and short-lived; PeerCert never hands one out.
    url = default_storage.url(key)
    assert "Signature=" in url and "Expires=" in url

    response = client.get(reverse("council:meeting_minutes_file", args=[meeting.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_storage_archive_carries_every_object(s3_storage, tmp_path):
    default_storage.save("registry/bulk/sample.csv", ContentFile(b"number,status\nPSS-000001,active\n"))
    archive = tmp_path / "files.tar.gz"
    call_command("storage_archive", out=str(archive))
    default_storage.delete("registry/bulk/sample.csv")
    call_command("storage_archive", restore=str(archive))
    with default_storage.open("registry/bulk/sample.csv", "rb") as handle:
        assert handle.read() == b"number,status\nPSS-000001,active\n"
