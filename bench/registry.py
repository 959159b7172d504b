"""Registry benchmark: 100,000 certifications in PostgreSQL, then API latency against bare SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_certify_bench .venv/bin/python bench/registry.py

Loads the data set-based (one INSERT ... SELECT generate_series per table; run again and
it is reused), then times GET /api/v1/registry/certifications for name, number and status
searches through Django's test Client, beside the two SQL queries those requests run
(compiled from the same querysets) executed bare on a cursor. Prints median and p95 in
milliseconds and the ratio API / SQL. Targets: API p95 < 25 ms and within 5x of bare SQL.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings with DEBUG off need a key; the test Client speaks plain HTTP.
os.environ.setdefault("SECRET_KEY", "bench-only-key-not-secret-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from peercert.core.text import fold  # noqa: E402
from peercert.registry import selectors  # noqa: E402

TOTAL = int(os.environ.get("BENCH_CERTIFICATIONS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "300"))
DOMAIN = "bench.peercert.example"
FIRST = [
    "María",
    "José",
    "Guadalupe",
    "Nguyễn",
    "Thảo",
    "Siobhán",
    "Renée",
    "Zoë",
    "Tomás",
    "Anaïs",
    "Joaquín",
    "Begoña",
    "Inés",
    "Ramón",
    "Dolores",
    "Héctor",
    "Xóchitl",
    "Ngozi",
    "Maëlle",
    "Iñaki",
    "Lucía",
    "Andrés",
    "Mónica",
    "Raúl",
    "Verónica",
    "Sebastián",
    "Jesús",
    "Ximena",
    "Darnell",
    "Aroha",
    "Kwame",
    "Ji-woo",
    "Gurpreet",
    "Lupe",
    "Ana Lucía",
    "Luz",
    "Ofelia",
    "Yesenia",
    "Armando",
    "Tuấn",
]
LAST = [
    "Hernández",
    "Núñez",
    "Trần",
    "Peña",
    "Castañeda",
    "Ibáñez",
    "Muñoz",
    "Gómez",
    "Pérez",
    "Sánchez",
    "Rodríguez",
    "Martínez",
    "López",
    "Díaz",
    "Álvarez",
    "Ramírez",
    "Chávez",
    "Domínguez",
    "Vásquez",
    "Jiménez",
    "Lê",
    "Phạm",
    "Nakamura",
    "O'Connor",
    "Dubois",
    "Okafor",
    "Tuiasosopo",
    "Kaur",
    "Park",
    "Mensah",
    "Ortega",
    "Gutiérrez",
    "Villaseñor",
    "Quiñónez",
    "Espíndola",
    "Nguyễn",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Zúñiga",
    "Cárdenas",
    "Olvera",
    "Saldaña",
    "Montaño",
    "Arévalo",
    "Báez",
    "Córdova",
    "Galván",
    "Ibarra",
]


def load() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM certification_certification c JOIN accounts_person p ON p.id = c.person_id "
            "WHERE p.email LIKE %s",
            [f"%@{DOMAIN}"],
        )
        have = cursor.fetchone()[0]
        if have >= TOTAL:
            print(f"Reusing {have:,} benchmark certifications.")
            return
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        # A partial earlier load is cleared, so the data set is always exactly TOTAL rows.
        cursor.execute(
            "DELETE FROM certification_certificationspecialization WHERE certification_id IN "
            "(SELECT id FROM certification_certification WHERE number LIKE 'PSB-%')"
        )
        cursor.execute("DELETE FROM certification_certification WHERE number LIKE 'PSB-%'")
        cursor.execute("DELETE FROM accounts_person WHERE email LIKE %s", [f"%@{DOMAIN}"])
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM accounts_county")
        county_ids = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM accounts_certificationprogram WHERE code = 'statewide'")
        program_id = cursor.fetchone()[0]
        # Names vary by (first, last, a middle initial); search_name is folded here exactly as Person.save() folds it.
        firsts = FIRST
        lasts = LAST
        # One statement per table: generate_series drives every row.
        cursor.execute(
            """
            INSERT INTO accounts_person (created_at, updated_at, legal_first_name, legal_middle_name, legal_last_name,
                preferred_name, date_of_birth, email, phone, address_line1, address_line2, city, state, postal_code,
                preferred_language, search_name)
            SELECT now(), now(), (%(firsts)s::text[])[1 + g %% %(nf)s], chr(65 + (g / 7) %% 26),
                   (%(lasts)s::text[])[1 + (g / %(nf)s) %% %(nl)s], '', date '1960-01-01' + (g %% 14000),
                   'bench' || g || '@' || %(domain)s, '(916) 555-0100', '', '', '', 'CA', '', 'en',
                   (%(ffirsts)s::text[])[1 + g %% %(nf)s] || ' ' || lower(chr(65 + (g / 7) %% 26)) || ' '
                   || (%(flasts)s::text[])[1 + (g / %(nf)s) %% %(nl)s]
            FROM generate_series(1, %(total)s) AS g
            """,
            {
                "firsts": firsts,
                "lasts": lasts,
                "ffirsts": [fold(f) for f in firsts],
                "flasts": [fold(n) for n in lasts],
                "nf": len(firsts),
                "nl": len(lasts),
                "domain": DOMAIN,
                "total": TOTAL,
            },
        )
        cursor.execute(
            """
            INSERT INTO certification_certification (created_at, updated_at, number, person_id, program_id, status,
                issued_on, expires_on, status_changed_on, county_id, rules_version, sort_name)
            SELECT now(), now(), 'PSB-' || lpad(p.id::text, 7, '0'), p.id, %(program)s,
                   (ARRAY['active','active','active','active','active','active','active','expired','suspended',
                          'revoked','surrendered','vacated'])[1 + p.id %% 12],
                   date '2024-01-01' + (p.id %% 700)::int, date '2026-01-01' + (p.id %% 700)::int, date '2024-01-01' + (p.id %% 700)::int,
                   (%(counties)s::bigint[])[1 + p.id %% %(nc)s], 'bench', p.search_name
            FROM accounts_person p WHERE p.email LIKE %(pattern)s
            """,
            {"program": program_id, "pattern": f"%@{DOMAIN}", "counties": county_ids, "nc": len(county_ids)},
        )
        cursor.execute(
            """
            INSERT INTO certification_certificationspecialization (created_at, updated_at, certification_id,
                specialization, added_on)
            SELECT now(), now(), c.id, (ARRAY['parent_caregiver_family','crisis','justice_involved','unhoused'])[1 + c.id % 4],
                   c.issued_on
            FROM certification_certification c WHERE c.number LIKE 'PSB-%' AND c.id % 5 = 0
            ON CONFLICT DO NOTHING
            """
        )
    with connection.cursor() as cursor:
        for table in ("accounts_person", "certification_certification", "certification_certificationspecialization"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"Loaded {TOTAL:,} certifications in {time.perf_counter() - started:.1f} s (set-based).")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_api(client, params_list):
    out = []
    for params in params_list:
        t = time.perf_counter()
        response = client.get("/api/v1/registry/certifications", params)
        out.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:200]
    return out


def time_sql(params_list):
    """The two queries a search runs (the page's ids, then their rows), bare on a cursor."""
    out = []
    with connection.cursor() as cursor:
        for params in params_list:
            page = int(params.get("page", 1))
            start = (page - 1) * selectors.PAGE_SIZE
            ids_qs = selectors.registry_page_ids(
                name=params.get("name", ""),
                number=params.get("number", ""),
                status=params.get("status", ""),
                start=start,
                stop=start + selectors.PAGE_SIZE + 1,
            )
            ids_sql, ids_params = ids_qs.query.sql_with_params()
            t = time.perf_counter()
            cursor.execute(ids_sql, ids_params)
            ids = [row[0] for row in cursor.fetchall()][: selectors.PAGE_SIZE]
            elapsed = time.perf_counter() - t
            if ids:  # compiling the second query is Django's work, so it stays off the clock
                rows_sql, rows_params = selectors.registry_rows_queryset(ids).query.sql_with_params()
                t = time.perf_counter()
                cursor.execute(rows_sql, rows_params)
                cursor.fetchall()
                elapsed += time.perf_counter() - t
            out.append(elapsed * 1000)
    return out


def main():
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: DATABASE_URL=postgres://... .venv/bin/python bench/registry.py")
    call_command("migrate", verbosity=0)
    load()
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number FROM certification_certification WHERE number LIKE 'PSB-%%' ORDER BY random() LIMIT %s",
            [RUNS],
        )
        numbers = [row[0] for row in cursor.fetchall()]
    name_terms = (
        [fold(n)[:5] for n in LAST]
        + [fold(f) for f in FIRST]
        + [f"{fold(f)} {chr(97 + rng.randrange(26))}" for f in FIRST]
    )
    cases = {
        "name": [{"name": rng.choice(name_terms)} for _ in range(RUNS)],
        "number": [{"number": rng.choice(numbers)} for _ in range(RUNS)],
        "status": [
            {"status": rng.choice(["active", "suspended", "expired"]), "page": rng.randint(1, 10)} for _ in range(RUNS)
        ],
    }
    client = Client()
    print(f"\n{RUNS} requests per search; milliseconds.")
    print(
        f"{'search':<8} {'API median':>11} {'API p95':>9} {'SQL median':>11} {'SQL p95':>9} {'ratio p95':>10}  target"
    )
    ok = True
    for label, params_list in cases.items():
        time_api(client, params_list[:20])  # warm connections, caches and the URL resolver
        api = time_api(client, params_list)
        sql = time_sql(params_list)
        api95, sql95 = percentile(api, 95), percentile(sql, 95)
        ratio = api95 / sql95 if sql95 else float("inf")
        met = api95 < 25 and ratio <= 5
        ok &= met
        print(
            f"{label:<8} {statistics.median(api):>11.2f} {api95:>9.2f} {statistics.median(sql):>11.2f} {sql95:>9.2f} "
            f"{ratio:>9.1f}x  {'met' if met else 'MISSED'}"
        )
    ok &= fhir_search(client, numbers, name_terms)
    print("\nAll targets met." if ok else "\nSome targets missed (see above).")


