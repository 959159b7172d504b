"""Every exam test runs at three wall-clock instants that used to break date arithmetic:

- 00:05 Pacific, when the UTC date is already the next day;
- 23:55 Pacific, the last minutes of the Pacific day;
- 01:30 Pacific on the spring DST change day (2 AM becomes 3 AM: a 150-minute exam crosses it).

The clock ticks from there (time-machine), so a test that travels further still nests. Browser
tests (live server) keep their own frozen clock and run once.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

PACIFIC = ZoneInfo("America/Los_Angeles")
WALL_CLOCKS = {
    "0005_pacific": datetime.datetime(2026, 12, 2, 0, 5, tzinfo=PACIFIC),
    "2355_pacific": datetime.datetime(2026, 12, 1, 23, 55, tzinfo=PACIFIC),
    "dst_spring_0130": datetime.datetime(2027, 3, 14, 1, 30, tzinfo=PACIFIC),
}


def pytest_generate_tests(metafunc):
    if "live_server" in metafunc.fixturenames or "page" in metafunc.fixturenames:
        return
    metafunc.fixturenames.insert(0, "_wall_clock")  # first, before any fixture reads the clock
    metafunc.parametrize("_wall_clock", list(WALL_CLOCKS), indirect=True)


@pytest.fixture
def _wall_clock(request):
    with time_machine.travel(WALL_CLOCKS[request.param], tick=True):
        yield WALL_CLOCKS[request.param]
