import datetime
from decimal import Decimal

import pytest

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import user_with_role
from peercert.core.errors import ApplicationError
from peercert.core.models import AuditEvent
from peercert.finance import services as finance_services
from peercert.training import fees, services
from peercert.training.models import ProviderApplication, ProviderStatus
from peercert.training.tests.factories import ProviderApplicationFactory

# action -> (service call, who acts, resulting status, statuses it may start from)
ACTIONS = {
    "start_review": (
        lambda a, app: services.provider_application_start_review(actor=a, application=app),
        "staff",
        ProviderStatus.UNDER_REVIEW,
        {ProviderStatus.SUBMITTED},
    ),
    "approve": (
        lambda a, app: services.provider_application_approve(actor=a, application=app),
        "staff",
        ProviderStatus.APPROVED,
        {ProviderStatus.UNDER_REVIEW},
    ),
    "return": (
        lambda a, app: services.provider_application_return(actor=a, application=app, comments="Add trainer CVs"),
        "staff",
        ProviderStatus.RETURNED,
        {ProviderStatus.UNDER_REVIEW},
    ),
    "deny": (
        lambda a, app: services.provider_application_deny(actor=a, application=app, comments="Not qualified"),
        "staff",
        ProviderStatus.DENIED,
        {ProviderStatus.UNDER_REVIEW},
    ),
    "resubmit": (
        lambda a, app: services.provider_application_resubmit(actor=a, application=app),
        "entity",
        ProviderStatus.SUBMITTED,
        {ProviderStatus.RETURNED},
    ),
    "suspend": (
        lambda a, app: services.provider_application_suspend(actor=a, application=app, reason="Complaint"),
        "staff",
        ProviderStatus.SUSPENDED,
        {ProviderStatus.APPROVED},
    ),
    "lift": (
        lambda a, app: services.provider_application_lift_suspension(actor=a, application=app),
        "staff",
        ProviderStatus.APPROVED,
        {ProviderStatus.SUSPENDED},
    ),
    "withdraw": (
        lambda a, app: services.provider_application_withdraw(actor=a, application=app, reason="Closing"),
        "entity",
        ProviderStatus.WITHDRAWN,
        {
            ProviderStatus.SUBMITTED,
            ProviderStatus.UNDER_REVIEW,
            ProviderStatus.RETURNED,
            ProviderStatus.APPROVED,
            ProviderStatus.SUSPENDED,
            ProviderStatus.EXPIRED,
        },
    ),
    "renew": (
        lambda a, app: services.provider_application_renew(actor=a, application=app),
        "staff",
        ProviderStatus.APPROVED,
        {ProviderStatus.APPROVED, ProviderStatus.EXPIRED},
    ),
}


def _application(entity, status, today):
    extra = {}
    if status in (ProviderStatus.APPROVED, ProviderStatus.SUSPENDED, ProviderStatus.EXPIRED):
        until = (
            today + datetime.timedelta(days=30)
            if status != ProviderStatus.EXPIRED
            else today - datetime.timedelta(days=1)
        )
        extra = {
            "approved_from": until - datetime.timedelta(days=700),
            "approved_until": until,
            "renewal_requested_at": datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
            "renewal_fee_settled": True,
        }
    return ProviderApplicationFactory(training_entity=entity, status=status, **extra)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("status", list(ProviderStatus.values))
def test_every_provider_transition(action, status, entity, entity_staff, reviewer, fixed_today):
    call, who, target, sources = ACTIONS[action]
    app = _application(entity, status, fixed_today)
    actor = reviewer if who == "staff" else entity_staff
    if status in sources:
        result = call(actor, app)
        assert result.status == target
        assert AuditEvent.objects.filter(
            object_type="training.providerapplication",
            object_id=str(app.pk),
            action__startswith="provider_application.",
        ).exists()
    else:
        with pytest.raises(ApplicationError) as err:
            call(actor, app)
        assert err.value.code == "state"
        assert ProviderApplication.objects.get(pk=app.pk).status == status


def test_submit_charges_fee_once_per_type_and_language(entity, entity_staff):
    app = services.provider_application_submit(
        actor=entity_staff, training_entity=entity, training_type="core", language="es"
    )
    assert app.status == ProviderStatus.SUBMITTED
    assert AuditEvent.objects.get(action="provider_application.submit").after["fee"] == "300.00"
    with pytest.raises(ApplicationError) as err:
        services.provider_application_submit(
            actor=entity_staff, training_entity=entity, training_type="core", language="es"
        )
    assert err.value.code == "duplicate"
    # Another language is another application.
    services.provider_application_submit(
        actor=entity_staff, training_entity=entity, training_type="core", language="en"
    )


def test_only_own_entity_staff_apply_and_only_program_staff_decide(entity, reviewer):
    stranger = user_with_role(Role.TRAINING_STAFF)
    with pytest.raises(ApplicationError) as err:
        services.provider_application_submit(
            actor=stranger, training_entity=entity, training_type="core", language="en"
        )
    assert err.value.code == "forbidden"
    app = ProviderApplicationFactory(training_entity=entity, status=ProviderStatus.UNDER_REVIEW)
    for role in (Role.DHCS_APPROVER, Role.AUDITOR, Role.COUNTY_STAFF, Role.PEER):
        with pytest.raises(ApplicationError):
            services.provider_application_approve(actor=user_with_role(role), application=app)


