import base64
import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.certification import services as certification_services
from peercert.certification.models import CertificationSpecialization, CertificationStatus
from peercert.certification.tests.factories import CertificationFactory, applicant
from peercert.core import clock
from peercert.core.models import AuditEvent
from peercert.credentials import keys, services, vc, verification
from peercert.credentials.audit import AuditAction
from peercert.credentials.models import LIST_SIZE, IssuedCredential, StatusList
from peercert.credentials.tests.conftest import keyset, make_key

pytestmark = pytest.mark.django_db
API = "/api/v1/credentials/verify"


@pytest.fixture
def peer(signing_key):
    user = applicant(first="Thảo", last="Trần")
    cert = CertificationFactory(
        person=user.person,
        number="PSS-000777",
        issued_on=datetime.date(2026, 1, 5),
        expires_on=datetime.date(2028, 1, 5),
    )
    CertificationSpecialization.objects.create(certification=cert, specialization="crisis", added_on=cert.issued_on)
    return user, cert


def download(client, user, cert, achievement="pss"):
    client.force_login(user)
    response = client.get(reverse("credentials:credential_jwt", args=[cert.number, achievement]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def parts(token):
    header, payload, _sig = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return json.loads(base64.urlsafe_b64decode(pad(header))), json.loads(base64.urlsafe_b64decode(pad(payload)))


def list_bit(client, purpose, index):
    response = client.get(reverse("credentials:status_list", args=[f"{purpose}-{index // LIST_SIZE}"]))
    assert response.status_code == 200
    _header, payload = vc.read(response.content.decode())
    bits = vc.decode_bits(payload["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= 131_072  # the spec's minimum, whatever few credentials there are
    return vc.bit_is_set(bits, index % LIST_SIZE)


def change(commit, cert, to_status, reason="Board decision"):
    return commit(
        certification_services.certification_change_status,
        actor=None,
        certification=cert,
        to_status=to_status,
        reason=reason,
    )


def test_the_credential_is_an_open_badge_signed_as_vc_jwt_with_public_fields_only(client, peer):
    user, cert = peer
    token = download(client, user, cert)
    header, payload = parts(token)
    assert header == {"alg": "EdDSA", "kid": f"{keys.issuer_did()}#test-key-1", "typ": "vc+jwt"}
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["id"] == "did:web:127.0.0.1%3A8000" == keys.issuer_did()
    assert payload["issuer"]["name"] == cert.program.name
    subject = payload["credentialSubject"]
    assert [(i["identityType"], i["identityHash"]) for i in subject["identifier"]] == [
        ("name", "Thảo Trần"),
        ("identifier", "PSS-000777"),
    ]
    assert subject["licenseNumber"] == "PSS-000777"
    assert subject["achievement"]["name"] == "Medi-Cal Peer Support Specialist"
    assert payload["validFrom"].startswith("2026-01-05T00:00:00")
    assert payload["validUntil"].startswith("2028-01-05T23:59:59")
    assert [s["statusPurpose"] for s in payload["credentialStatus"]] == ["suspension", "revocation"]
    assert all(s["type"] == "BitstringStatusListEntry" for s in payload["credentialStatus"])
    text = json.dumps(payload)
    assert "1988-03-14" not in text and user.email not in text  # no date of birth, no email
    # One per specialization too; downloading again gives the same credential (indexes never reused).
    crisis = download(client, user, cert, "crisis")
    assert "Crisis services" in parts(crisis)[1]["name"]
    assert download(client, user, cert) == token
    rows = IssuedCredential.objects.filter(certification=cert)
    assert rows.count() == 2 and len(set(rows.values_list("status_index", flat=True))) == 2
    assert AuditEvent.objects.filter(action=AuditAction.CREDENTIAL_ISSUE).count() == 2


def test_issued_verified_suspended_reinstated_and_revoked(client, peer, commit):
    user, cert = peer
    token = download(client, user, cert)
    index = IssuedCredential.objects.get(certification=cert, specialization="").status_index
    assert verification.verify(token).outcome == "valid"
    assert not list_bit(client, "suspension", index)

    change(commit, cert, CertificationStatus.SUSPENDED)
    assert list_bit(client, "suspension", index)
    assert not list_bit(client, "revocation", index)
    assert verification.verify(token).outcome == "suspended"
    response = client.post(reverse("credentials:verify"), {"credential": token})
    assert 'data-outcome="suspended"' in response.content.decode()

    change(commit, cert, CertificationStatus.ACTIVE, "Suspension ended")
    assert not list_bit(client, "suspension", index)
    assert verification.verify(token).outcome == "valid"

    change(commit, cert, CertificationStatus.REVOKED)
    assert list_bit(client, "revocation", index)
    assert not list_bit(client, "suspension", index)
    assert verification.verify(token).outcome == "revoked"
    assert AuditEvent.objects.filter(action=AuditAction.STATUS_LIST_SIGN).exists()


def test_the_verification_page_says_valid_with_the_facts_pasted_or_uploaded(client, peer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user, cert = peer
    token = download(client, user, cert)
    client.logout()
    page = client.post(reverse("credentials:verify"), {"credential": token}).content.decode()
    assert 'data-outcome="valid"' in page and "Thảo Trần" in page and "PSS-000777" in page
    assert "January 5, 2028" in page  # a date people read, not an ISO string
    upload = SimpleUploadedFile("PSS-000777-pss.jwt", token.encode(), content_type="application/octet-stream")
    page = client.post(reverse("credentials:verify"), {"file": upload}).content.decode()
    assert 'data-outcome="valid"' in page


def test_a_tampered_payload_or_junk_is_forged(client, peer):
    user, cert = peer
    token = download(client, user, cert)
    header, payload, signature = token.split(".")
    claims = parts(token)[1]
    claims["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = ".".join([header, base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode(), signature])
    result = verification.verify(forged)
    assert (result.outcome, result.reason) == ("forged", "bad_signature")
    assert verification.verify("not a credential").reason == "malformed"
    assert verification.verify("a.b.c").reason == "malformed"
    stranger = make_key("test-key-1")  # same kid, another key: the signature does not match
    assert verification.verify(vc.sign_credential(claims, stranger)).reason == "bad_signature"
    unknown = make_key("nobody")
    assert verification.verify(vc.sign_credential(claims, unknown)).reason == "unknown_key"
    page = client.post(reverse("credentials:verify"), {"credential": forged}).content.decode()
    assert 'data-outcome="forged"' in page and "Someone Else" not in page


def test_a_credential_signed_by_a_rotated_key_still_verifies_by_its_kid(client, peer, settings, signing_key):
    user, cert = peer
    old = download(client, user, cert)
    new_key = make_key("test-key-2")
    # Rotation: the new key first (it signs), the old one kept by its public part only.
    settings.CREDENTIAL_SIGNING_KEYS = json.dumps(
        {"keys": [new_key.as_dict(private=True), signing_key.as_dict(private=False)]}
    )
    result = verification.verify(old)
    assert result.outcome == "valid" and result.facts["kid"] == "test-key-1"
    assert [k["kid"] for k in client.get("/credentials/jwks.json").json()["keys"]] == ["test-key-2", "test-key-1"]
    did = client.get("/.well-known/did.json").json()
    assert did["id"] == keys.issuer_did()
    assert [m["id"].rpartition("#")[2] for m in did["verificationMethod"]] == ["test-key-2", "test-key-1"]
    assert all("d" not in m["publicKeyJwk"] for m in did["verificationMethod"])
    assert signing_key.as_dict(private=True)["d"] not in json.dumps(did)
    # Status lists are re-signed with the new key and still check.
    services.status_lists_daily(clock.today())
    assert parts(StatusList.objects.first().token)[0]["kid"].endswith("#test-key-2")
    assert verification.verify(old).outcome == "valid"
    # Once the old key is dropped from the set altogether, its credentials no longer verify.
    settings.CREDENTIAL_SIGNING_KEYS = keyset(new_key)
    assert verification.verify(old).reason == "unknown_key"


def test_past_valid_until_the_credential_is_expired(client, peer):
    user, cert = peer
    token = download(client, user, cert)
    with time_machine.travel(datetime.datetime(2028, 1, 6, 8, 30, tzinfo=datetime.UTC)):
        assert verification.verify(token).outcome == "expired"
    with time_machine.travel(datetime.datetime(2028, 1, 5, 20, 0, tzinfo=vc.PACIFIC)):
        assert verification.verify(token).outcome == "valid"  # the last day still counts, in Pacific time


def test_the_api_answers_the_same_in_json(client, peer):
    user, cert = peer
    token = download(client, user, cert)
    client.logout()
    body = client.post(API, {"credential": token}, content_type="application/json").json()
    assert body["outcome"] == "valid" and body["facts"]["number"] == "PSS-000777"
    body = client.post(API, {"credential": token[:-4] + "AAAA"}, content_type="application/json").json()
    assert body["outcome"] == "forged" and body["facts"] is None
    assert client.post(API, {"credential": "x" * 20_001}, content_type="application/json").status_code == 422
    assert client.post(API, {}, content_type="application/json").status_code == 422
    assert "/api/v1/credentials/verify" in client.get("/api/v1/openapi.json").json()["paths"]


def test_another_peer_cannot_download_hers_and_staff_cannot_either(client, peer):
    user, cert = peer
    other = applicant(first="Other", last="Peer")
    client.force_login(other)
    assert client.get(reverse("credentials:credential_jwt", args=[cert.number, "pss"])).status_code == 404
    assert client.get(reverse("credentials:credential_jwt", args=[cert.number, "unhoused"])).status_code == 404
    assert cert.number not in client.get(reverse("credentials:mine")).content.decode()
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    assert client.get(reverse("credentials:credential_jwt", args=[cert.number, "pss"])).status_code == 403
    assert not IssuedCredential.objects.exists()


def test_the_peers_page_lists_her_downloads(client, peer):
    user, cert = peer
    client.force_login(user)
    page = client.get(reverse("credentials:mine")).content.decode()
    assert reverse("credentials:credential_jwt", args=[cert.number, "pss"]) in page
    assert reverse("credentials:credential_jwt", args=[cert.number, "crisis"]) in page


def test_a_suspended_peer_gets_her_last_credential_and_no_new_one(client, peer, commit):
    user, cert = peer
    token = download(client, user, cert)
    change(commit, cert, CertificationStatus.SUSPENDED)
    assert download(client, user, cert) == token
    other = applicant(first="Nuevo", last="Caso")
    suspended = CertificationFactory(person=other.person, status=CertificationStatus.SUSPENDED)
    client.force_login(other)
    response = client.get(reverse("credentials:credential_jwt", args=[suspended.number, "pss"]))
    assert response.status_code == 409
    assert "only while the certification is active" in response.content.decode()


def test_without_a_key_outside_the_demo_nothing_is_issued_and_the_check_warns(client, settings):
    from peercert.credentials.checks import signing_key_check

    settings.CREDENTIAL_SIGNING_KEYS, settings.CREDENTIAL_DEMO_KEY = "", False
    user = applicant()
    cert = CertificationFactory(person=user.person)
    client.force_login(user)
    response = client.get(reverse("credentials:credential_jwt", args=[cert.number, "pss"]))
    assert response.status_code == 409
    assert "has not set its signing key" in response.content.decode()
    assert signing_key_check() == []  # a plain-http server (a developer's) is not warned
    settings.SITE_URL = "https://peercert.example"
    assert [w.id for w in signing_key_check()] == ["credentials.W001"]
    assert client.get("/credentials/jwks.json").json() == {"keys": []}


def test_the_demo_key_is_made_once_under_var_and_kept_private(settings, tmp_path):
    assert str(settings.CREDENTIAL_DEMO_KEY_FILE).startswith(str(settings.BASE_DIR / "var"))
    settings.CREDENTIAL_SIGNING_KEYS, settings.CREDENTIAL_DEMO_KEY = "", True
    settings.CREDENTIAL_DEMO_KEY_FILE = tmp_path / "var" / "demo.json"
    first = keys.keys().signing
    assert first is not None and first.kid.startswith("demo-")
    assert (settings.CREDENTIAL_DEMO_KEY_FILE.stat().st_mode & 0o777) == 0o600
    keys._cache.clear()
    assert keys.keys().signing.kid == first.kid  # read back, not made again
    assert "/var/" in (settings.BASE_DIR / ".gitignore").read_text().split()  # never committed


def test_renewal_signs_a_credential_for_the_new_cycle(client, peer, commit):
    user, cert = peer
    download(client, user, cert)
    commit(
        certification_services.certification_renew,
        actor=None,
        certification=cert,
        new_expires_on=datetime.date(2030, 1, 5),
        renewal_id=1,
        rules_version="test",
    )
    cycles = sorted(IssuedCredential.objects.filter(certification=cert, specialization="").values_list("valid_until"))
    assert cycles == [(datetime.date(2028, 1, 5),), (datetime.date(2030, 1, 5),)]
    newest = download(client, user, cert)
    assert parts(newest)[1]["validFrom"].startswith("2028-01-05")  # the new cycle starts where the old ended


def test_status_list_signing_costs_the_same_statements_at_two_sizes(peer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peercert.certification.models import CertificationStatusChange

    services.status_lists_sign(actor=None, numbers=[0])  # the lists exist already, as after the first credential
    counts = []
    for size in (5, 300):
        certs = CertificationFactory.create_batch(size, status=CertificationStatus.SUSPENDED)
        start = IssuedCredential.objects.count() + 1000
        IssuedCredential.objects.bulk_create(
            IssuedCredential(
                certification=c,
                status_index=start + n,
                jti=f"{size}-{n}",
                kid="test-key-1",
                issued_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
                valid_from=c.issued_on,
                valid_until=c.expires_on,
                token="x",
            )
            for n, c in enumerate(certs)
        )
        changes = CertificationStatusChange.objects.bulk_create(
            CertificationStatusChange(
                certification=c, from_status="active", to_status="suspended", effective_on=c.issued_on, reason="x"
            )
            for c in certs
        )
        with CaptureQueriesContext(connection) as queries:
            signed = services.status_lists_for_changes(
                CertificationStatusChange.objects.filter(pk__in=[c.pk for c in changes])
            )
        counts.append(len(queries))
        suspension = next(s for s in signed if s.purpose == "suspension")
        assert suspension.set_bits >= size
        assert next(s for s in signed if s.purpose == "revocation").set_bits == 0
    # One read of the affected lists, then per list and purpose one read of the set bits and one
    # upsert, and one audit event: the same however many credentials changed.
    assert counts[0] == counts[1] <= 20, counts


def test_the_certificate_pdf_carries_the_credential_link(client, peer):
    user, cert = peer
    client.force_login(user)
    pdf = client.get(reverse("certification:certificate_pdf", args=[cert.number])).content
    assert b"/credentials/mine/PSS-000777/pss.jwt" in pdf


def test_status_values_match_certification():
    assert services.ACTIVE == CertificationStatus.ACTIVE
    assert {s for group in services.BITS_FOR.values() for s in group} <= set(CertificationStatus.values)


def test_the_verification_page_refuses_bad_uploads_plainly(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("credentials:verify")
    response = client.post(url, {})
    assert response.status_code == 400 and "Paste a credential or choose its file" in response.content.decode()
    big = SimpleUploadedFile("big.jwt", b"a" * 20_001)
    assert "larger than a credential can be" in client.post(url, {"file": big}).content.decode()
    binary = SimpleUploadedFile("photo.jwt", b"\xff\xd8\xff\xe0" * 10)
    assert "is not a text file" in client.post(url, {"file": binary}).content.decode()
    assert client.post(url, {"credential": "x" * 20_001}).status_code == 400


def test_the_status_list_for_an_unknown_list_is_a_404(client):
    for junk in ("suspension-9", "nothing", "revocation-99999999999", "suspension--1"):
        assert client.get(reverse("credentials:status_list", args=[junk])).status_code == 404


def test_on_issue_the_credentials_are_signed_and_the_peer_is_told(peer, commit):
    from peercert.certification.models import Certification
    from peercert.certification.signals import announce_issued
    from peercert.core.models import Notification

    user, cert = peer
    commit(announce_issued, cert)
    assert sorted(IssuedCredential.objects.filter(certification=cert).values_list("specialization", flat=True)) == [
        "",
        "crisis",
    ]
    assert Notification.objects.filter(user=user, subject="Your digital credential is ready").exists()
    # The receiver is wired to what certification sends (not called by hand here).
    from peercert.certification.signals import certification_issued

    assert certification_issued.has_listeners(Certification)


def test_a_failing_receiver_leaves_the_status_change_standing(peer, commit, monkeypatch):
    user, cert = peer

    def broken(changes):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "status_lists_for_changes", broken)
    change(commit, cert, CertificationStatus.SUSPENDED)
    cert.refresh_from_db()
    assert cert.status == CertificationStatus.SUSPENDED


def test_the_check_names_a_broken_key_set(settings):
    from peercert.credentials.checks import signing_key_check

    settings.CREDENTIAL_SIGNING_KEYS = "not json"
    assert [w.id for w in signing_key_check()] == ["credentials.W002"]
    settings.CREDENTIAL_SIGNING_KEYS = keyset(make_key("public-only"), private=False)
    assert [w.id for w in signing_key_check()] == ["credentials.W003"]
    settings.CREDENTIAL_SIGNING_KEYS = json.dumps({"keys": [{**make_key("x").as_dict(private=True), "kid": ""}]})
    assert [w.id for w in signing_key_check()] == ["credentials.W002"]  # every key needs a kid


def test_indexes_are_random_free_bits_never_reused_and_a_full_list_moves_on(peer, monkeypatch):
    from django.db import transaction

    from peercert.credentials.models import LIST_FILL, StatusIndexCounter

    with transaction.atomic():
        first = services._draw_indexes(50)
    assert len(set(first)) == 50 and all(0 <= i < LIST_SIZE for i in first)
    assert first != sorted(first) or max(first) > 50  # not handed out in issue order
    # A taken bit is never drawn again, even when chance keeps offering it.
    taken = IssuedCredential.objects.create(
        certification=peer[1],
        status_index=7,
        jti="taken",
        kid="k",
        issued_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        valid_from=datetime.date(2026, 1, 5),
        valid_until=datetime.date(2028, 1, 5),
        token="x",
    )
    offers = iter([7] * 8 + [7] * 7 + [9])
    monkeypatch.setattr(services.secrets, "randbelow", lambda n: next(offers))
    assert services._free_index(0, taken=[]) == 9
    monkeypatch.undo()
    assert taken.status_index == 7
    # Once a list holds LIST_FILL credentials, the next one goes to the next list.
    StatusIndexCounter.objects.filter(name=services.COUNTER).update(last_value=LIST_FILL - 1)
    with transaction.atomic():
        (index,) = services._draw_indexes(1)
    assert LIST_SIZE <= index < 2 * LIST_SIZE
