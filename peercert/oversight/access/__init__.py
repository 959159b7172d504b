"""This app's rows of the access matrix (see peercert/web/tests/test_access_matrix.py), one module per part."""

from peercert.oversight.access import dashboards, plan, reports

PARTS = (
    plan,
    reports,
    dashboards,
)

ACCESS: dict = {}
for _part in PARTS:
    ACCESS.update(_part.ACCESS)


def build_world(w) -> dict:
    built: dict = {}
    for part in PARTS:
        built.update(part.build_world({**w, **built}) or {})
    return built
