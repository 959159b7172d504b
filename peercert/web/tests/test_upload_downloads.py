"""Uploads through the forms, and every upload download view, over HTTP (issue 11, findings 1 and 2).

An attacker uploaded "%PDF-1.4" followed by a web page, named it evil.html, and the application
document view served it inline as text/html on our origin in the reviewer's session. Every
download view now goes through core.downloads.serve_upload; each is tested here with that file
already stored (as if it had got in before the deeper checks), built on the access matrix's world.
"""

import importlib
import re
from importlib import import_module

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse

from peercert.accounts.models import RoleAssignment
from peercert.accounts.roles import Role
from peercert.certification.models import ApplicationDocument
from peercert.certification.tests.factories import PNG, applicant, started_application
from peercert.core import samples
from peercert.core.downloads import SANDBOX_POLICY
from peercert.web.navigation import FEATURE_APPS

pytestmark = pytest.mark.django_db

POLYGLOT = b"%PDF-1.4\n<html><script>fetch('/certification/').then(r => r.text())</script></html>\n"

# route -> (world key, file field, kind field, name field, who opens it, opened inline on purpose)
DOWNLOADS = {
    "certification:document_download": (
        "certification_document",
        "file",
        "content_type",
        "original_name",
        Role.PROGRAM_REVIEWER,
        True,
    ),
    "benefit:authority_document": (
        "rates_authority",
        "document",
        "document_type",
        "document_name",
        Role.DHCS_ANALYST,
        False,
    ),
    "discipline:case_entry_file": (
        "evidence",
        "document",
        "document_kind",
        "document_name",
        Role.PROGRAM_REVIEWER,
        False,
    ),
    "exams:accommodation_document": (
        "exam_accommodation",
        "document",
        "document_kind",
        "document_name",
        Role.EXAM_ADMINISTRATOR,
        True,
    ),
    "exams:practical_response_file": (
        "exam_response",
        "document",
        "document_kind",
        "document_name",
        Role.EXAM_ADMINISTRATOR,
        False,
    ),
    "renewal:evidence_download": ("ce_evidence", "file", "content_type", "original_name", Role.PROGRAM_REVIEWER, False),
    "renewal:name_change_document": (
        "name_change",
        "document",
        "document_type",
        "document_name",
        Role.PROGRAM_MANAGER,
        False,
    ),
    "training:accommodation_document": (
        "training_accommodation",
        "document",
        "document_kind",
        "document_name",
        Role.PROGRAM_REVIEWER,
        False,
    ),
    "training:ce_evidence": (
        "training_activity",
        "evidence",
        "evidence_kind",
        "evidence_name",
        Role.PROGRAM_REVIEWER,
        False,
    ),
    "council:meeting_minutes_file": (
        "council_meeting",
        "minutes_file",
        "minutes_file_kind",
        "minutes_file_name",
        Role.PROGRAM_MANAGER,
        True,
    ),
}
PREFIXES = {
    "benefit:authority_document": "benefit/authorities",
    "certification:document_download": "certification/documents",
    "discipline:case_entry_file": "discipline/evidence",
    "exams:accommodation_document": "exams/accommodations",
    "exams:practical_response_file": "exams/practical",
    "renewal:evidence_download": "renewal/evidence",
    "renewal:name_change_document": "renewal/name-change",
    "training:accommodation_document": "confidential/training/accommodations",
    "training:ce_evidence": "confidential/training/ce-evidence",
    "council:meeting_minutes_file": "council/minutes",
}


@pytest.fixture
def world(role_users):
    """The access matrix's sample records (each app's access.build_world), which its download routes point at."""
    peer = role_users[Role.PEER]
    w = {"peer": peer, "peer_assignment": RoleAssignment.objects.get(user=peer, role=Role.PEER), "users": role_users}
    for app in FEATURE_APPS:
        build = getattr(import_module(f"peercert.{app}.access"), "build_world", None)
        if build is not None:
            w.update(build(w) or {})
    return w


