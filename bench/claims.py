"""Benchmark of billing at volume: the gate, the eligibility import against COPY, and the 837P/835 round.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_claims .venv/bin/python bench/claims.py
    BENCH_LINES=1000000 BENCH_ELIGIBILITY_ROWS=1000000 BENCH_CLAIM_LINES=100000 ... bench/claims.py

Runs the three parts one after another, each in its own fresh test database, and prints each one's
figures (time, SQL statements, peak memory, and the ratio to its floor):
  bench/claims_gate.py         the certification-to-claim gate over BENCH_LINES service lines, beside one
                               hand-written SQL query of the same rules and a per-row ORM loop on a sample;
  bench/claims_eligibility.py  the eligibility file import of BENCH_ELIGIBILITY_ROWS rows beside
                               PostgreSQL COPY of the same rows (PostgreSQL only);
  bench/claims_x12.py          the 837P build and its pyx12 validation, and the 835 import, for
                               BENCH_CLAIM_LINES billable lines.
Each part also runs alone.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ["claims_gate.py", "claims_eligibility.py", "claims_x12.py"]


def main() -> int:
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    failed = 0
    for part in PARTS:
        if part == "claims_eligibility.py" and not postgres:
            print(f"== {part}: skipped (its floor is PostgreSQL's COPY; set DATABASE_URL=postgres://...)")
            continue
        print(f"== {part}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / part)]) != 0
    return failed


if __name__ == "__main__":
    sys.exit(main())
