"""Bare benefit rows, for reads and for the tests of the parts built on them.

Workflow tests make these through the services (which check the rules); these skip the rules.
"""

import datetime
import secrets
from decimal import Decimal

import factory

from peercert.accounts.models import County
from peercert.accounts.tests.factories import PersonFactory
from peercert.benefit.models import (
    Employment,
    EmploymentStatus,
    Provider,
    ProviderKind,
    Rate,
    RateStatus,
    SupervisorAssignment,
    Webhook,
)


def county(name: str = "Los Angeles") -> County:
    return County.objects.get(name=name)


def valid_npi(seed: int) -> str:
    """A 10-digit NPI with a correct check digit (Luhn over the 80840 prefix and the first 9 digits)."""
    body = f"1{seed % 10**8:08d}"
    digits = [int(d) for d in "80840" + body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    county = factory.LazyFunction(county)
    name = factory.Sequence(lambda n: f"Clínica Esperanza {n}")
    kind = ProviderKind.CONTRACTED
    npi = factory.Sequence(lambda n: valid_npi(4200 + n))
    address_line1 = factory.Sequence(lambda n: f"{100 + n} Cesar E Chavez Ave")
    city = "Los Angeles"
    postal_code = "90033"
    active_from = datetime.date(2022, 7, 1)
    smhs = True


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    provider = factory.SubFactory(ProviderFactory)
    county = factory.SelfAttribute("provider.county")
    position_title = "Peer Support Specialist"
    fte = Decimal("1.00")
    start_on = datetime.date(2025, 2, 1)
    smhs = True
    status = EmploymentStatus.HIRED
    hired_on = factory.SelfAttribute("start_on")


class SupervisorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisorAssignment

    supervisor = factory.SubFactory(PersonFactory)
    employment = factory.SubFactory(EmploymentFactory)
    county = factory.SelfAttribute("employment.county")
    start_on = factory.SelfAttribute("employment.start_on")
    training_due_on = factory.LazyAttribute(lambda a: a.start_on + datetime.timedelta(days=60))


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    county = factory.LazyFunction(county)
    delivery_system = "smhs"
    code = "H0038"
    amount = Decimal("41.25")
    effective_from = datetime.date(2025, 7, 1)
    status = RateStatus.APPROVED


class WebhookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Webhook

    county = factory.LazyFunction(county)
    url = factory.Sequence(lambda n: f"https://ehr{n}.example.org/peercert/events")
    secret = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


# --- rates ---


class FederalAuthorityFactory(factory.django.DjangoModelFactory):
    """A bare authority covering H0038 and H0025 in SMHS from July 2022 (add code rows with `codes`)."""

    class Meta:
        model = "benefit.FederalAuthority"
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"SPA 22-{26 + n:04d}")
    kind = "spa"
    title = "Peer support services"
    approved_on = datetime.date(2022, 6, 15)
    effective_from = datetime.date(2022, 7, 1)
    smhs = True

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if create:
            for code in extracted if extracted is not None else ("H0038", "H0025"):
                self.code_rows.create(code=code)


# --- alerts ---


class LocalReceiver:
    """A real HTTP server on 127.0.0.1 in a thread, recording each request and answering with the next of
    `statuses` (the last one repeats). Use as a context manager; .url(path) is its address."""

    def __init__(self, statuses=(200,)):
        import http.server
        import threading

        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def open_employment(person, county_name: str = "Los Angeles", **kwargs) -> Employment:
    """A hired employment of the person at a new provider in that county."""
    where = county(county_name)
    return EmploymentFactory(person=person, provider=ProviderFactory(county=where), **kwargs)