def _url(route, world):
    app = route.split(":")[0]
    return reverse(route, kwargs=import_module(f"peercert.{app}.access").ACCESS[route]["kwargs"](world))


def _store_polyglot(row, file_field, kind_field, name_field, kind):
    setattr(row, kind_field, kind)
    setattr(row, name_field, "evil.html")
    getattr(row, file_field).save("evil.html", ContentFile(POLYGLOT), save=False)
    row.save()


def test_every_upload_download_view_is_covered_here():
    from peercert.web.tests.test_access_matrix import declared

    # billing:claims_download serves the 837P PeerCert built and pyx12 validated (text, never an upload);
    # oversight:report_run_download a report PeerCert built (CSV, XLSX or PDF), as an attachment.
    built_here = {"billing:claims_download", "oversight:report_run_download"}
    serving = {
        name
        for name in declared()
        if name.endswith(("_document", "_download", "_file", ":ce_evidence")) and name not in built_here
    }
    assert serving == set(DOWNLOADS)


@pytest.mark.parametrize("route", sorted(DOWNLOADS))
def test_stored_names_are_random(route, world):
    key, file_field, *_ = DOWNLOADS[route]
    row = world[key]
    name = getattr(row, file_field).name
    # The world's fixtures saved these as "matrix-id.pdf" and the like, and the old paths held the
    # complaint's or person's id as a folder: now the prefix, 32 random hex digits and the kind, nothing else.
    assert re.fullmatch(rf"{re.escape(PREFIXES[route])}/[0-9a-f]{{32}}\.(pdf|jpg|png|bin)", name), (row.pk, name)


