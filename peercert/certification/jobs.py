"""The daily sweeps that change certifications: expire, then vacate.

Each is set-based in the database: one UPDATE moves the certifications, then one
INSERT ... SELECT each writes their status history, audit events and notifications, whatever
the number of rows (the rows never travel through Python, so a backlog of thousands costs
about what one row does). Each is idempotent: a second run for the same day finds nothing
left to change. The rows a run changed are found again by the exact timestamp it stamped on
them (updated_at), inside the same transaction.

They live here, not in renewal, because certification is the only app that writes its own
rows, history and audit. The scheduled jobs stay renewal's (renewal.expire_certifications,
renewal.vacate_certifications): renewal closes the renewals a vacated certification leaves
open and emails the notifications from one background task per sweep, so each sweep returns
the notifications it wrote.

Notifications are written in each recipient's preferred language (as core.notify would): one
INSERT per language, the translated frame split around its placeholders and the dates written
by SQL the way that language writes them (messages_sql). The SQL helpers are public because
renewal's reminder sweep writes its notifications the same way.

SQLite and PostgreSQL differ only in date arithmetic, date parts, JSON and UUID functions (_SQL).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, gettext_noop

from peercert.certification.models import Certification, CertificationStatus, CertificationStatusChange
from peercert.certification.signals import announce_status_changes
from peercert.core import clock
from peercert.core.audit import SYSTEM_LABEL
from peercert.core.dates import add_years
from peercert.core.models import AuditEvent, Notification
from peercert.core.rules import rules_on

# The action a status change is audited under (certification_change_status writes the same).
CHANGE_STATUS_ACTION = "certification.change_status"

_SQL = {
    "postgresql": {
        "plus_days": "({col} + {n})",
        "plus_years_days": "(({col} + make_interval(years => {y})) + make_interval(days => {n}))::date",
        "date_text": "to_char({col}, 'YYYY-MM-DD')",
        "json": "jsonb_build_object({args})",
        "uuid": "gen_random_uuid()",
        "part": "CAST(EXTRACT({part} FROM {col}) AS INTEGER)",
    },
    "sqlite": {
        "plus_days": "date({col}, '+{n} days')",
        "plus_years_days": "date({col}, '+{y} years', '+{n} days')",
        "date_text": "{col}",
        "json": "json_object({args})",
        "uuid": "lower(hex(randomblob(16)))",
        "part": "CAST(strftime('{part}', {col}) AS INTEGER)",
    },
}


def sql(name: str, **kw) -> str:
    """This database's spelling of one of the fragments in _SQL."""
    return _SQL[connection.vendor][name].format(**kw)


_PARTS = {
    "postgresql": {"year": "YEAR", "month": "MONTH", "day": "DAY"},
    "sqlite": {"year": "%%Y", "month": "%%m", "day": "%%d"},
}  # %% : the SQL takes params


def _part(part: str, col: str) -> str:
    return sql("part", part=_PARTS[connection.vendor][part], col=col)


class SqlDate(str):
    """A date column in a message: written as the active language writes dates (core.text.fill)."""


def _date_sql(col: str) -> tuple[str, list]:
    """SQL writing the date column as formats.date_format(DATE_FORMAT) does in the active language."""
    parts, params = [], []
    escaped = False
    for char in formats.get_format("DATE_FORMAT"):
        if escaped or char not in "FjdnmY":
            if char == "\\" and not escaped:
                escaped = True
                continue
            escaped = False
            parts.append("%s")
            params.append(char)
        elif char == "F":
            parts.append("CASE " + _part("month", col) + " " + " ".join(["WHEN %s THEN %s"] * 12) + " END")
            params += [p for n in range(1, 13) for p in (n, str(MONTHS[n]))]
        elif char in "jdnm":
            value = f"CAST({_part('day' if char in 'jd' else 'month', col)} AS TEXT)"
            parts.append(
                f"(CASE WHEN {_part('day' if char in 'jd' else 'month', col)} < 10 THEN '0' ELSE '' END || {value})"
                if char in "dm"
                else value
            )
        else:
            parts.append(f"CAST({_part('year', col)} AS TEXT)")
    return "(" + " || ".join(parts) + ")", params


