"""Sign-in throttling (django-axes) and the audit trail of signing in and out.

Failures count per account and, separately, per address, each against its own limit
(settings SIGN_IN_FAILURES_PER_ACCOUNT, SIGN_IN_FAILURES_PER_ADDRESS): five guesses at one
email lock that email wherever they come from, and spraying many emails from one address
locks the address, while a county office sharing one address is not locked by a few typos.
"""

import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum

from peercert.accounts.audit import AccountsAuditAction
from peercert.accounts.models import User
from peercert.core import clock
from peercert.core.audit import audit_record


def attempted_email(request, credentials=None) -> str | None:
    """The email a sign-in named, as accounts store it (AXES_USERNAME_CALLABLE)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("username")
    value = (value or "").strip().lower()
    return value or None


def client_address(request) -> str | None:
    """The address a sign-in came from (AXES_CLIENT_IP_CALLABLE). Only hops added by our own
    proxies are trusted: a client can write anything at the left of X-Forwarded-For."""
    proxies = settings.SIGN_IN_TRUSTED_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def _ip_address(request) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or client_address(request)


class SignInThrottle(AxesDatabaseHandler):
    """axes' database handler with one limit for an account and another for an address."""

    def _recent(self, request, credentials):
        attempts = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        email = attempted_email(request, credentials)
        by_account = attempts.filter(username=email) if email else attempts.none()
        return by_account, attempts.filter(ip_address=request.axes_ip_address)

    def _blocking(self, request, credentials):
        by_account, by_address = self._recent(request, credentials)
        blocking = []
        for attempts, limit in (
            (by_account, settings.SIGN_IN_FAILURES_PER_ACCOUNT),
            (by_address, settings.SIGN_IN_FAILURES_PER_ADDRESS),
        ):
            if (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= limit:
                blocking.append(attempts)
        return by_account, blocking

    def get_failures(self, request, credentials=None) -> int:
        # axes compares this one number with AXES_FAILURE_LIMIT (the account limit).
        by_account, blocking = self._blocking(request, credentials)
        if blocking:
            return settings.AXES_FAILURE_LIMIT
        return min(by_account.aggregate(n=Sum("failures_since_start"))["n"] or 0, settings.AXES_FAILURE_LIMIT - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success clears that account's failures only: one good password must not wipe the
        # count of an address that is guessing at other accounts.
        email = attempted_email(request, credentials)
        return AccessAttempt.objects.filter(username=email).delete()[0] if email else 0

    def locked_until(self, request, credentials=None) -> datetime.datetime | None:
        """When the lock on this request's account or address ends."""
        _, blocking = self._blocking(request, credentials)
        if not blocking:
            return None
        query = Q()
        for attempts in blocking:
            query |= Q(pk__in=attempts.values("pk"))
        last = AccessAttempt.objects.filter(query).aggregate(last=Max("attempt_time"))["last"]
        return (last or clock.now()) + get_cool_off(request)


def reset_account(email: str) -> int:
    """Lift the lock on an account (after a password reset, or by an administrator)."""
    return AccessAttempt.objects.filter(username=(email or "").strip().lower()).delete()[0]


# The audit trail. No password is ever recorded; axes keeps its own rows for throttling.


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    email = attempted_email(request, credentials) or ""
    user = User.objects.filter(email__iexact=email).first() if email else None
    details = {
        "email": email,
        "ip_address": _ip_address(request),
        "known_account": user is not None,
        "while_locked_out": bool(getattr(request, "axes_locked_out", False)),
    }
    if user is not None:
        audit_record(actor=None, action=AccountsAuditAction.AUTH_SIGN_IN_FAILED, obj=user, after=details)
    else:
        audit_record(
            actor=None,
            action=AccountsAuditAction.AUTH_SIGN_IN_FAILED,
            object_type="accounts.sign_in",
            object_id=email[:64],
            after=details,
        )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    # axes also sends this for each try while already locked; only the failure that locked counts.
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return
    user = User.objects.filter(email__iexact=username).first() if username else None
    until = SignInThrottle().locked_until(request, getattr(request, "axes_credentials", None)) if request else None
    details = {"email": username or "", "ip_address": ip_address, "until": until}
    audit_record(
        actor=None,
        action=AccountsAuditAction.AUTH_LOCKED_OUT,
        obj=user,
        object_type="accounts.user" if user else "accounts.sign_in",
        object_id=None if user else (username or "")[:64],
        after=details,
    )


def on_signed_in(sender, request, user, **kwargs):
    audit_record(
        actor=user, action=AccountsAuditAction.AUTH_SIGN_IN, obj=user, after={"ip_address": _ip_address(request)}
    )


def on_signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            actor=user, action=AccountsAuditAction.AUTH_SIGN_OUT, obj=user, after={"ip_address": _ip_address(request)}
        )


def connect():
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_login_failed.connect(on_sign_in_failed, dispatch_uid="peercert.audit.sign_in_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="peercert.audit.locked_out")
    user_logged_in.connect(on_signed_in, dispatch_uid="peercert.audit.sign_in")
    user_logged_out.connect(on_signed_out, dispatch_uid="peercert.audit.sign_out")
