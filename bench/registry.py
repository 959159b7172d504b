"""Registry benchmark: 100,000 certifications, then API latency against bare SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_certify_bench .venv/bin/python bench/registry.py
    DATABASE_URL=sqlite:////tmp/registry_bench.sqlite3 .venv/bin/python bench/registry.py
    BENCH_CERTIFICATIONS=1000000 DATABASE_URL=... .venv/bin/python bench/registry.py

Loads the data set-based (one INSERT ... SELECT per table, generate_series on PostgreSQL and a
recursive CTE on SQLite; run again and it is reused), then times GET
/api/v1/registry/certifications for name, number and status searches through Django's test
Client, beside the SQL statements those requests run (captured off the clock) executed bare on
a cursor. Prints median and p95 in milliseconds and the ratio API / SQL. Targets (issue 20): name
p95 < 10 ms and within 3x of bare SQL; number and status p95 < 10 ms; sync within 5x.

BENCH_NAMES=realistic loads a realistic name distribution instead of the synthetic one (a Zipf-like
mix of 2,000 first and 3,000 last names; the commonest surname is about 1% of records): use a
database of its own for each, since each load replaces the other's rows.

Then bulk verification of 5,000 numbers (POST /api/v1/registry/verify, and registry.bulk.verify_items
without HTTP), beside the same statements run bare. The numbers are typed the ways people type them
(PSS-0000123, 123, pss 123), with names to match, a few unknown, malformed and repeated. Target: under 1 s.
"""

import datetime
import json
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
# Every bulk request of the benchmark comes from one address: no rate limit here.
os.environ.setdefault("REGISTRY_BULK_REQUESTS_PER_WINDOW", "1000000000")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from peercert.core.text import fold  # noqa: E402
from peercert.registry import bulk, selectors  # noqa: E402

TOTAL = int(os.environ.get("BENCH_CERTIFICATIONS", "100000"))
# synthetic: 40 first x 26 initials x 50 last names, evenly; realistic: thousands of names, Zipf-like.
NAMES = os.environ.get("BENCH_NAMES", "synthetic")
REALISTIC = NAMES == "realistic"
RUNS = int(os.environ.get("BENCH_RUNS", "300"))
BULK_RUNS = int(os.environ.get("BENCH_BULK_RUNS", "15"))
BULK_SIZE = bulk.MAX_ITEMS
DOMAIN = "zipf.bench.peercert.example" if REALISTIC else "bench.peercert.example"
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


SYLLABLES = [
    "al",
    "ber",
    "cas",
    "dal",
    "es",
    "fer",
    "gar",
    "her",
    "ib",
    "jar",
    "lo",
    "mar",
    "nav",
    "or",
    "pa",
    "quin",
    "ro",
    "san",
    "tor",
    "val",
    "zu",
    "ke",
    "mi",
    "no",
    "ta",
    "vi",
    "wen",
    "ya",
    "ri",
    "so",
]
ENDINGS = [
    "ez",
    "ana",
    "ado",
    "ero",
    "illa",
    "ino",
    "uela",
    "man",
    "son",
    "berg",
    "ski",
    "ton",
    "ford",
    "wood",
    "ley",
    "ova",
    "elli",
    "aka",
    "oye",
    "ura",
    "ian",
    "sen",
    "ard",
    "ich",
    "esa",
    "ito",
    "ung",
    "ima",
]


def realistic_names(real: list[str], count: int) -> list[str]:
    """count distinct names, most common first: the real ones, then made-up ones built from syllables."""
    names = list(dict.fromkeys(real))
    for a in SYLLABLES:
        for b in SYLLABLES:
            for e in ENDINGS:
                if len(names) >= count:
                    return names
                name = (a + b + e).capitalize()
                if name not in names:
                    names.append(name)
    return names


def zipf_buckets(names: list[str], offset: int, buckets: int) -> list[str]:
    """names repeated by a Zipf-Mandelbrot weight 1/(rank + offset): a uniform pick of a bucket is a Zipf draw.

    With 3,000 last names and offset 20, the commonest (Hernández) is about 1% of records, as the
    commonest surnames are in California; every name has at least a few buckets."""
    weights = [1 / (rank + offset) for rank in range(1, len(names) + 1)]
    total = sum(weights)
    out = []
    for name, weight in zip(names, weights, strict=True):
        out += [name] * max(1, round(weight / total * buckets))
    return out[:buckets] + [names[-1]] * max(0, buckets - len(out))


