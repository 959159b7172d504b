"""Changes to users, people, roles, organizations and API tokens."""

import datetime
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from peercert.accounts.audit import AccountsAuditAction
from peercert.accounts.models import ApiToken, Person, RoleAssignment, User
from peercert.accounts.permissions import account_change_refusal, can_manage_users, role_change_refusal
from peercert.accounts.roles import ROLE_SCOPE, Role
from peercert.core import clock
from peercert.core.audit import audit_record, snapshot
from peercert.core.errors import ApplicationError
from peercert.core.tell import tell_user
from peercert.core.types import Actor

PERSON_FIELDS = (
    "legal_first_name",
    "legal_middle_name",
    "legal_last_name",
    "preferred_name",
    "date_of_birth",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "preferred_language",
)
PEER_EDITABLE_FIELDS = (
    "preferred_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "preferred_language",
)

# A role's scope as its refusals name it ("needs a training entity").
SCOPE_LABELS = {
    "program": gettext_noop("program"),
    "county": gettext_noop("county"),
    "training_entity": gettext_noop("training entity"),
}


def _require_manager(actor: Actor) -> None:
    if actor is not None and not can_manage_users(actor):
        raise ApplicationError("Only a system administrator or program manager may manage users.", code="forbidden")


def _require_role_change(actor: Actor, user: User, role: str, program) -> None:
    refusal = role_change_refusal(actor, user, role, program)
    if refusal:
        raise ApplicationError(refusal, params={"role": Role(role).label}, code="forbidden", field="role")


def _scope_text(assignment: RoleAssignment) -> str:
    return str(assignment.scope) if assignment.scope is not None else ""


def _tell_about_role(*, user: User, actor: Actor, assignment: RoleAssignment, granted: bool, reason: str) -> None:
    """The person hears of every role given or taken away: a role they did not expect is the first
    sign of someone misusing user management."""
    params = {
        "role": Role(assignment.role).label,
        "scope": _scope_text(assignment) or "-",
        "by": str(actor) if actor is not None else "PeerCert",
        "reason": reason or "-",
    }
    if granted:
        subject = gettext_noop("You have a new role in PeerCert: %(role)s")
        body = gettext_noop(
            "%(by)s gave you the role “%(role)s” (scope: %(scope)s). Reason: %(reason)s. "
            "If you did not expect this, tell your program or a PeerCert administrator."
        )
    else:
        subject = gettext_noop("A role was removed from your PeerCert account: %(role)s")
        body = gettext_noop(
            "%(by)s removed the role “%(role)s” (scope: %(scope)s). Reason: %(reason)s. "
            "If you did not expect this, tell your program or a PeerCert administrator."
        )
    tell_user(user, subject=subject, body=body, params=params, link=reverse("accounts:account"))


def _validate_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError("%(problems)s", params={"problems": " ".join(exc.messages)}, field="password") from exc


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    legal_first_name: str,
    legal_last_name: str,
    date_of_birth=None,
    preferred_language: str = "en",
) -> User | None:
    """Self-service account for an applicant: a User, a Person and the peer role; audited, and
    the applicant is e-mailed that the account is ready.

    An email that already has an account gets no second one. Its owner is e-mailed that someone
    tried, with how to sign in or reset the password, and None is returned: the caller answers
    exactly as for a new account, so the form does not tell strangers who has an account.
    """
    email = (email or "").strip().lower()
    if not email:
        raise ApplicationError("Enter your email address.", field="email")
    user = User(email=email, display_name=f"{legal_first_name} {legal_last_name}".strip())
    # Checked before looking the email up, so a weak password is refused alike for both.
    _validate_password(password, user)
    user.set_password(password)  # the same hashing work on both paths: the time taken tells nothing either
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same email registered a moment ago in another request
            existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        audit_record(
            actor=None, action=AccountsAuditAction.USER_REGISTER_EXISTING_EMAIL, obj=existing, after={"email": email}
        )
        tell_user(
            existing,
            subject=gettext_noop("Someone tried to create a PeerCert account with your email"),
            body=gettext_noop(
                "Someone tried to create a new PeerCert account with this email address. You "
                "already have an account: sign in with this email. If you forgot your password, "
                "choose “Forgot your password?” on the sign-in page. If it was not you, you do not "
                "need to do anything: your account has not changed."
            ),
            link=reverse("accounts:login"),
        )
        return None
    person = Person.objects.create(
        user=user,
        legal_first_name=legal_first_name.strip(),
        legal_last_name=legal_last_name.strip(),
        date_of_birth=date_of_birth,
        email=email,
        preferred_language=preferred_language,
    )
    RoleAssignment.objects.create(user=user, role=Role.PEER)
    audit_record(
        actor=user, action=AccountsAuditAction.USER_REGISTER, obj=user, after={"email": email, "person": person.pk}
    )
    tell_user(
        user,
        subject=gettext_noop("Your PeerCert account is ready"),
        body=gettext_noop(
            "Welcome to PeerCert, %(name)s. Your account is ready: sign in with this email "
            "address and the password you chose."
        ),
        params={"name": person.display_name},
        link=reverse("accounts:login"),
    )
    return user


