"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py).

Written out by hand, not imported from permissions.py. The world's fund belongs to Los Angeles, the
county of the matrix's county users, and needs a nomination; the matrix's peer applied to it.
"""

import datetime
from decimal import Decimal

from peercert.accounts.roles import Role
from peercert.core.access import SIGNED_IN

STAFF = {Role.PROGRAM_REVIEWER, Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
DECIDERS = {Role.PROGRAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
READERS = STAFF | {Role.DHCS_ANALYST, Role.DHCS_APPROVER, Role.AUDITOR}
LEDGER_READERS = READERS | {Role.COUNTY_STAFF}


def _fund(w):
    return {"fund_id": w["scholarship_fund"].pk}


def _open_fund(w):
    return {"fund_id": w["scholarship_open_fund"].pk}


def _nomination(w):
    return {"nomination_id": w["scholarship_nomination"].pk}


def _application(w):
    return {"application_id": w["scholarship_application"].pk}


def _award(w):
    return {"award_id": w["scholarship_award"].pk}


ACCESS: dict = {
    "scholarships:my_scholarships": {"allow": SIGNED_IN},
    "scholarships:fund_list": {"allow": LEDGER_READERS},
    "scholarships:fund_create": {"allow": DECIDERS},
    "scholarships:fund_detail": {"allow": LEDGER_READERS, "kwargs": _fund},
    "scholarships:nominate": {"allow": {Role.COUNTY_STAFF}, "kwargs": _fund},
    "scholarships:apply": {"allow": {Role.PEER}, "kwargs": _open_fund},
    "scholarships:nominations": {"allow": LEDGER_READERS},
    "scholarships:nomination_withdraw": {"allow": DECIDERS | {Role.COUNTY_STAFF}, "kwargs": _nomination},
    "scholarships:applications": {"allow": READERS},
    "scholarships:application_detail": {"allow": READERS | {Role.PEER}, "kwargs": _application},
    "scholarships:application_award": {"allow": DECIDERS, "kwargs": _application},
    "scholarships:application_decline": {"allow": DECIDERS, "kwargs": _application},
    "scholarships:application_withdraw": {"allow": {Role.PEER}, "kwargs": _application},
    "scholarships:award_detail": {"allow": READERS | {Role.PEER}, "kwargs": _award},
    "scholarships:award_disburse": {"allow": STAFF, "kwargs": _award},
    "scholarships:award_end": {"allow": DECIDERS, "kwargs": _award},
    "scholarships:report": {"allow": LEDGER_READERS},
    "scholarships:report_csv": {"allow": LEDGER_READERS},
    "scholarships:report_xlsx": {"allow": LEDGER_READERS},
}


def build_world(w) -> dict:
    """A Los Angeles fund needing nominations, an open fund, a nomination, an application and an award
    of the matrix's peer."""
    from peercert.accounts.models import County
    from peercert.core import clock
    from peercert.scholarships.services import application_award, application_submit, fund_create, nomination_create

    county = County.objects.get(name="Los Angeles")
    today = clock.today()
    fund = fund_create(
        actor=None,
        name="Matrix LA fund",
        funder_kind="county",
        county=county,
        budget=Decimal("1000.00"),
        fee_codes=["fee_exam"],
        covers_tuition=True,
        nomination_required=True,
        opens_on=today - datetime.timedelta(days=30),
    )
    open_fund = fund_create(
        actor=None,
        name="Matrix open fund",
        funder_kind="dhcs",
        budget=Decimal("1000.00"),
        fee_codes=["fee_exam"],
        opens_on=today - datetime.timedelta(days=30),
    )
    county_staff = w["users"][Role.COUNTY_STAFF]
    nomination = nomination_create(actor=county_staff, fund=fund, name="Nominee", email="nominee@matrix.example")
    application = application_submit(
        actor=w["peer"], fund=open_fund, pathway="standard", need_statement="Need", fee_codes=["fee_exam"]
    )
    award = application_award(
        actor=None,
        application=application,
        amount=Decimal("100.00"),
        fee_codes=["fee_exam"],
        expires_on=today + datetime.timedelta(days=30),
    )
    # A second, waiting application (to a fund the peer may still apply to) for the award/decline buttons.
    waiting = application_submit(
        actor=w["peer"], fund=open_fund, pathway="standard", need_statement="Need", fee_codes=["fee_exam"]
    )
    return {
        "scholarship_fund": fund,
        "scholarship_open_fund": open_fund,
        "scholarship_nomination": nomination,
        "scholarship_application": waiting,
        "scholarship_award": award,
    }