def test_approval_sets_term_from_rules_and_needs_fee(entity, reviewer, fixed_today):
    app = ProviderApplicationFactory(training_entity=entity, status=ProviderStatus.UNDER_REVIEW)
    approved = services.provider_application_approve(actor=reviewer, application=app, comments="Welcome")
    assert approved.approved_from == fixed_today
    assert approved.approved_until == datetime.date(2028, 2, 15)
    assert approved.rules_version


def test_return_and_deny_need_comments(entity, reviewer):
    app = ProviderApplicationFactory(training_entity=entity, status=ProviderStatus.UNDER_REVIEW)
    with pytest.raises(ApplicationError):
        services.provider_application_return(actor=reviewer, application=app, comments=" ")
    with pytest.raises(ApplicationError):
        services.provider_application_deny(actor=reviewer, application=app, comments="")


def test_renewal_request_window_and_new_term(entity, entity_staff, reviewer, fixed_today):
    app = ProviderApplicationFactory(
        training_entity=entity,
        status=ProviderStatus.APPROVED,
        approved_from=datetime.date(2025, 1, 1),
        approved_until=datetime.date(2026, 12, 31),
    )
    with pytest.raises(ApplicationError) as err:
        services.provider_application_request_renewal(actor=entity_staff, application=app)
    assert "opens" in err.value.message
    app.approved_until = fixed_today + datetime.timedelta(days=20)
    app.save()
    services.provider_application_request_renewal(actor=entity_staff, application=app)
    with pytest.raises(ApplicationError) as err:
        services.provider_application_request_renewal(actor=entity_staff, application=app)
    assert err.value.code == "duplicate"
    with pytest.raises(ApplicationError, match="renewal fee"):
        services.provider_application_renew(actor=reviewer, application=app)
    invoice = fees.invoice_for(app, fees.FEE_RENEWAL)
    assert invoice.amount == Decimal("300.00")
    finance_services.invoice_waive(actor=reviewer, invoice=invoice, reason="Community partner")
    renewed = services.provider_application_renew(actor=reviewer, application=app)
    assert renewed.approved_until == datetime.date(2028, 3, 8)
    assert renewed.renewal_requested_at is None


def test_renew_refused_without_request(entity, reviewer):
    app = ProviderApplicationFactory(
        training_entity=entity,
        status=ProviderStatus.APPROVED,
        approved_from=datetime.date(2025, 1, 1),
        approved_until=datetime.date(2026, 3, 1),
    )
    with pytest.raises(ApplicationError):
        services.provider_application_renew(actor=reviewer, application=app)


def test_expiry_sweep_is_set_based(entity, fixed_today, django_assert_max_num_queries):
    for lang in ("en", "es", "vi"):
        ProviderApplicationFactory(
            training_entity=entity,
            language=lang,
            status=ProviderStatus.APPROVED,
            approved_from=datetime.date(2024, 1, 1),
            approved_until=datetime.date(2026, 1, 1),
        )
    with django_assert_max_num_queries(6):
        assert services.provider_applications_expire(today=fixed_today) == 3
    assert set(ProviderApplication.objects.values_list("status", flat=True)) == {ProviderStatus.EXPIRED}
    assert AuditEvent.objects.filter(action="provider_application.expire").count() == 3


def test_lift_refused_after_term_ended(entity, reviewer, fixed_today):
    app = ProviderApplicationFactory(
        training_entity=entity,
        status=ProviderStatus.SUSPENDED,
        approved_from=datetime.date(2024, 1, 1),
        approved_until=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ApplicationError):
        services.provider_application_lift_suspension(actor=reviewer, application=app)


def test_fee_invoiced_through_finance_and_settlement_unlocks_approval(
    entity, entity_staff, reviewer, django_capture_on_commit_callbacks
):
    app = services.provider_application_submit(
        actor=entity_staff, training_entity=entity, training_type="supervisor", language="en"
    )
    invoice = fees.invoice_for(app, fees.FEE_APPLICATION)
    assert invoice.amount == Decimal("300.00") and invoice.payer.user == entity_staff
    assert invoice.rules_version
    services.provider_application_start_review(actor=reviewer, application=app)
    with pytest.raises(ApplicationError, match="fee"):
        services.provider_application_approve(actor=reviewer, application=app)
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            actor=reviewer, invoice=invoice, method="check", amount="300.00", external_reference="Check 1042"
        )
    app.refresh_from_db()
    assert app.fee_settled
    assert services.provider_application_approve(actor=reviewer, application=app).status == ProviderStatus.APPROVED


def test_withdrawal_cancels_an_unpaid_fee(entity, entity_staff):
    app = services.provider_application_submit(
        actor=entity_staff, training_entity=entity, training_type="core", language="vi"
    )
    services.provider_application_withdraw(actor=entity_staff, application=app, reason="Not this year")
    assert fees.invoice_for(app, fees.FEE_APPLICATION).status == "cancelled"


def test_expiry_runs_as_a_daily_job(entity):
    from peercert.core.jobs import run_daily_jobs

    ProviderApplicationFactory(
        training_entity=entity,
        status=ProviderStatus.APPROVED,
        approved_from=datetime.date(2024, 1, 1),
        approved_until=datetime.date(2026, 1, 1),
    )
    day = datetime.date(2026, 1, 2)
    [run] = run_daily_jobs(today=day, only=["training.expire_provider_approvals"])
    assert run.counts == {"expired": 1}
    [again] = run_daily_jobs(today=day, only=["training.expire_provider_approvals"])
    assert again.counts == {"expired": 0}
    assert ProviderApplication.objects.get().status == ProviderStatus.EXPIRED
