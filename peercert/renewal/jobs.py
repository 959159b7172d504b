"""The daily sweeps: expire, vacate, remind, close lapsed application windows.

Each is set-based in the database: one UPDATE moves the certifications, then one
INSERT ... SELECT each writes their status history, audit events, reminders and
notifications, whatever the number of rows (the rows never travel through Python, so a
backlog of thousands costs about what one row does). Each is idempotent: a second run for
the same day finds nothing left to change. The rows a run changed are found again by the
exact timestamp it stamped on them (updated_at / created_at), inside the same transaction.
Emails go out from one background task per sweep, on commit.

Notifications are written in each recipient's preferred language (as core.notify would): one
INSERT per language, the translated frame split around its placeholders and the dates written
by SQL the way that language writes them (_messages).

SQLite and PostgreSQL differ only in date arithmetic, date parts, JSON and UUID functions (_SQL).
Registered with core.jobs from RenewalConfig.ready().
"""

import datetime
import re

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext, gettext_noop

from peercert.certification import services as cert_services
from peercert.certification.models import Certification, CertificationStatus, CertificationStatusChange
from peercert.core import clock
from peercert.core.audit import SYSTEM_LABEL
from peercert.core.models import AuditEvent, Notification
from peercert.core.rules import rules_on
from peercert.renewal.models import OPEN_RENEWAL_STATUSES, Renewal, RenewalReminder, RenewalStatus
from peercert.renewal.services import add_years
from peercert.renewal.tasks import email_notifications

C = CertificationStatus

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


def _f(name: str, **kw) -> str:
    return _SQL[connection.vendor][name].format(**kw)


_PARTS = {"postgresql": {"year": "YEAR", "month": "MONTH", "day": "DAY"},
          "sqlite": {"year": "%%Y", "month": "%%m", "day": "%%d"}}  # %% : the SQL takes params


def _part(part: str, col: str) -> str:
    return _f("part", part=_PARTS[connection.vendor][part], col=col)


class _Date(str):
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
            parts.append(f"(CASE WHEN {_part('day' if char in 'jd' else 'month', col)} < 10 THEN '0' ELSE '' END || "
                         f"{value})" if char in "dm" else value)
        else:
            parts.append(f"CAST({_part('year', col)} AS TEXT)")
    return "(" + " || ".join(parts) + ")", params


def _message_sql(message: str, columns: dict[str, str], params: dict | None = None) -> tuple[str, list]:
    """message (a gettext_noop literal) translated into the active language, as one SQL text expression:
    %(name)s placeholders become the SQL in columns (a _Date is written as a date) or values from params."""
    sql, values = [], []
    for i, piece in enumerate(re.split(r"%\((\w+)\)s", gettext(message))):
        if i % 2 == 0:
            if piece:
                sql.append("CAST(%s AS TEXT)")
                values.append(piece.replace("%%", "%"))
        elif piece in columns:
            if isinstance(columns[piece], _Date):
                date_sql, date_params = _date_sql(columns[piece])
                sql.append(date_sql)
                values += date_params
            else:
                sql.append(columns[piece])
        else:
            sql.append("CAST(%s AS TEXT)")
            values.append(str((params or {})[piece]))
    return "(" + " || ".join(sql or ["''"]) + ")", values


