import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from peercert.accounts.models import CertificationProgram
from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import PersonFactory, statewide_program, user_with_role
from peercert.certification import fees, selectors, services
from peercert.certification.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Certification,
    CertificationNumberRecord,
    Outcome,
    Pathway,
    RecordedMilestone,
)
from peercert.certification.tests.factories import (
    PDF,
    CertificationFactory,
    applicant,
    decide_all,
    filled_application,
    pdf,
    reviewer,
    started_application,
)
from peercert.core import clock
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent, Notification
from peercert.core.transitions import assert_map_covers, every_move, transition
from peercert.finance import selectors as finance_selectors

pytestmark = pytest.mark.django_db


def actions(obj):
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def submitted_paid(pay, pathway=Pathway.STANDARD, user=None):
    user = user or applicant()
    application = filled_application(user, pathway)
    services.application_submit(actor=user, application=application)
    pay(application)
    application.refresh_from_db()
    return user, application


# ---- The standard journey, end to end ------------------------------------------------------


def test_standard_pathway_from_draft_to_certification(pay):
    user = applicant()
    staff = reviewer()
    application = filled_application(user)
    assert application.steps_completed == ["about", "experience", "documents", "ethics"]
    assert application.ethics_rules_version == "2021.1"

    services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.rules_version
    invoice = fees.application_invoice(application)
    assert invoice is not None and invoice.fee_code == "fee_application" and invoice.scholarship_eligible
    auto = {r.code: r.outcome for r in application.requirements.all()}
    assert auto == {"age": "met", "photo_id": "met", "diploma": "undecided", "lived_experience": "met", "ethics": "met"}

    # Unpaid: visible as awaiting payment, not reviewable.
    assert selectors.fee_status(application)["settled"] is False
    with pytest.raises(ApplicationError, match="not paid"):
        services.application_review_start(actor=staff, application=application)
    services.application_assign(actor=staff, application=application, reviewer=staff)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # assigned, but waits for the fee

    pay(application)  # the settled signal takes the assigned application into review
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    decided = timezone.localdate(application.decided_at)
    assert application.valid_until == decided.replace(year=decided.year + 1)
    exam_invoice = finance_selectors.invoice_for(
        reference_type=fees.APPLICATION_REFERENCE, reference_id=application.pk, fee_code="fee_exam"
    )
    assert exam_invoice is not None

    today = clock.today()
    assert (
        services.milestone_record(actor=staff, person=user.person, kind="training_completed", occurred_on=today) is None
    )
    cert = services.milestone_record(actor=staff, person=user.person, kind="exam_passed", occurred_on=today)
    assert cert.number.startswith("PSS-") and cert.status == "active"
    assert cert.expires_on == cert.issued_on.replace(year=cert.issued_on.year + 2)
    assert list(cert.status_changes.values_list("to_status", "source")) == [("active", "issue")]
    assert actions(application) == [
        "application.start",
        "application.save_step",
        "application.save_step",
        "application.document_add",
        "application.document_add",
        "application.save_step",
        "application.save_step",
        "application.submit",
        "application.assign",
        "application.review_start",
        "application.requirement_decide",
        "application.approve",
    ]
    assert (
        AuditEvent.objects.filter(action="application.review_start", object_id=str(application.pk)).get().actor is None
    )
    assert actions(cert) == ["certification.issue"]
    assert Notification.objects.filter(user=user, subject="You are certified").exists()


