"""Every tabular import refuses oversized, non-text and million-row files through its page (issue 11, finding 7)."""

import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peercert.accounts.roles import Role
from peercert.accounts.tests.factories import TrainingEntityFactory, user_with_role
from peercert.core import tabular
from peercert.core.tests.test_tabular_limits import big_xlsx
from peercert.training.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

TWELVE_MB = b"a,b\n" + b"x,1\n" * (3 * 1024 * 1024)
NUL = b"a,b\nx\x00,1\n"


def _roster(client):
    entity = TrainingEntityFactory()
    offering = OfferingFactory(training_entity=entity)
    client.force_login(user_with_role(Role.TRAINING_STAFF, training_entity=entity))
    return reverse("training:roster_upload", args=[offering.pk])


def _legacy(client):
    client.force_login(user_with_role(Role.PROGRAM_REVIEWER))
    return reverse("certification:historical_import")


def _vendor(client):
    client.force_login(user_with_role(Role.EXAM_ADMINISTRATOR))
    return reverse("exams:vendor_import")


IMPORTS = [_roster, _legacy, _vendor]


def _post(client, url, name, content):
    response = client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", IMPORTS)
def test_twelve_megabytes_are_refused_before_any_row_is_read(client, page):
    url = page(client)
    with (
        mock.patch.object(tabular, "read_rows") as parsed,
        mock.patch.object(tabular, "check_tabular_content") as checked,
    ):
        body = _post(client, url, "big.csv", TWELVE_MB)
    assert "the limit is 5 MB" in body
    parsed.assert_not_called()
    checked.assert_not_called()


@pytest.mark.parametrize("page", IMPORTS)
def test_nul_bytes_are_refused(client, page):
    body = _post(client, page(client), "nul.csv", NUL)
    assert "NUL byte on line 2" in body


@pytest.mark.parametrize("page", [_roster, _legacy])
def test_a_million_row_workbook_is_refused_fast(client, page):
    url = page(client)
    content = big_xlsx(1_000_000, header=("first_name", "last_name"))
    started = time.process_time()
    body = _post(client, url, "huge.xlsx", content)
    assert time.process_time() - started < 3
    assert "rows (it was read up to line" in body and "Split it and upload each part." in body


def test_the_vendor_file_takes_csv_only_and_stops_at_the_row_limit(client):
    url = _vendor(client)
    assert "is not a CSV file" in _post(client, url, "results.xlsx", big_xlsx(10))
    rows = b"candidate_id,form,item_id,answer\n" + b"1,f,I1,A\n" * (tabular.DEFAULT_MAX_ROWS + 5)
    started = time.process_time()
    body = _post(client, url, "results.csv", rows)
    assert time.process_time() - started < 5
    assert f"the limit is {tabular.DEFAULT_MAX_ROWS:,}" in body or f"the limit is {tabular.DEFAULT_MAX_ROWS}" in body