def load() -> None:
    if connection.vendor == "sqlite":
        load_sqlite()
        return
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
        firsts, lasts = (
            (
                zipf_buckets(realistic_names(FIRST, 2000), 10, 100_000),
                zipf_buckets(realistic_names(LAST, 3000), 20, 99_991),
            )
            if REALISTIC
            else (FIRST, LAST)
        )
        # Synthetic: every (first, last) pair in turn. Realistic: each name drawn from its Zipf buckets.
        fi, li = (
            ("((g::bigint * 7919) %% %(nf)s)::int", "((g::bigint * 104729 + 13) %% %(nl)s)::int")
            if REALISTIC
            else ("g %% %(nf)s", "(g / %(nf)s) %% %(nl)s")
        )
        # The names as two small tables (a 100,000-bucket array read per row would be quadratic).
        for table, names in (("bench_names_first", firsts), ("bench_names_last", lasts)):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMP TABLE {table} (i integer PRIMARY KEY, name text, folded text)")
            cursor.execute(
                f"INSERT INTO {table} SELECT n - 1, name, folded FROM unnest(%s::text[], %s::text[]) "
                "WITH ORDINALITY AS u(name, folded, n)",
                [names, [fold(n) for n in names]],
            )
        # One statement per table: generate_series drives every row.
        cursor.execute(
            f"""
            INSERT INTO accounts_person (created_at, updated_at, legal_first_name, legal_middle_name, legal_last_name,
                preferred_name, date_of_birth, email, phone, address_line1, address_line2, city, state, postal_code,
                preferred_language, search_name)
            SELECT now(), now(), f.name, chr(65 + (g / 7) %% 26), l.name, '', date '1960-01-01' + (g %% 14000),
                   'bench' || g || '@' || %(domain)s, '(916) 555-0100', '', '', '', 'CA', '', 'en',
                   f.folded || ' ' || lower(chr(65 + (g / 7) %% 26)) || ' ' || l.folded
            FROM generate_series(1, %(total)s) AS g
            JOIN bench_names_first f ON f.i = {fi} JOIN bench_names_last l ON l.i = {li}
            """,
            {"nf": len(firsts), "nl": len(lasts), "domain": DOMAIN, "total": TOTAL},
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


def _have() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM certification_certification c JOIN accounts_person p ON p.id = c.person_id "
            "WHERE p.email LIKE %s",
            [f"%@{DOMAIN}"],
        )
        return cursor.fetchone()[0]