def _messages(subject: str, body: str, columns: dict[str, str], params: dict | None = None):
    """For each language: (SQL condition on p.preferred_language, its params, subject SQL and params, body SQL
    and params). A person whose preferred language is blank or unknown reads the default language."""
    codes = [code for code, _name in settings.LANGUAGES]
    for code in codes:
        others = [c for c in codes if c != code]
        if code == settings.LANGUAGE_CODE:
            where = f"COALESCE(p.preferred_language, '') NOT IN ({', '.join(['%s'] * len(others))})" if others else "1 = 1"
            where_params = others
        else:
            where, where_params = "p.preferred_language = %s", [code]
        with translation.override(code):
            yield (where, where_params, *_message_sql(subject, columns, params), *_message_sql(body, columns, params))


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _dt(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _d(value: datetime.date):
    return connection.ops.adapt_datefield_value(value)


def _execute(sql: str, params: list | tuple, returning: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()] if returning else cursor.rowcount


def _email_later(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: email_notifications.enqueue(ids))


def _move(*, from_status: str, to_status: str, due_before: datetime.date, today: datetime.date, source: str,
          effective_sql: str, reason_sql: str, reason_params: list, subject: str, body: str,
          params: dict | None = None) -> int:
    """Move every certification in from_status with expires_on < due_before to to_status, writing history,
    audit events and notifications set-based. Returns how many moved."""
    from peercert.accounts.models import Person

    now = clock.now()
    stamp = _dt(now)
    moved = _execute(
        f"UPDATE {_t(Certification)} SET status = %s, status_changed_on = %s, updated_at = %s "
        f"WHERE status = %s AND expires_on < %s", [to_status, _d(today), stamp, from_status, _d(due_before)])
    if not moved:
        return 0
    mine = "c.status = %s AND c.updated_at = %s"
    _execute(
        f"INSERT INTO {_t(CertificationStatusChange)} (created_at, updated_at, certification_id, from_status, "
        f"to_status, effective_on, reason, actor_id, source) "
        f"SELECT %s, %s, c.id, %s, %s, {effective_sql}, {reason_sql}, NULL, %s FROM {_t(Certification)} c WHERE {mine}",
        [stamp, stamp, from_status, to_status, *reason_params, source, to_status, stamp])
    before = _f("json", args="'status', CAST(%s AS TEXT)")
    after = _f("json", args=f"'status', CAST(%s AS TEXT), 'effective_on', {_f('date_text', col=effective_sql)}, "
                            "'source', CAST(%s AS TEXT)")
    _execute(
        f"INSERT INTO {_t(AuditEvent)} (at, actor_id, actor_label, action, object_type, object_id, object_repr, "
        f"before, after, reason, request_id) "
        f"SELECT %s, NULL, %s, 'certification.change_status', 'certification.certification', "
        f"CAST(c.id AS VARCHAR(64)), c.number, {before}, {after}, {reason_sql}, {_f('uuid')} "
        f"FROM {_t(Certification)} c WHERE {mine}",
        [stamp, SYSTEM_LABEL, from_status, to_status, source, *reason_params, to_status, stamp])
    ids = []
    columns = {"number": "c.number", "expires": _Date("c.expires_on")}
    for where, where_params, subject_sql, subject_params, body_sql, body_params in _messages(subject, body, columns,
                                                                                               params):
        ids += _execute(
            f"INSERT INTO {_t(Notification)} (created_at, updated_at, user_id, subject, body, url, read_at, emailed_at) "
            f"SELECT %s, %s, p.user_id, {subject_sql}, {body_sql}, %s, NULL, NULL "
            f"FROM {_t(Certification)} c JOIN {_t(Person)} p ON p.id = c.person_id "
            f"WHERE {mine} AND p.user_id IS NOT NULL AND {where} RETURNING id",
            [stamp, stamp, *subject_params, *body_params, reverse("renewal:timeline"), to_status, stamp, *where_params],
            returning=True)
    _email_later(ids)
    return moved


@transaction.atomic
def expire_certifications(today: datetime.date) -> dict:
    """Active certifications whose expiry date has passed become expired (effective the day after that date)."""
    expires = _f("date_text", col="c.expires_on")
    moved = _move(
        from_status=C.ACTIVE, to_status=C.EXPIRED, due_before=today, today=today, source="expiry",
        effective_sql=_f("plus_days", col="c.expires_on", n=1),
        reason_sql=f"(%s || {expires})", reason_params=["Not renewed by "],
        subject=gettext_noop("Your certification has expired"),
        body=gettext_noop("Certification %(number)s expired on %(expires)s. You can still renew it late (with the "
                          "late fee) from your certification page."))
    return {"expired": moved}


@transaction.atomic
def vacate_certifications(today: datetime.date) -> dict:
    """Expired certifications not renewed within rules.vacate_after_years of their due date are vacated."""
    rules = rules_on(today)
    years = int(rules.vacate_after_years)
    # Vacated from due date + years + 1 day on, i.e. while the due date is before today - years.
    cutoff = add_years(today, -years)
    moved = _move(
        from_status=C.EXPIRED, to_status=C.VACATED, due_before=cutoff, today=today, source="vacate",
        effective_sql=_f("plus_years_days", col="c.expires_on", y=years, n=1),
        reason_sql=f"(%s || {_f('date_text', col='c.expires_on')})",
        reason_params=[f"Not renewed within {years} years of "],
        subject=gettext_noop("Your certification was vacated"),
        body=gettext_noop("Certification %(number)s was not renewed within %(years)s years of its due date, so it is "
                          "vacated. To be certified again, start a new application."), params={"years": years})
    closed = 0
    if moved:
        closed = Renewal.objects.filter(certification__status=C.VACATED, status__in=OPEN_RENEWAL_STATUSES).update(
            status=RenewalStatus.WITHDRAWN, decision_reason="Certification vacated.", updated_at=clock.now())
    return {"vacated": moved, "renewals_closed": closed}


@transaction.atomic
def send_renewal_reminders(today: datetime.date) -> dict:
    """A reminder at each of rules.renewal_reminder_days before expiry, each once per certification and cycle.

    A day the job did not run is caught up: a certification between two reminder days gets the
    latest one it missed (not all of them). No reminder once a renewal is sent for the cycle.
    """
    from peercert.accounts.models import Person

    rules = rules_on(today)
    days = sorted({int(d) for d in rules.renewal_reminder_days})
    if not days:
        return {"reminded": 0}
    now = clock.now()
    stamp = _dt(now)
    # The reminder due for each certification: the smallest rule day at or above its days left.
    case = "CASE " + " ".join("WHEN c.expires_on <= %s THEN %s" for _ in days) + " END"
    case_params = [p for d in days for p in (_d(today + datetime.timedelta(days=d)), d)]
    sent_statuses = (RenewalStatus.WAITING_FOR_FEE, RenewalStatus.UNDER_REVIEW, RenewalStatus.APPROVED)
    # The statement reads the reminder table it writes to. With few reminders on record PostgreSQL
    # picks a nested-loop anti join that rescans that table for every candidate, including the
    # rows this statement has just added (invisible but still read): quadratic in the reminders
    # sent. A hash anti join reads it once, before the first insert.
    postgres = connection.vendor == "postgresql"
    if postgres:
        _execute("SET LOCAL enable_nestloop = off", [])
    inserted = _execute(
        f"INSERT INTO {_t(RenewalReminder)} (created_at, updated_at, certification_id, cycle_expires_on, days_before, "
        f"sent_on) SELECT %s, %s, t.id, t.expires_on, t.due, %s FROM ("
        f"  SELECT c.id, c.expires_on, {case} AS due FROM {_t(Certification)} c"
        f"  WHERE c.status = %s AND c.expires_on >= %s AND c.expires_on <= %s) t "
        f"WHERE NOT EXISTS (SELECT 1 FROM {_t(RenewalReminder)} r WHERE r.certification_id = t.id "
        f"  AND r.cycle_expires_on = t.expires_on AND r.days_before <= t.due) "
        f"AND NOT EXISTS (SELECT 1 FROM {_t(Renewal)} n WHERE n.certification_id = t.id "
        f"  AND n.cycle_ends_on = t.expires_on AND n.status IN ({', '.join(['%s'] * len(sent_statuses))}))",
        [stamp, stamp, _d(today), *case_params, C.ACTIVE, _d(today),
         _d(today + datetime.timedelta(days=days[-1])), *sent_statuses])
    if postgres:
        _execute("SET LOCAL enable_nestloop = on", [])
    counts = {f"reminded_{d}": 0 for d in days}
    if not inserted:
        return {**counts, "reminded": 0}
    ids = []
    messages = _messages(
        gettext_noop("Renew your certification by %(expires)s"),
        gettext_noop("Certification %(number)s expires on %(expires)s. Renewal needs %(hours)s CE hours "
                     "(%(law_ethics)s in law and ethics), the Code of Ethics signed again and the $%(fee)s fee. "
                     "Renew from your account."),
        {"number": "c.number", "expires": _Date("c.expires_on")},
        {"hours": rules.ce_hours_required, "law_ethics": rules.ce_law_ethics_hours_required, "fee": rules.fee_renewal})
    for where, where_params, subject_sql, subject_params, body_sql, body_params in messages:
        ids += _execute(
            f"INSERT INTO {_t(Notification)} (created_at, updated_at, user_id, subject, body, url, read_at, emailed_at) "
            f"SELECT %s, %s, p.user_id, {subject_sql}, {body_sql}, %s, NULL, NULL "
            f"FROM {_t(RenewalReminder)} r JOIN {_t(Certification)} c ON c.id = r.certification_id "
            f"JOIN {_t(Person)} p ON p.id = c.person_id "
            f"WHERE r.created_at = %s AND r.sent_on = %s AND p.user_id IS NOT NULL AND {where} RETURNING id",
            [stamp, stamp, *subject_params, *body_params, reverse("renewal:mine"), stamp, _d(today), *where_params],
            returning=True)
    _email_later(ids)
    for d, n in _reminder_counts(now, today):
        counts[f"reminded_{d}"] = n
    counts["reminded"] = inserted
    return counts


def _reminder_counts(now, today):
    from django.db.models import Count

    return (RenewalReminder.objects.filter(created_at=now, sent_on=today).values("days_before")
            .annotate(n=Count("id")).values_list("days_before", "n"))


@transaction.atomic
def close_application_windows(today: datetime.date) -> dict:
    """Approved applications whose rules.application_valid_months window ended without a certification expire
    (certification.services.applications_expire_lapsed, set-based and audited)."""
    return {"applications_closed": cert_services.applications_expire_lapsed(actor=None, today=today)}


def register() -> None:
    from peercert.core.jobs import register_daily_job

    register_daily_job("renewal.expire_certifications", expire_certifications, order=10,
                       description="Expire active certifications past their expiry date.")
    register_daily_job("renewal.vacate_certifications", vacate_certifications, order=11,
                       description="Vacate certifications not renewed within the vacate period.")
    register_daily_job("renewal.send_reminders", send_renewal_reminders, order=20,
                       description="Send renewal reminders at the rule days before expiry, each once.")
    register_daily_job("renewal.close_application_windows", close_application_windows, order=30,
                       description="Close approved applications whose window lapsed.")