def _message_sql(message: str, columns: dict[str, str], params: dict | None = None) -> tuple[str, list]:
    """message (a gettext_noop literal) translated into the active language, as one SQL text expression:
    %(name)s placeholders become the SQL in columns (a SqlDate is written as a date) or values from params."""
    parts, values = [], []
    for i, piece in enumerate(re.split(r"%\((\w+)\)s", gettext(message))):
        if i % 2 == 0:
            if piece:
                parts.append("CAST(%s AS TEXT)")
                values.append(piece.replace("%%", "%"))
        elif piece in columns:
            if isinstance(columns[piece], SqlDate):
                date_sql, date_params = _date_sql(columns[piece])
                parts.append(date_sql)
                values += date_params
            else:
                parts.append(columns[piece])
        else:
            parts.append("CAST(%s AS TEXT)")
            values.append(str((params or {})[piece]))
    return "(" + " || ".join(parts or ["''"]) + ")", values


def messages_sql(subject: str, body: str, columns: dict[str, str], params: dict | None = None):
    """For each language: (SQL condition on p.preferred_language, its params, subject SQL and params, body SQL
    and params). A person whose preferred language is blank or unknown reads the default language."""
    codes = [code for code, _name in settings.LANGUAGES]
    for code in codes:
        others = [c for c in codes if c != code]
        if code == settings.LANGUAGE_CODE:
            where = (
                f"COALESCE(p.preferred_language, '') NOT IN ({', '.join(['%s'] * len(others))})" if others else "1 = 1"
            )
            where_params = others
        else:
            where, where_params = "p.preferred_language = %s", [code]
        with translation.override(code):
            yield (where, where_params, *_message_sql(subject, columns, params), *_message_sql(body, columns, params))


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def db_datetime(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def db_date(value: datetime.date):
    return connection.ops.adapt_datefield_value(value)


def execute(statement: str, params: list | tuple, returning: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()] if returning else cursor.rowcount


@dataclass
class Sweep:
    """What a sweep changed: how many certifications moved, and the notifications it wrote (to email)."""

    moved: int = 0
    notification_ids: list[int] = field(default_factory=list)


def _move(
    *,
    from_status: str,
    to_status: str,
    due_before: datetime.date,
    today: datetime.date,
    source: str,
    effective_sql: str,
    reason_sql: str,
    reason_params: list,
    subject: str,
    body: str,
    params: dict | None = None,
    link: str | None = None,
) -> Sweep:
    """Move every certification in from_status with expires_on < due_before to to_status, writing history,
    audit events and notifications set-based."""
    from peercert.accounts.models import Person

    now = clock.now()
    stamp = db_datetime(now)
    moved = execute(
        f"UPDATE {table(Certification)} SET status = %s, status_changed_on = %s, updated_at = %s "
        f"WHERE status = %s AND expires_on < %s",
        [to_status, db_date(today), stamp, from_status, db_date(due_before)],
    )
    if not moved:
        return Sweep()
    mine = "c.status = %s AND c.updated_at = %s"
    execute(
        f"INSERT INTO {table(CertificationStatusChange)} (created_at, updated_at, certification_id, from_status, "
        f"to_status, effective_on, reason, actor_id, source) "
        f"SELECT %s, %s, c.id, %s, %s, {effective_sql}, {reason_sql}, NULL, %s FROM {table(Certification)} c "
        f"WHERE {mine}",
        [stamp, stamp, from_status, to_status, *reason_params, source, to_status, stamp],
    )
    # The rows just written share this sweep's stamp and source: receivers join on them in SQL.
    announce_status_changes(
        CertificationStatusChange.objects.filter(created_at=now, source=source, to_status=to_status)
    )
    before = sql("json", args="'status', CAST(%s AS TEXT)")
    after = sql(
        "json",
        args=f"'status', CAST(%s AS TEXT), 'effective_on', {sql('date_text', col=effective_sql)}, "
        "'source', CAST(%s AS TEXT)",
    )
    execute(
        f"INSERT INTO {table(AuditEvent)} (at, actor_id, actor_label, action, object_type, object_id, object_repr, "
        f"before, after, reason, request_id) "
        f"SELECT %s, NULL, %s, %s, 'certification.certification', "
        f"CAST(c.id AS VARCHAR(64)), c.number, {before}, {after}, {reason_sql}, {sql('uuid')} "
        f"FROM {table(Certification)} c WHERE {mine}",
        [stamp, SYSTEM_LABEL, CHANGE_STATUS_ACTION, from_status, to_status, source, *reason_params, to_status, stamp],
    )
    ids = []
    columns = {"number": "c.number", "expires": SqlDate("c.expires_on")}
    for where, where_params, subject_sql, subject_params, body_sql, body_params in messages_sql(
        subject, body, columns, params
    ):
        ids += execute(
            f"INSERT INTO {table(Notification)} (created_at, updated_at, user_id, subject, body, url, read_at, "
            f"emailed_at) "
            f"SELECT %s, %s, p.user_id, {subject_sql}, {body_sql}, %s, NULL, NULL "
            f"FROM {table(Certification)} c JOIN {table(Person)} p ON p.id = c.person_id "
            f"WHERE {mine} AND p.user_id IS NOT NULL AND {where} RETURNING id",
            [
                stamp,
                stamp,
                *subject_params,
                *body_params,
                link or reverse("certification:mine"),
                to_status,
                stamp,
                *where_params,
            ],
            returning=True,
        )
    return Sweep(moved, ids)


# savepoint=False: inside the daily job's transaction a savepoint would only add two statements.
@transaction.atomic(savepoint=False)
def certifications_expire(*, today: datetime.date, link: str | None = None) -> Sweep:
    """Active certifications whose expiry date has passed become expired (effective the day after that date).
    link: where the notification leads (the peer's certification page unless the caller has a better one)."""
    expires = sql("date_text", col="c.expires_on")
    return _move(
        from_status=CertificationStatus.ACTIVE,
        to_status=CertificationStatus.EXPIRED,
        due_before=today,
        today=today,
        source="expiry",
        effective_sql=sql("plus_days", col="c.expires_on", n=1),
        reason_sql=f"(%s || {expires})",
        reason_params=["Not renewed by "],
        subject=gettext_noop("Your certification has expired"),
        body=gettext_noop(
            "Certification %(number)s expired on %(expires)s. You can still renew it late (with the "
            "late fee) from your certification page."
        ),
        link=link,
    )


def vacate_cutoff(today: datetime.date) -> datetime.date:
    """Vacated from due date + years + 1 day on, i.e. while the due date is before today - years."""
    return add_years(today, -int(rules_on(today).vacate_after_years))


@transaction.atomic(savepoint=False)
def certifications_vacate(*, today: datetime.date, link: str | None = None) -> Sweep:
    """Expired certifications not renewed within rules.vacate_after_years of their due date are vacated."""
    years = int(rules_on(today).vacate_after_years)
    return _move(
        from_status=CertificationStatus.EXPIRED,
        to_status=CertificationStatus.VACATED,
        due_before=vacate_cutoff(today),
        today=today,
        source="vacate",
        effective_sql=sql("plus_years_days", col="c.expires_on", y=years, n=1),
        reason_sql=f"(%s || {sql('date_text', col='c.expires_on')})",
        reason_params=[f"Not renewed within {years} years of "],
        subject=gettext_noop("Your certification was vacated"),
        body=gettext_noop(
            "Certification %(number)s was not renewed within %(years)s years of its due date, so it is "
            "vacated. To be certified again, start a new application."
        ),
        params={"years": years},
        link=link,
    )