@pytest.mark.parametrize("route", sorted(DOWNLOADS))
def test_a_stored_page_named_evil_html_goes_out_as_a_sandboxed_pdf(route, world, client):
    key, file_field, kind_field, name_field, role, inline = DOWNLOADS[route]
    _store_polyglot(world[key], file_field, kind_field, name_field, "pdf")
    client.force_login(world["users"][role])
    response = client.get(_url(route, world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX_POLICY == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    disposition = "inline" if inline else "attachment"
    assert response["Content-Disposition"] == f'{disposition}; filename="evil.pdf"'
    assert b"".join(response.streaming_content) == POLYGLOT


@pytest.mark.parametrize("route", sorted(DOWNLOADS))
def test_a_file_of_unknown_kind_is_only_ever_saved_never_shown(route, world, client):
    key, file_field, kind_field, name_field, role, _inline = DOWNLOADS[route]
    _store_polyglot(world[key], file_field, kind_field, name_field, "")
    client.force_login(world["users"][role])
    response = client.get(_url(route, world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="evil.html.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_pdf_signature_followed_by_a_web_page_is_refused_at_upload(client):
    user = applicant()
    application = started_application(user)
    client.force_login(user)
    page = client.post(
        reverse("certification:document_upload", args=[application.pk]),
        {"kind": "diploma", "file": SimpleUploadedFile("evil.html", POLYGLOT)},
        follow=True,
    )
    assert "“evil.html” has web page code inside it" in page.content.decode()
    assert not ApplicationDocument.objects.filter(application=application).exists()


def test_a_broken_png_is_refused_at_upload(client):
    user = applicant()
    application = started_application(user)
    client.force_login(user)
    broken = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    page = client.post(
        reverse("certification:document_upload", args=[application.pk]),
        {"kind": "diploma", "file": SimpleUploadedFile("diploma.png", broken)},
        follow=True,
    )
    assert "“diploma.png” could not be opened as a PNG file" in page.content.decode()
    assert not ApplicationDocument.objects.filter(application=application).exists()


def test_two_uploads_of_the_same_kind_get_different_names_without_ids(client):
    user = applicant()
    application = started_application(user)
    client.force_login(user)
    url = reverse("certification:document_upload", args=[application.pk])
    for _ in range(2):
        client.post(url, {"kind": "diploma", "file": SimpleUploadedFile(f"{application.pk}-diploma.png", PNG)})
    names = [d.file.name for d in ApplicationDocument.objects.filter(application=application)]
    assert len(names) == 2 and names[0] != names[1]
    for name in names:
        assert re.fullmatch(r"certification/documents/[0-9a-f]{32}\.png", name), name
        assert f"{application.pk}-" not in name and "diploma" not in name
    assert {d.original_name for d in ApplicationDocument.objects.filter(application=application)} == {
        f"{application.pk}-diploma.png"
    }


@pytest.fixture
def debug_urlconf(tmp_path):
    """The URLconf as built with DEBUG on, and a real file under MEDIA_ROOT to ask for."""
    import config.urls

    (tmp_path / "certification" / "documents").mkdir(parents=True)
    (tmp_path / "certification" / "documents" / "1-photo_id.pdf").write_bytes(samples.PDF)
    try:
        with override_settings(DEBUG=True, MEDIA_ROOT=tmp_path):
            importlib.reload(config.urls)
            clear_url_caches()
            yield
    finally:
        importlib.reload(config.urls)  # with DEBUG off again, as the rest of the suite expects
        clear_url_caches()


def test_media_is_not_routed_even_with_debug_on(debug_urlconf, client):
    with pytest.raises(Resolver404):
        resolve("/media/certification/documents/1-photo_id.pdf")
    assert client.get("/media/certification/documents/1-photo_id.pdf").status_code == 404


LEGACY_NAMES = [
    ("scan.PDF", "pdf"),
    ("foto.jpeg", "jpeg"),
    ("foto.JPG", "jpeg"),
    ("id.png", "png"),
    ("evil.html", ""),
    ("noextension", ""),
]


def test_rows_stored_before_kinds_were_recorded_get_them_from_the_old_name(world):
    """The data migrations: a kind only for pdf/jpeg/png names, and the uploader's name for display."""
    from django.apps import apps

    from peercert.discipline.models import CaseEntry
    from peercert.exams.models import AccommodationRequest as ExamAccommodation

    migrations = [
        import_module(f"peercert.{m}")
        for m in (
            "training.migrations.0003_upload_kinds_names_and_random_names",
            "discipline.migrations.0003_upload_kind_and_random_names",
            "exams.migrations.0002_upload_name_and_random_names",
        )
    ]
    person = world["training_accommodation"].person_id
    rows = [
        (world["training_accommodation"], "document", f"confidential/training/accommodations/{person}/"),
        (world["training_activity"], "evidence", f"confidential/training/ce-evidence/{person}/"),
        (world["evidence"], "document", f"discipline/evidence/{world['evidence'].complaint_id}/"),
        (world["exam_accommodation"], "document", "exams/accommodations/2026/"),
    ]
    for legacy_name, kind in LEGACY_NAMES:
        for row, field, folder in rows:
            type(row).objects.filter(pk=row.pk).update(**{field: folder + legacy_name})
        for migration in migrations:
            migration.backfill(apps, None)
        for row, field, _folder in rows:
            row.refresh_from_db()
            if not isinstance(row, ExamAccommodation):  # exams recorded the kind already
                assert getattr(row, f"{field}_kind") == kind, (row, legacy_name)
            if not isinstance(row, CaseEntry):  # discipline recorded the name already
                assert getattr(row, f"{field}_name") == legacy_name, (row, legacy_name)


@pytest.mark.parametrize("key", ["evidence", "name_change"])
def test_the_admin_never_links_to_a_stored_file(key, world, client):
    """/media/ is not routed, and an admin link would leak the stored name: documents open through the app."""
    from django.contrib.auth import get_user_model

    row = world[key]
    admin_user = get_user_model().objects.create_superuser(email="root@test.peercert.example", password="x" * 12)
    client.force_login(admin_user)
    opts = row._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/media/" not in body
    assert next(f.name for f in opts.fields if f.get_internal_type() == "FileField")
    assert str(getattr(row, next(f.name for f in opts.fields if f.get_internal_type() == "FileField")).name) not in body
