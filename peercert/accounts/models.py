import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peercert.accounts.roles import ROLE_SCOPE, Role
from peercert.core.models import BaseModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in. People who apply or hold certification also have a Person."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name shown on screen"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("May use the Django admin."))
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
    CHINESE = "zh", "中文"
    VIETNAMESE = "vi", "Tiếng Việt"
    TAGALOG = "tl", "Tagalog"
    KOREAN = "ko", "한국어"
    ARMENIAN = "hy", "Հայերեն"
    RUSSIAN = "ru", "Русский"
    FARSI = "fa", "فارسی"
    ARABIC = "ar", "العربية"
    PUNJABI = "pa", "ਪੰਜਾਬੀ"
    HMONG = "hmn", "Hmoob"
    CAMBODIAN = "km", "ខ្មែរ"
    OTHER = "other", _("Other")


class Person(BaseModel):
    """Someone who applies for, holds or once held certification, or supervises peers."""

    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.PROTECT, related_name="person")
    legal_first_name = models.CharField(_("legal first name"), max_length=100)
    legal_middle_name = models.CharField(_("legal middle name"), max_length=100, blank=True)
    legal_last_name = models.CharField(_("legal last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address_line1 = models.CharField(_("street address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("apartment, suite, unit"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True, default="CA")
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    # Accent- and case-folded "first last" for searching; kept in step by save().
    search_name = models.CharField(max_length=310, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = [self.legal_first_name, self.legal_middle_name, self.legal_last_name]
        return " ".join(p for p in parts if p)

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    def folded_name(self) -> str:
        """The search_name this person should have; bulk_create skips save(), so imports call this."""
        from peercert.core.text import fold

        return fold(f"{self.legal_first_name} {self.legal_middle_name} {self.legal_last_name} {self.preferred_name}")

    def save(self, *args, **kwargs):
        self.search_name = self.folded_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_name"}
        super().save(*args, **kwargs)


class ProgramKind(models.TextChoices):
    STATEWIDE = "statewide", _("Statewide certifying entity")
    COUNTY = "county", _("County-run program")
    DESIGNATED = "designated", _("Designated entity")


class CertificationProgram(BaseModel):
    """An entity that certifies peers. The statewide entity is seeded; others can be added."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=30, unique=True)
    kind = models.CharField(max_length=20, choices=ProgramKind.choices)
    county = models.ForeignKey("County", null=True, blank=True, on_delete=models.PROTECT, related_name="programs")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="county", county__isnull=False) | ~Q(kind="county"),
                name="county_program_names_county",
            )
        ]

    def __str__(self) -> str:
        return self.name


class County(BaseModel):
    """One of California's 58 counties and its behavioral health plan's opt-ins."""

    name = models.CharField(max_length=60, unique=True)
    code = models.CharField(_("county code"), max_length=2, unique=True, help_text=_("Two-digit county code, 01-58."))
    fips = models.CharField(_("FIPS code"), max_length=5, unique=True)
    opts_in_smhs = models.BooleanField(_("opted in for SMHS"), default=True)
    opts_in_dmc = models.BooleanField(_("opted in for DMC"), default=False)
    opts_in_dmc_ods = models.BooleanField(_("opted in for DMC-ODS"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.name} County"


class TrainingEntity(BaseModel):
    """An organization that teaches certification, CE, supervisor or specialization courses.

    Approval, terms and sanctions live in the training app; this is the organization itself.
    """

    name = models.CharField(max_length=200, unique=True)
    legal_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "training entities"

    def __str__(self) -> str:
        return self.name


class StateAgency(BaseModel):
    """The state department that oversees the benefit (DHCS)."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=20, unique=True)

    class Meta:
        verbose_name_plural = "state agencies"

    def __str__(self) -> str:
        return self.name


class RoleAssignment(BaseModel):
    """A role a user holds, with its scope where the role needs one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    program = models.ForeignKey(CertificationProgram, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey(County, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    training_entity = models.ForeignKey(
        TrainingEntity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "program", "county", "training_entity"],
                name="unique_role_assignment",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                name="role_carries_its_scope",
                condition=(
                    Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == "program"],
                        program__isnull=False,
                        county__isnull=True,
                        training_entity__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == "county"],
                        county__isnull=False,
                        program__isnull=True,
                        training_entity__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == "training_entity"],
                        training_entity__isnull=False,
                        program__isnull=True,
                        county__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s is None],
                        program__isnull=True,
                        county__isnull=True,
                        training_entity__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.scope
        return f"{self.get_role_display()}" + (f" ({scope})" if scope else "")

    @property
    def scope(self):
        return self.program or self.county or self.training_entity


class ApiToken(BaseModel):
    """A personal API token. Only a hash is stored; the token is shown once when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