def password_reset_request_record(*, email: str, ip_address: str | None) -> None:
    """Audit a password reset asked for, whether or not the email has an account."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first() if email else None
    details = {"email": email, "ip_address": ip_address, "known_account": user is not None}
    if user is not None:
        audit_record(actor=None, action=AccountsAuditAction.AUTH_PASSWORD_RESET_REQUESTED, obj=user, after=details)
    else:
        audit_record(
            actor=None,
            action=AccountsAuditAction.AUTH_PASSWORD_RESET_REQUESTED,
            object_type="accounts.sign_in",
            object_id=email[:64],
            after=details,
        )


@transaction.atomic
def password_reset_complete(*, user: User, ip_address: str | None) -> None:
    """After a person set a new password from the emailed link: audit it and lift any sign-in
    lock on the account (whoever guessed at it no longer holds a working password)."""
    from peercert.accounts.sign_in import reset_account

    lifted = reset_account(user.email)
    audit_record(
        actor=user,
        action=AccountsAuditAction.AUTH_PASSWORD_RESET_COMPLETED,
        obj=user,
        after={"ip_address": ip_address, "sign_in_lock_lifted": bool(lifted)},
    )


@transaction.atomic
def user_create(
    *, actor: Actor, email: str, display_name: str = "", password: str | None = None, is_staff: bool = False
) -> User:
    """Staff create a user. With no password the person sets one through password reset."""
    _require_manager(actor)
    email = (email or "").strip().lower()
    if not email:
        raise ApplicationError("Enter an email address.", field="email")
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError("A user with this email already exists.", code="duplicate", field="email")
    user = User(email=email, display_name=display_name.strip(), is_staff=is_staff)
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        action=AccountsAuditAction.USER_CREATE,
        obj=user,
        after={"email": email, "display_name": user.display_name, "is_staff": is_staff},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, is_active: bool, reason: str) -> User:
    """Deactivate or reactivate a sign-in. Users are never deleted: the audit trail names them.

    Nobody changes their own; only a system administrator changes an administrator's, or one
    holding roles a program manager does not hand out (see permissions.account_change_refusal).
    """
    _require_manager(actor)
    if not reason.strip():
        raise ApplicationError("Give a reason.", field="reason")
    user = User.objects.select_for_update().get(pk=user.pk)
    refusal = account_change_refusal(actor, user)
    if refusal:
        raise ApplicationError(refusal, code="state" if actor is not None and user.pk == actor.pk else "forbidden")
    # Two managers, or one double click: the second would record a change that never happened.
    if is_active and user.is_active:
        raise ApplicationError("This account is already active.", code="state")
    if not is_active and not user.is_active:
        raise ApplicationError("This account is already deactivated.", code="state")
    before = {"is_active": user.is_active}
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AccountsAuditAction.USER_ACTIVATE if is_active else AccountsAuditAction.USER_DEACTIVATE,
        obj=user,
        before=before,
        after={"is_active": is_active},
        reason=reason,
    )
    return user


@transaction.atomic
def role_grant(
    *, actor: Actor, user: User, role: str, program=None, county=None, training_entity=None, reason: str = ""
) -> RoleAssignment:
    """Give a user a role with its scope. Refuses a scope the role does not take, or a missing one."""
    _require_manager(actor)
    if role not in Role.values:
        raise ApplicationError("Unknown role: %(role)s.", params={"role": role}, field="role")
    needed = ROLE_SCOPE[role]
    given = {"program": program, "county": county, "training_entity": training_entity}
    label = Role(role).label
    if needed and given[needed] is None:
        raise ApplicationError(
            "The role “%(role)s” needs a %(scope)s.",
            params={"role": label, "scope": gettext(SCOPE_LABELS[needed])},
            field=needed,
        )
    extra = [k for k, v in given.items() if v is not None and k != needed]
    if extra:
        raise ApplicationError(
            "The role “%(role)s” does not take a %(scope)s.",
            params={"role": label, "scope": gettext(SCOPE_LABELS[extra[0]])},
            field=extra[0],
        )
    _require_role_change(actor, user, role, program)
    # The constraint treats missing scopes as equal on PostgreSQL; SQLite cannot, so ask first too.
    if RoleAssignment.objects.filter(user=user, role=role, **given).exists():
        raise ApplicationError("This user already holds that role with that scope.", code="duplicate")
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(user=user, role=role, **given)
    except IntegrityError as exc:
        raise ApplicationError("This user already holds that role with that scope.", code="duplicate") from exc
    if role == Role.SYSTEM_ADMINISTRATOR and not user.is_staff:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action=AccountsAuditAction.ROLE_GRANT,
        obj=user,
        object_type="accounts.user",
        after={"role": role, **{k: v.pk for k, v in given.items() if v is not None}},
        reason=reason,
    )
    _tell_about_role(user=user, actor=actor, assignment=assignment, granted=True, reason=reason)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment, reason: str = "") -> None:
    """Take a role away. The same tiers as role_grant decide who may (never your own roles).
    Refuses to remove the last system administrator. Audits it and tells the person."""
    _require_manager(actor)
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "program", "county", "training_entity")
        .get(pk=assignment.pk)
    )
    _require_role_change(actor, assignment.user, assignment.role, assignment.program)
    if (
        assignment.role == Role.SYSTEM_ADMINISTRATOR
        and RoleAssignment.objects.filter(role=Role.SYSTEM_ADMINISTRATOR, user__is_active=True).count() <= 1
    ):
        raise ApplicationError("PeerCert needs at least one system administrator.", code="state")
    user = assignment.user
    before = {
        "role": assignment.role,
        "program": assignment.program_id,
        "county": assignment.county_id,
        "training_entity": assignment.training_entity_id,
    }
    assignment.delete()
    if before["role"] == Role.SYSTEM_ADMINISTRATOR:
        user.is_staff = False
        user.is_superuser = False
        user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(actor=actor, action=AccountsAuditAction.ROLE_REVOKE, obj=user, before=before, reason=reason)
    _tell_about_role(user=user, actor=actor, assignment=assignment, granted=False, reason=reason)


@transaction.atomic
def person_update(*, actor: Actor, person: Person, data: dict, reason: str = "") -> Person:
    """Change a person's details. Peers change their own contact details and preferred name;
    legal name and date of birth change only by staff (name changes need documents)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    own = actor is not None and person.user_id == actor.pk
    allowed = PEER_EDITABLE_FIELDS if own and not can_manage_users(actor) else PERSON_FIELDS
    if actor is not None and not own and not can_manage_users(actor):
        raise ApplicationError("You may not change this person's details.", code="forbidden")
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(
            "These details cannot be changed here: %(names)s.", params={"names": ", ".join(sorted(unknown))}
        )
    before = snapshot(person, list(data))
    for key, value in data.items():
        setattr(person, key, value)
    person.save(update_fields=list(data) + ["updated_at"])
    changed = {k: v for k, v in snapshot(person, list(data)).items() if before.get(k) != v}
    if changed:
        audit_record(
            actor=actor,
            action=AccountsAuditAction.PERSON_UPDATE,
            obj=person,
            before={k: before[k] for k in changed},
            after=changed,
            reason=reason,
        )
    return person