def load_sqlite() -> None:
    """The same data set as on PostgreSQL, written with a recursive CTE and small lookup tables."""
    have = _have()
    if have >= TOTAL:
        print(f"Reusing {have:,} benchmark certifications.")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM certification_certificationspecialization WHERE certification_id IN "
            "(SELECT id FROM certification_certification WHERE number LIKE 'PSB-%%')",
            [],
        )
        cursor.execute("DELETE FROM certification_certification WHERE number LIKE 'PSB-%%'", [])
        cursor.execute("DELETE FROM accounts_person WHERE email LIKE %s", [f"%@{DOMAIN}"])
        cursor.execute("SELECT id FROM accounts_certificationprogram WHERE code = 'statewide'")
        program_id = cursor.fetchone()[0]
        for table in ("bench_first", "bench_last", "bench_county", "bench_status", "bench_spec"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("CREATE TEMP TABLE bench_first (i INTEGER PRIMARY KEY, name TEXT, folded TEXT)")
        cursor.execute("CREATE TEMP TABLE bench_last (i INTEGER PRIMARY KEY, name TEXT, folded TEXT)")
        cursor.execute("CREATE TEMP TABLE bench_county (i INTEGER PRIMARY KEY, id INTEGER)")
        cursor.execute("CREATE TEMP TABLE bench_status (i INTEGER PRIMARY KEY, status TEXT)")
        cursor.execute("CREATE TEMP TABLE bench_spec (i INTEGER PRIMARY KEY, code TEXT)")
        cursor.executemany(
            "INSERT INTO bench_first VALUES (%s, %s, %s)", [(i, n, fold(n)) for i, n in enumerate(FIRST)]
        )
        cursor.executemany("INSERT INTO bench_last VALUES (%s, %s, %s)", [(i, n, fold(n)) for i, n in enumerate(LAST)])
        cursor.execute("INSERT INTO bench_county SELECT row_number() OVER (ORDER BY id) - 1, id FROM accounts_county")
        statuses = ["active"] * 7 + ["expired", "suspended", "revoked", "surrendered", "vacated"]
        cursor.executemany("INSERT INTO bench_status VALUES (%s, %s)", list(enumerate(statuses)))
        specs = ["parent_caregiver_family", "crisis", "justice_involved", "unhoused"]
        cursor.executemany("INSERT INTO bench_spec VALUES (%s, %s)", list(enumerate(specs)))
        cursor.execute("SELECT count(*) FROM bench_county")
        counties = cursor.fetchone()[0]
        nf, nl = len(FIRST), len(LAST)
        cursor.execute(
            f"""
            INSERT INTO accounts_person (created_at, updated_at, legal_first_name, legal_middle_name, legal_last_name,
                preferred_name, date_of_birth, email, phone, address_line1, address_line2, city, state, postal_code,
                preferred_language, search_name)
            WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %s)
            SELECT datetime('now'), datetime('now'), f.name, char(65 + (g.n / 7) %% 26), l.name, '',
                   date('1960-01-01', '+' || (g.n %% 14000) || ' days'), 'bench' || g.n || '@' || %s,
                   '(916) 555-0100', '', '', '', 'CA', '', 'en',
                   f.folded || ' ' || lower(char(65 + (g.n / 7) %% 26)) || ' ' || l.folded
            FROM g JOIN bench_first f ON f.i = g.n %% {nf} JOIN bench_last l ON l.i = (g.n / {nf}) %% {nl}
            """,
            [TOTAL, DOMAIN],
        )
        cursor.execute(
            f"""
            INSERT INTO certification_certification (created_at, updated_at, number, person_id, program_id, status,
                issued_on, expires_on, status_changed_on, county_id, rules_version, sort_name)
            SELECT datetime('now'), datetime('now'), 'PSB-' || substr('0000000' || p.id, -7, 7), p.id, %s, s.status,
                   date('2024-01-01', '+' || (p.id %% 700) || ' days'), date('2026-01-01', '+' || (p.id %% 700) || ' days'),
                   date('2024-01-01', '+' || (p.id %% 700) || ' days'), c.id, 'bench', p.search_name
            FROM accounts_person p JOIN bench_status s ON s.i = p.id %% 12 JOIN bench_county c ON c.i = p.id %% {counties}
            WHERE p.email LIKE %s
            """,
            [program_id, f"%@{DOMAIN}"],
        )
        cursor.execute(
            """
            INSERT OR IGNORE INTO certification_certificationspecialization (created_at, updated_at, certification_id,
                specialization, added_on)
            SELECT datetime('now'), datetime('now'), c.id, s.code, c.issued_on
            FROM certification_certification c JOIN bench_spec s ON s.i = c.id %% 4
            WHERE c.number LIKE 'PSB-%%' AND c.id %% 5 = 0
            """,
            [],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Loaded {TOTAL:,} certifications in {time.perf_counter() - started:.1f} s (set-based).")


def bulk_items(rng) -> list[dict]:
    """BULK_SIZE items as an employer's file has them: most found, typed several ways, some with names."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.number, p.legal_first_name, p.legal_last_name FROM certification_certification c "
            "JOIN accounts_person p ON p.id = c.person_id WHERE c.number LIKE 'PSB-%%' ORDER BY random() LIMIT %s",
            [BULK_SIZE],
        )
        rows = cursor.fetchall()
    items = []
    for i, (number, first, last) in enumerate(rows[: BULK_SIZE - 100]):
        digits = number.split("-", 1)[1]
        typed = [number, number.lower().replace("-", ""), f"psb {digits}"][i % 3]
        name = f"{first} {last}" if i % 2 else (f"{fold(first)} {fold(last)}".upper() if i % 4 == 1 else "")
        if i % 10 == 3:
            name = "Somebody Else"
        items.append({"number": typed, "name": name})
    items += [{"number": f"PSS-{900000 + i:06d}", "name": ""} for i in range(40)]  # unknown
    items += [{"number": "not a number!", "name": ""} for _ in range(20)]  # malformed
    items += [{"number": items[i]["number"], "name": ""} for i in range(40)]  # repeated
    return items[:BULK_SIZE]


def time_bulk(client, items) -> dict[str, list[float]]:
    payload = json.dumps({"items": items})
    objects = [bulk.Item(line=i, number=it["number"], name=it["name"]) for i, it in enumerate(items, start=1)]
    recorded = []

    def record(execute, sql, params, many, context):
        recorded.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        answer = bulk.verify_items(objects)
    assert answer["count"] == len(items), answer["count"]
    out = {"API": [], "verify_items": [], "SQL": []}
    for _ in range(BULK_RUNS):
        t = time.perf_counter()
        response = client.post("/api/v1/registry/verify", payload, content_type="application/json")
        out["API"].append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:200]
        t = time.perf_counter()
        bulk.verify_items(objects)
        out["verify_items"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in recorded:
                cursor.execute(sql, params)
                cursor.fetchall()
        out["SQL"].append((time.perf_counter() - t) * 1000)
    print(
        f"\nBulk verification of {len(items):,} numbers ({answer['found']:,} found, {answer['problems']} problems), "
        f"{len(recorded)} SQL statements, {BULK_RUNS} runs; milliseconds."
    )
    return out


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


def _count_sql(qs):
    """SQL counting qs's rows (what QuerySet.count() asks: the same filter, no order)."""
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) counted", params


def _filters(params) -> dict:
    since = params.get("updated_since")
    return {
        "name": params.get("name", ""),
        "number": params.get("number", ""),
        "status": params.get("status", ""),
        "updated_since": datetime.datetime.fromisoformat(since) if since else None,
    }


def time_sql(params_list):
    """The statements a search runs (as registry_search runs them for the API), bare on a cursor.

    Each request's statements are captured once off the clock (dictionary lookup, page ids, rows,
    count when the page is full), then executed and fetched on a plain cursor, timed."""
    from django.test.utils import CaptureQueriesContext

    out = []
    with connection.cursor() as cursor:
        for params in params_list:
            with CaptureQueriesContext(connection) as captured:
                selectors.registry_search(
                    **_filters(params),
                    page=int(params.get("page", 1)),
                    page_size=int(params.get("page_size", selectors.PAGE_SIZE)),
                    with_count=True,
                )
            statements = [q["sql"] for q in captured.captured_queries]
            t = time.perf_counter()
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()
            out.append((time.perf_counter() - t) * 1000)
    return out


def changes_to_sync(count: int = 500) -> datetime.datetime:
    """A client's last sync, and `count` random certifications changed after it (a busy day's status changes).

    Run again, the mark moves on: only the newly changed rows are after it.
    """
    mark = datetime.datetime.now(datetime.UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE certification_certification SET updated_at = %s WHERE id IN (SELECT id FROM "
            "certification_certification WHERE number LIKE 'PSB-%%' ORDER BY random() LIMIT %s)",
            [mark + datetime.timedelta(seconds=1), count],
        )
    return mark


def main():
    if connection.vendor not in ("postgresql", "sqlite"):
        sys.exit("Run this against PostgreSQL or SQLite: DATABASE_URL=... .venv/bin/python bench/registry.py")
    print(f"{connection.vendor}, {TOTAL:,} certifications.")
    call_command("migrate", verbosity=0)
    load()
    rng = random.Random(7)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number FROM certification_certification WHERE number LIKE 'PSB-%%' ORDER BY random() LIMIT %s",
            [RUNS],
        )
        numbers = [row[0] for row in cursor.fetchall()]
    mark = changes_to_sync()
    name_terms = (
        [fold(n)[:5] for n in LAST]
        + [fold(f) for f in FIRST]
        + [f"{fold(f)} {chr(97 + rng.randrange(26))}" for f in FIRST]
    )
    if REALISTIC:  # rarer names too, drawn evenly from the whole lists
        name_terms += [fold(n)[:6] for n in rng.sample(realistic_names(LAST, 3000), 40)]
        name_terms += [fold(f) for f in rng.sample(realistic_names(FIRST, 2000), 40)]
    print(f"names: {NAMES}")
    cases = {
        "name": [{"name": rng.choice(name_terms)} for _ in range(RUNS)],
        "number": [{"number": rng.choice(numbers)} for _ in range(RUNS)],
        "status": [
            {"status": rng.choice(["active", "suspended", "expired"]), "page": rng.randint(1, 10)} for _ in range(RUNS)
        ],
        # An EHR syncing a day's 500 changes, 200 a page.
        "sync": [{"updated_since": mark.isoformat(), "page_size": 200, "page": rng.randint(1, 3)} for _ in range(RUNS)],
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
        # The 25 ms target is for a page of 20; a sync page of 200 has no target of its own, only the ratio.
        # Issue 20: name p95 under 10 ms and within 3x of its bare SQL; number and status under 10 ms.
        met = {"sync": ratio <= 5, "name": api95 < 10 and ratio <= 3}.get(label, api95 < 10)
        ok &= met
        print(
            f"{label:<8} {statistics.median(api):>11.2f} {api95:>9.2f} {statistics.median(sql):>11.2f} {sql95:>9.2f} "
            f"{ratio:>9.1f}x  {'met' if met else 'MISSED'}{' (ratio only)' if label == 'sync' else ''}"
        )
    timings = time_bulk(client, bulk_items(rng))
    print(f"{'path':<13} {'median':>9} {'p95':>9}  target")
    for label, values in timings.items():
        p95 = percentile(values, 95)
        met = p95 < 1000 if label == "API" else True
        ok &= met
        print(
            f"{label:<13} {statistics.median(values):>9.1f} {p95:>9.1f}  {('met' if met else 'MISSED') if label == 'API' else ''}"
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