def test_revision_cycle_shows_what_to_fix_and_resumes_with_the_reviewer(pay):
    user, application = submitted_paid(pay)
    staff = reviewer()
    services.application_assign(actor=staff, application=application, reviewer=staff)
    services.requirement_decide(
        actor=staff,
        application=application,
        code="diploma",
        outcome="not_met",
        notes="The scan is cut off; upload the whole page.",
    )
    services.application_request_revision(actor=staff, application=application, message="One thing to fix.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVISION_REQUESTED and application.review_clock_started_at is None
    assert [i["row"].notes for i in selectors.items_to_fix(application)] == [
        "The scan is cut off; upload the whole page."
    ]
    assert Notification.objects.filter(user=user, subject__startswith="Changes needed").exists()

    services.application_document_add(actor=user, application=application, kind="diploma", upload=pdf("whole.pdf"))
    services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW  # back to the same reviewer
    assert application.requirements.get(code="diploma").outcome == Outcome.UNDECIDED
    assert "application.resubmit" in actions(application)
    from peercert.finance.models import Invoice

    assert Invoice.objects.filter(reference_id=str(application.pk), fee_code="fee_application").count() == 1


def test_processing_clock_counts_only_program_time(pay):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 17, 0), tick=False):
        user, application = submitted_paid(pay)
        staff = reviewer()
        services.application_review_start(actor=staff, application=application)
    with time_machine.travel(datetime.datetime(2026, 3, 12, 17, 0), tick=False):
        application.refresh_from_db()
        assert selectors.processing_clock(application)["days"] == 10
        services.requirement_decide(actor=staff, application=application, code="diploma", outcome="not_met", notes="x")
        services.application_request_revision(actor=staff, application=application)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 17, 0), tick=False):
        application.refresh_from_db()
        clock = selectors.processing_clock(application)
        assert clock["days"] == 10 and not clock["running"]
        services.application_submit(actor=user, application=application)
    with time_machine.travel(datetime.datetime(2026, 4, 26, 17, 0), tick=False):
        application.refresh_from_db()
        clock = selectors.processing_clock(application)
        assert clock == {"days": 35, "target": 30, "over": True, "left": 0, "running": True}


# ---- Bad input ----------------------------------------------------------------------------