TOKEN_PREFIX = "pc_"
TOKEN_USE_PRECISION = datetime.timedelta(seconds=60)


@transaction.atomic
def api_token_create(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token. Returns the row and the token, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Name the token so you can recognise it later.", field="name")
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= 10:
        raise ApplicationError("You have 10 active tokens. Revoke one first.", code="state")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key))
    audit_record(
        actor=actor,
        action=AccountsAuditAction.API_TOKEN_CREATE,
        obj=token,
        after={"name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk and not can_manage_users(actor):
        raise ApplicationError("You may revoke only your own tokens.", code="forbidden")
    if token.revoked_at is not None:
        raise ApplicationError("This token is already revoked.", code="state")
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor, action=AccountsAuditAction.API_TOKEN_REVOKE, obj=token, after={"revoked_at": token.revoked_at}
    )
    return token


def api_token_authenticate(key: str) -> User | None:
    """The active user behind a token, or None. Records when the token was last used."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Minute precision is all anyone reads, and a write per request made busy SQLite refuse
    # other writers ("database is locked"). The WHERE makes concurrent requests race safely:
    # one of them writes, the rest match no row; the check before it spares the statement.
    now = clock.now()
    stale = now - TOKEN_USE_PRECISION
    if token.last_used_at is None or token.last_used_at < stale:
        ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=token.pk).update(
            last_used_at=now
        )
    return token.user