# ---- FHIR Practitioner search (peercert/registry/fhir) ------------------------------------------


def fhir_search(client=None, numbers=None, name_terms=None) -> bool:
    """GET /fhir/Practitioner by name and by identifier (typed as people type it), beside the bare SQL.

    The bare SQL is the very statements each request ran (count, page ids, rows, specializations),
    captured once off the clock and then executed on a cursor. main() calls it on PostgreSQL; on
    SQLite run it alone, which loads BENCH_CERTIFICATIONS rows itself if the database has fewer:

        DATABASE_URL=sqlite:////tmp/fhir-bench.sqlite3 .venv/bin/python -c \\
            "import bench.registry as b; b.fhir_search()"

    Target: p95 under 25 ms at 100,000 certifications, cold (no validation remembered) included.
    """
    import datetime

    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from peercert.registry.fhir import params as fhir_params
    from peercert.registry.fhir import queries as fhir_queries
    from peercert.registry.fhir import resources as fhir_resources
    from peercert.registry.fhir.views import PRACTITIONER_PARAMS

    rng = random.Random(19)
    if client is None:
        call_command("migrate", verbosity=0)
        if connection.vendor == "postgresql":
            load()
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM certification_certification WHERE number LIKE 'PSB-%'")
                have = cursor.fetchone()[0]
            if have < TOTAL:
                started = time.perf_counter()
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT id FROM accounts_county ORDER BY id")
                    county_ids = [row[0] for row in cursor.fetchall()]
                    cursor.execute("SELECT id FROM accounts_certificationprogram WHERE code = 'statewide'")
                    program_id = cursor.fetchone()[0]
                    cursor.execute(
                        "SELECT max((SELECT coalesce(max(id), 0) FROM accounts_person), "
                        "(SELECT coalesce(max(id), 0) FROM certification_certification))"
                    )
                    base = cursor.fetchone()[0]
                    statuses = ["active"] * 7 + ["expired", "suspended", "revoked", "surrendered", "vacated"]
                    people, certs, specs = [], [], []
                    for g in range(have + 1, TOTAL + 1):
                        first, middle, last = (
                            FIRST[g % len(FIRST)],
                            chr(65 + (g // 7) % 26),
                            LAST[(g // len(FIRST)) % len(LAST)],
                        )
                        folded = f"{fold(first)} {middle.lower()} {fold(last)}"
                        pid = base + g
                        people.append((pid, first, middle, last, f"bench{g}@{DOMAIN}", folded))
                        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=pid % 700)
                        certs.append(
                            (
                                pid,
                                f"PSB-{pid:07d}",
                                pid,
                                program_id,
                                statuses[pid % 12],
                                day,
                                day + datetime.timedelta(days=731),
                                county_ids[pid % len(county_ids)],
                                folded,
                            )
                        )
                        if pid % 5 == 0:
                            specs.append(
                                (
                                    pid,
                                    ["parent_caregiver_family", "crisis", "justice_involved", "unhoused"][pid % 4],
                                    day,
                                )
                            )
                    cursor.executemany(
                        "INSERT INTO accounts_person (id, created_at, updated_at, legal_first_name, legal_middle_name, "
                        "legal_last_name, preferred_name, date_of_birth, email, phone, address_line1, address_line2, city, "
                        "state, postal_code, preferred_language, search_name) VALUES (%s, datetime('now'), datetime('now'), "
                        "%s, %s, %s, '', '1980-01-01', %s, '(916) 555-0100', '', '', '', 'CA', '', 'en', %s)",
                        people,
                    )
                    cursor.executemany(
                        "INSERT INTO certification_certification (id, created_at, updated_at, number, person_id, program_id, "
                        "status, issued_on, expires_on, status_changed_on, county_id, rules_version, sort_name) VALUES "
                        "(%s, datetime('now'), datetime('now'), %s, %s, %s, %s, %s, %s, NULL, %s, 'bench', %s)",
                        certs,
                    )
                    cursor.executemany(
                        "INSERT INTO certification_certificationspecialization (created_at, updated_at, certification_id, "
                        "specialization, added_on) VALUES (datetime('now'), datetime('now'), %s, %s, %s)",
                        specs,
                    )
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                print(f"Loaded {TOTAL - have:,} certifications in {time.perf_counter() - started:.1f} s (SQLite).")
        client = Client()
    if numbers is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT number FROM certification_certification WHERE number LIKE 'PSB-%%' ORDER BY random() LIMIT %s",
                [RUNS],
            )
            numbers = [row[0] for row in cursor.fetchall()]
    if name_terms is None:
        name_terms = [fold(n)[:5] for n in LAST] + [fold(f) for f in FIRST]
    typed = [n.lower().replace("-", "") if i % 2 else n for i, n in enumerate(numbers)]  # psb0001234 or PSB-0001234
    cases = {
        "FHIR name": [{"name": rng.choice(name_terms)} for _ in range(RUNS)],
        "FHIR identifier": [{"identifier": rng.choice(typed)} for _ in range(RUNS)],
        # resources.checked() skips content it validated before; "cold" forgets that before each request.
        "FHIR name cold": [{"name": rng.choice(name_terms)} for _ in range(RUNS)],
        # What a syncing client sends when it needs no Bundle.total: the count is not run.
        "FHIR name no total": [{"name": rng.choice(name_terms), "_total": "none"} for _ in range(RUNS)],
    }

    def statements(params):
        """The SQL one search runs, as executed, captured without timing it."""
        query = QueryDict(mutable=True)
        query.update(params)
        search = fhir_params.parse_search(
            query, allowed=PRACTITIONER_PARAMS, resource_type="Practitioner", system_for={"identifier": set()}
        )
        with CaptureQueriesContext(connection) as captured:
            fhir_queries.practitioner_page(
                search.filters, count=search.count, cursor=search.cursor, with_total=search.with_total
            )
        return [q["sql"] for q in captured.captured_queries]

    print(f"\nFHIR Practitioner search at {TOTAL:,} certifications ({connection.vendor}), {RUNS} requests each; ms.")
    print(
        f"{'search':<19} {'FHIR median':>12} {'FHIR p95':>9} {'SQL median':>11} {'SQL p95':>9} {'ratio p95':>10}  target"
    )
    ok = True
    for label, params_list in cases.items():
        for params in params_list[:20]:  # warm up
            client.get("/fhir/Practitioner", params)
        api = []
        for params in params_list:
            if label.endswith("cold"):
                fhir_resources._validated.clear()
            t = time.perf_counter()
            response = client.get("/fhir/Practitioner", params)
            api.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.content[:300]
        sql = []
        with connection.cursor() as cursor:
            for params in params_list:
                batch = statements(params)
                t = time.perf_counter()
                for statement in batch:
                    cursor.execute(statement)
                    cursor.fetchall()
                sql.append((time.perf_counter() - t) * 1000)
        api95, sql95 = percentile(api, 95), percentile(sql, 95)
        met = api95 < 25
        ok &= met
        print(
            f"{label:<19} {statistics.median(api):>12.2f} {api95:>9.2f} {statistics.median(sql):>11.2f} {sql95:>9.2f} "
            f"{(api95 / sql95 if sql95 else float('inf')):>9.1f}x  {'met' if met else 'MISSED'}"
        )
    return ok


if __name__ == "__main__":
    main()
