"""Bounded types for API parameters, so out-of-range input is a 422 and never reaches the database.

A database integer column holds at most 2**63 - 1 (PostgreSQL bigint, SQLite INTEGER); a larger
number from a query string overflowed in the driver and came back as a 500. Text may not carry a
NUL byte, which PostgreSQL refuses in any string.
"""

from typing import Annotated

from pydantic import Field, StringConstraints

MAX_ID = 2**63 - 1
MAX_OFFSET = 2**31 - 1
NO_NUL = r"^[^\x00]*$"

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def text(max_length: int):
    """A string parameter of at most max_length characters, without NUL bytes."""
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL)]
