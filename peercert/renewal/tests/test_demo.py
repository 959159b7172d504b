import datetime

import pytest
import time_machine

from peercert.accounts import demo as accounts_demo
from peercert.certification.models import Certification
from peercert.renewal import demo, selectors, services
from peercert.renewal.models import RenewalStatus

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 12, 1, 17, tzinfo=datetime.UTC), tick=False)
def test_demo_is_idempotent_and_each_peer_is_in_the_state_it_shows():
    accounts_demo.seed(None)
    demo.seed(None)
    counts = Certification.objects.count()
    demo.seed(None)
    assert Certification.objects.count() == counts == 3
    renueva = Certification.objects.get(person__email="renueva@demo.peercert.example")
    assert selectors.renewal_situation(renueva.person)["can_start"]
    renewal = services.renewal_start(actor=renueva.person.user, certification=renueva)
    services.renewal_sign(
        actor=renueva.person.user, renewal=renewal, ethics_signed_name=renueva.person.full_name, attest=True
    )
    assert services.renewal_submit(actor=renueva.person.user, renewal=renewal).status in (
        RenewalStatus.WAITING_FOR_FEE,
        RenewalStatus.UNDER_REVIEW,
    )
    vencida = Certification.objects.get(person__email="vencida@demo.peercert.example")
    assert vencida.status == "expired" and selectors.renewal_situation(vencida.person)["kind"] == "reinstatement"
    late = services.renewal_start(actor=vencida.person.user, certification=vencida)
    late = services.renewal_sign(
        actor=vencida.person.user,
        renewal=late,
        ethics_signed_name=vencida.person.full_name,
        attest=True,
        proof="refresher",
    )
    assert [c["code"] for c in services.renewal_checks(late) if not c["ok"]] == []
    desocupada = Certification.objects.get(person__email="desocupada@demo.peercert.example")
    assert desocupada.status == "vacated" and selectors.renewal_situation(desocupada.person)["kind"] == "vacated"
