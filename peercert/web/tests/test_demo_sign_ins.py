"""The demo's sign-in table and the site's own address in links."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from peercert.core import site
from peercert.web.management.commands.seed_demo import demo_people, sign_in_table

pytestmark = pytest.mark.django_db


def test_sign_in_table_lists_every_role_and_the_demo_peers():

    table = sign_in_table(
        [("County billing", "billing@demo.peercert.example", "Los Angeles"), ("DHCS analyst", "analyst@x", "")],
        demo_people(),
    )
    assert re.search(r"billing@demo\.peercert\.example +County billing \(Los Angeles\)", table)
    assert "renueva@demo.peercert.example" in table and "county.fresno@demo.peercert.example" in table
    assert "Password for every sign-in below: peercert-demo-2026" in table
    assert table.strip().startswith("=" * 100) and table.strip().endswith("=" * 100)


def test_every_role_has_a_demo_sign_in():
    from peercert.accounts.demo import DEMO_USERS
    from peercert.accounts.roles import Role

    assert {role for _email, role, *_rest in DEMO_USERS} == set(Role)


@override_settings(SITE_URL="http://127.0.0.1:8000", SITE_URL_FROM_REQUEST=True)
def test_links_follow_the_address_the_server_answers_on(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    seen = {}

    def view_probe(request):
        seen["link"] = site.absolute("/registry/")
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = site.RequestSiteMiddleware(view_probe)
    from django.test import RequestFactory

    middleware(RequestFactory().get("/", HTTP_HOST="192.168.1.20:9000"))
    assert seen["link"] == "http://192.168.1.20:9000/registry/"
    assert site.absolute("/registry/") == "http://127.0.0.1:8000/registry/"  # outside a request: SITE_URL


@override_settings(SITE_URL="https://peercert.dhcs.ca.gov", SITE_URL_FROM_REQUEST=False)
def test_production_links_never_follow_the_host_header():
    from django.http import HttpResponse
    from django.test import RequestFactory

    seen = {}

    def view_probe(request):
        seen["link"] = site.absolute("/sign-in/")
        return HttpResponse("ok")

    site.RequestSiteMiddleware(view_probe)(RequestFactory().get("/", HTTP_HOST="testserver"))
    assert seen["link"] == "https://peercert.dhcs.ca.gov/sign-in/"
    assert not mail.outbox