def test_upload_of_wrong_type_or_too_large_is_refused_and_nothing_saved():
    user = applicant()
    application = started_application(user)
    with pytest.raises(ApplicationError, match="contents were checked"):
        services.application_document_add(
            actor=user,
            application=application,
            kind="diploma",
            upload=SimpleUploadedFile("diploma.pdf", b"MZ\x90\x00 a program"),
        )
    big = SimpleUploadedFile("id.pdf", PDF + b"0" * (services.MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(ApplicationError, match="limit is 10 MB"):
        services.application_document_add(
            actor=user, application=application, kind="photo_id", upload=big, name_on_document="x"
        )
    with pytest.raises(ApplicationError, match="exactly as it is printed"):
        services.application_document_add(actor=user, application=application, kind="photo_id", upload=pdf())
    assert not ApplicationDocument.objects.exists()
    assert actions(application) == ["application.start"]


def test_submitting_twice_is_refused(pay):
    user = applicant()
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    with pytest.raises(ApplicationError, match="already submitted") as err:
        services.application_submit(actor=user, application=application)
    assert err.value.http_status == 409
    assert actions(application).count("application.submit") == 1


def test_applicant_under_18_cannot_submit():
    user = applicant(born=clock.today().replace(year=clock.today().year - 17))
    application = filled_application(user)
    with pytest.raises(ApplicationError, match="18 or older"):
        services.application_submit(actor=user, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and not application.requirements.exists()


def test_grandparenting_after_the_window_is_refused_but_staff_records_stay_readable():
    user = applicant()
    with pytest.raises(ApplicationError, match="grandparenting pathway closed on December 31, 2022") as err:
        started_application(user, Pathway.GRANDPARENTING)
    assert err.value.http_status == 409
    assert not Application.objects.exists()
    staff = reviewer()
    record = services.application_enter_historical(
        actor=staff,
        person=user.person,
        program=statewide_program(),
        pathway=Pathway.GRANDPARENTING,
        status="approved",
        submitted_on=datetime.date(2022, 5, 2),
        decided_on=datetime.date(2022, 6, 20),
        peer_work_hours=2400,
        employed_as_peer_on_cutoff=True,
        ce_hours=Decimal("22"),
        ce_law_ethics_hours=Decimal("6"),
    )
    found = selectors.access_reviewable_application(staff, record.pk)
    assert found.entered_by_staff and found.peer_work_hours == 2400 and found.status == ApplicationStatus.APPROVED
    assert selectors.fee_status(found)["settled"] is True
    assert actions(record) == ["application.enter_historical"]


def test_grandparenting_started_in_the_window_cannot_be_submitted_after_it():
    with time_machine.travel(datetime.datetime(2022, 12, 20, 18, 0), tick=False):
        user = applicant()
        application = filled_application(user, Pathway.GRANDPARENTING)
    with time_machine.travel(datetime.datetime(2023, 1, 3, 18, 0), tick=False):
        with pytest.raises(ApplicationError, match="closed"):
            services.application_submit(actor=user, application=application)


def test_grandparenting_within_the_window_is_accepted(pay):
    with time_machine.travel(datetime.datetime(2022, 6, 1, 18, 0), tick=False):
        user, application = submitted_paid(pay, Pathway.GRANDPARENTING)
        codes = set(application.requirements.values_list("code", flat=True))
        assert {"employed_on_cutoff", "employment_verification", "peer_work_hours", "letters", "ce_hours"} <= codes


def test_editing_a_submitted_application_is_refused():
    user = applicant()
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        services.application_save_step(
            actor=user,
            application=application,
            step="experience",
            data={"lived_experience": "family", "experience_area": "both", "willing_to_share": True},
        )
    with pytest.raises(ApplicationError, match="can no longer be changed"):
        services.application_document_add(actor=user, application=application, kind="letter", upload=pdf())
    application.refresh_from_db()
    assert application.lived_experience == "self"


def test_approving_with_an_undecided_requirement_is_refused(pay):
    _user, application = submitted_paid(pay)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    with pytest.raises(ApplicationError, match="not yet decided: High school diploma"):
        services.application_approve(actor=staff, application=application)
    services.requirement_decide(
        actor=staff, application=application, code="diploma", outcome="not_met", notes="blurred"
    )
    with pytest.raises(ApplicationError, match="not met: High school diploma"):
        services.application_approve(actor=staff, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW and "application.approve" not in actions(application)


def test_deny_needs_a_reason_and_tells_the_applicant_they_may_appeal(pay):
    user, application = submitted_paid(pay)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    with pytest.raises(ApplicationError, match="reason"):
        services.application_deny(actor=staff, application=application, reason="  ")
    services.application_deny(actor=staff, application=application, reason="The diploma could not be verified.")
    note = Notification.objects.get(user=user, subject="Decision on your certification application")
    assert "appeal" in note.body and "30 days" in note.body


def test_name_on_id_that_differs_is_flagged_for_the_reviewer():
    user = applicant(first="José", last="Núñez")
    application = filled_application(user, id_name="Joseph Nunez")
    services.application_submit(actor=user, application=application)
    row = application.requirements.get(code="photo_id")
    assert row.outcome == Outcome.NOT_MET and "Joseph Nunez" in row.notes
    # Case and accents do not count as differences.
    other = applicant(first="Zoë", last="Peña")
    second = filled_application(other, id_name="ZOE PENA")
    services.application_submit(actor=other, application=second)
    assert second.requirements.get(code="photo_id").outcome == Outcome.MET


def test_reciprocity_is_not_scholarship_eligible_and_needs_three_letters(pay):
    _user, application = submitted_paid(pay, Pathway.RECIPROCITY_OUT_OF_STATE)
    assert fees.application_invoice(application).scholarship_eligible is False
    rows = {r.code: r for r in application.requirements.all()}
    assert rows["reciprocity_letters"].outcome == Outcome.UNDECIDED  # three present; reviewer reads them
    assert rows["out_of_state_certification"].outcome == Outcome.UNDECIDED


def test_only_the_owner_changes_an_application_and_only_program_staff_review_it(pay):
    user, application = submitted_paid(pay)
    stranger = applicant(first="Ana", last="Peña")
    with pytest.raises(ApplicationError, match="Only the applicant"):
        services.application_withdraw(actor=stranger, application=application)
    other_program = CertificationProgram.objects.create(
        name="Designated Peer Program", code="designated", kind="designated"
    )
    outsider = user_with_role(Role.PROGRAM_REVIEWER, program=other_program)
    with pytest.raises(ApplicationError, match="Only a reviewer"):
        services.application_review_start(actor=outsider, application=application)
    with pytest.raises(ApplicationError, match="Only a reviewer"):
        services.application_review_start(actor=user, application=application)


# ---- Every application transition, allowed and refused ------------------------------------


def _call(to, staff, user, application):
    if to == ApplicationStatus.SUBMITTED and application.status == ApplicationStatus.DENIED:
        # Only an overturned appeal reopens a denial; the applicant cannot resubmit it.
        with pytest.raises(ApplicationError, match="already submitted"):
            services.application_submit(actor=user, application=application)
        return services.application_reopen_on_appeal(actor=staff, application=application, reason="appeal A-1")
    if to == ApplicationStatus.SUBMITTED:
        return services.application_submit(actor=user, application=application)
    if to == ApplicationStatus.IN_REVIEW:
        return services.application_review_start(actor=staff, application=application)
    if to == ApplicationStatus.REVISION_REQUESTED:
        return services.application_request_revision(actor=staff, application=application, message="fix")
    if to == ApplicationStatus.APPROVED:
        return services.application_approve(actor=staff, application=application)
    if to == ApplicationStatus.DENIED:
        return services.application_deny(actor=staff, application=application, reason="no")
    if to == ApplicationStatus.WITHDRAWN:
        return services.application_withdraw(actor=user, application=application)
    if to == ApplicationStatus.EXPIRED:
        return services.applications_expire_lapsed(today=clock.today() + datetime.timedelta(days=1))
    raise AssertionError(to)


EXPECTED_ACTION = {
    ApplicationStatus.SUBMITTED: "application.resubmit",
    ApplicationStatus.IN_REVIEW: "application.review_start",
    ApplicationStatus.REVISION_REQUESTED: "application.request_revision",
    ApplicationStatus.APPROVED: "application.approve",
    ApplicationStatus.DENIED: "application.deny",
    ApplicationStatus.WITHDRAWN: "application.withdraw",
    ApplicationStatus.EXPIRED: "application.expire",
}


def test_the_application_map_covers_every_status():
    assert_map_covers(APPLICATION_TRANSITIONS, ApplicationStatus)


@pytest.mark.parametrize(("from_status", "to", "allowed"), every_move(APPLICATION_TRANSITIONS, ApplicationStatus))
def test_every_application_transition(pay, from_status, to, allowed):
    """Each (source, target) pair through the service that makes that move; a refused one changes nothing."""
    user, application = submitted_paid(pay)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    decide_all(staff, application)
    # A draft has never been submitted; every other status has.
    first = None if from_status == ApplicationStatus.DRAFT else application.first_submitted_at or clock.now()
    Application.objects.filter(pk=application.pk).update(
        status=from_status, valid_until=clock.today(), decision_reason="earlier", first_submitted_at=first
    )
    application.refresh_from_db()
    if to == ApplicationStatus.DRAFT:
        # No service takes an application back to draft: the map is the only gate.
        assert not allowed
        with pytest.raises(ApplicationError) as refused:
            transition(application, to, allowed=APPLICATION_TRANSITIONS, noun="application")
        assert refused.value.code == "state"
        return
    action = (
        "application.submit"
        if (to == ApplicationStatus.SUBMITTED and from_status == ApplicationStatus.DRAFT)
        else EXPECTED_ACTION[to]
    )
    if to == ApplicationStatus.SUBMITTED and from_status == ApplicationStatus.DENIED:
        action = "application.reopen"
    before = AuditEvent.objects.filter(action=action).count()
    assert allowed == (to in APPLICATION_TRANSITIONS[from_status])
    if to == ApplicationStatus.SUBMITTED and from_status == ApplicationStatus.REVISION_REQUESTED:
        expected_status = ApplicationStatus.IN_REVIEW  # goes back to its reviewer
    else:
        expected_status = to
    if allowed:
        _call(to, staff, user, application)
        application.refresh_from_db()
        assert application.status == expected_status, (from_status, to)
        assert AuditEvent.objects.filter(action=action).count() == before + 1, (from_status, to)
    else:
        if to == ApplicationStatus.EXPIRED:
            assert _call(to, staff, user, application) == 0
        else:
            with pytest.raises(ApplicationError):
                _call(to, staff, user, application)
        application.refresh_from_db()
        assert application.status == from_status, (from_status, to)
        assert AuditEvent.objects.filter(action=action).count() == before, (from_status, to)


# ---- Transfer within California ------------------------------------------------------------


def test_transfer_of_a_peercert_certification_keeps_its_number_and_history(pay):
    user = applicant()
    cert = CertificationFactory(person=user.person, number="PSS-700001")
    CertificationNumberRecord.objects.create(
        certification=cert,
        number=cert.number,
        program=cert.program,
        program_name=cert.program.name,
        valid_from=cert.issued_on,
    )
    receiving = CertificationProgram.objects.create(
        name="Bay Area Peer Certification", code="bayarea", kind="designated"
    )
    staff = user_with_role(Role.PROGRAM_REVIEWER, program=receiving)
    application = filled_application(
        user,
        Pathway.TRANSFER_IN_STATE,
        answers={"prior_program_name": cert.program.name, "prior_certification_number": cert.number},
    )
    Application.objects.filter(pk=application.pk).update(program=receiving)
    application.refresh_from_db()
    services.application_submit(actor=user, application=application)
    assert application.requirements.get(code="prior_certification").outcome == Outcome.MET
    pay(application)
    services.application_review_start(actor=staff, application=application)
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    cert.refresh_from_db()
    assert cert.number == "PSS-700001" and cert.program == receiving
    assert list(cert.number_history.values_list("program_name", flat=True)) == [
        statewide_program().name,
        "Bay Area Peer Certification",
    ]
    assert "certification.transfer" in actions(cert)
    assert not RecordedMilestone.objects.exists()  # no new exam


def test_transfer_from_outside_peercert_gets_a_number_and_the_old_one_still_verifies(pay):
    user, application = submitted_paid(pay, Pathway.TRANSFER_IN_STATE)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    cert = Certification.objects.get(application=application)
    assert selectors.certification_by_number("FRE-0042") == cert
    assert list(cert.number_history.values_list("number", flat=True)) == ["FRE-0042", cert.number]


# ---- Issuing and facts recorded by staff ---------------------------------------------------


def test_issue_refused_until_training_and_exam_are_recorded(pay):
    user, application = submitted_paid(pay)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    with pytest.raises(ApplicationError, match="Core training is not recorded"):
        services.certification_issue(actor=staff, application=application)
    with pytest.raises(ApplicationError, match="future"):
        services.milestone_record(
            actor=staff, person=user.person, kind="exam_passed", occurred_on=clock.today() + datetime.timedelta(days=2)
        )
    services.milestone_record(actor=staff, person=user.person, kind="exam_passed", occurred_on=clock.today())
    with pytest.raises(ApplicationError, match="already recorded"):
        services.milestone_record(actor=staff, person=user.person, kind="exam_passed", occurred_on=clock.today())
    peer_other = PersonFactory()
    with pytest.raises(ApplicationError, match="approved application"):
        services.milestone_record(actor=staff, person=peer_other, kind="exam_passed", occurred_on=clock.today())


def test_approved_window_lapses_set_based():
    staff = reviewer()
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        services.application_enter_historical(
            actor=staff,
            person=person,
            program=statewide_program(),
            pathway=Pathway.STANDARD,
            status="approved",
            submitted_on=datetime.date(2024, 1, 5),
            decided_on=datetime.date(2024, 2, 1),
        )
    assert services.applications_expire_lapsed() == 3
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.EXPIRED}
    assert AuditEvent.objects.filter(action="application.expire").count() == 3
    assert services.applications_expire_lapsed() == 0


def test_exam_authorization_follows_approval_training_and_the_exam_fee(pay, django_capture_on_commit_callbacks):
    from peercert.exams.models import ExamAuthorization
    from peercert.finance import services as finance_services

    user, application = submitted_paid(pay)
    staff = reviewer()
    services.application_review_start(actor=staff, application=application)
    decide_all(staff, application)
    services.application_approve(actor=staff, application=application)
    exam_invoice = finance_selectors.invoice_for(
        reference_type=fees.APPLICATION_REFERENCE, reference_id=application.pk, fee_code="fee_exam"
    )
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            actor=user,
            invoice=exam_invoice,
            method="test_card",
            amount=exam_invoice.amount,
            card_number="4242424242424242",
        )
    assert not ExamAuthorization.objects.filter(person=user.person).exists()  # training not done yet
    services.milestone_record(actor=staff, person=user.person, kind="training_completed", occurred_on=clock.today())
    auth = ExamAuthorization.objects.get(person=user.person)
    application.refresh_from_db()
    assert auth.valid_until == application.valid_until


def test_withdrawing_cancels_an_unpaid_fee_but_keeps_a_paid_one(pay):
    user = applicant()
    application = filled_application(user)
    services.application_submit(actor=user, application=application)
    services.application_withdraw(actor=user, application=application, reason="moving away")
    assert fees.application_invoice(application).status == "cancelled"
    other, paid = submitted_paid(pay, user=applicant(first="Ana", last="Peña"))
    services.application_withdraw(actor=other, application=paid)
    assert fees.application_invoice(paid).status == "paid"
