"""The network's core: users and their roles, organisations, regions, the audit log, the outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")


def localized(obj, field: str) -> str:
    """The Swedish name where the user reads Swedish and one exists; Finnish otherwise."""
    if get_language() == "sv":
        return getattr(obj, f"{field}_sv") or getattr(obj, f"{field}_fi")
    return getattr(obj, f"{field}_fi")


def localized_name(prefix: str = ""):
    """The name localized() picks, as an expression: to read or order by in the database."""
    if get_language() == "sv":
        return Coalesce(NullIf(F(f"{prefix}name_sv"), Value("")), F(f"{prefix}name_fi"))
    return F(f"{prefix}name_fi")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        """A break-glass administrator for operations; the network's staff are planners."""
        return self.create_user(email, password, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @cached_property
    def active_roles(self) -> list[Role]:
        if not self.pk:
            return []
        return list(self.roles.current().with_scopes())

    def has_role(self, kind: str) -> bool:
        return any(role.kind == kind for role in self.active_roles)

    @property
    def is_planner(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.Kind.PLANNER))

    @property
    def is_staff(self) -> bool:
        """Django admin is the planner's tool; being staff follows from the planner role."""
        return self.is_planner

    def contact_organisations(self):
        """The member organisations whose matters the user handles as their contact: every
        active one for planners."""
        if self.is_planner:
            return MemberOrganisation.objects.filter(is_active=True)
        return MemberOrganisation.objects.filter(
            pk__in=[
                role.member_organisation_id
                for role in self.active_roles
                if role.kind == Role.Kind.ORGANISATION_CONTACT
            ]
        )

    @property
    def needs_mfa(self) -> bool:
        return any(role.kind in Role.MFA_REQUIRED for role in self.active_roles) or self.is_planner


class Region(models.Model):
    """Maakunta."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return localized(self, "name")


class Municipality(models.Model):
    """Kunta, with the coordinates of its centre for distance searches."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_fi"]

    def __str__(self):
        return localized(self, "name")


class Area(models.Model):
    """The area of one of the 18 regional steering groups: one or more regions."""

    name_fi = models.CharField(_("name in Finnish"), max_length=100, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    regions = models.ManyToManyField(Region, related_name="areas", verbose_name=_("regions"))

    class Meta:
        verbose_name = _("regional area")
        verbose_name_plural = _("regional areas")
        ordering = ["name_fi"]

    def __str__(self):
        return localized(self, "name")


class MemberOrganisation(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Member organisation")
        COOPERATION = "cooperation", _("Cooperation member")

    name_fi = models.CharField(_("name in Finnish"), max_length=200, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["name_fi"]

    def __str__(self):
        return localized(self, "name")


class OrdererOrganisation(models.Model):
    class Kind(models.TextChoices):
        WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county or hospital")
        MUNICIPALITY = "municipality", _("City or municipality")
        EDUCATION = "education", _("Educational institution")
        COMPANY = "company", _("Service company")
        OTHER = "other", pgettext_lazy("orderer kind", "Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, null=True, blank=True, verbose_name=_("municipality")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("orderer organisation")
        verbose_name_plural = _("orderer organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)

    def with_scopes(self):
        """With the organisation or area each role is for, in the order pages list them."""
        return self.select_related("member_organisation", "orderer_organisation", "area").order_by(
            "kind", "pk"
        )  # Role's own ordering would join the user again


class Role(models.Model):
    """A user's membership in one role; one user can hold several."""

    class Kind(models.TextChoices):
        PLANNER = "planner", _("Planner")
        ORGANISATION_CONTACT = "organisation_contact", _("Organisation contact")
        ORDERER = "orderer", _("Orderer")
        NATIONAL_GROUP = "national_group", _("National steering group member")
        REGIONAL_CHAIR = "regional_chair", _("Regional group chair")
        REGIONAL_SECRETARY = "regional_secretary", _("Regional group secretary")
        REGIONAL_MEMBER = "regional_member", _("Regional group member")
        EXPERT = "expert", _("Experience expert")

    # Roles that see other people's personal data must use a second factor.
    MFA_REQUIRED = {Kind.PLANNER, Kind.ORGANISATION_CONTACT, Kind.REGIONAL_SECRETARY}
    SCOPES = {
        Kind.ORGANISATION_CONTACT: "member_organisation",
        Kind.ORDERER: "orderer_organisation",
        Kind.REGIONAL_CHAIR: "area",
        Kind.REGIONAL_SECRETARY: "area",
        Kind.REGIONAL_MEMBER: "area",
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="roles", verbose_name=_("user")
    )
    kind = models.CharField(_("role"), max_length=30, choices=Kind.choices)
    member_organisation = models.ForeignKey(
        MemberOrganisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("member organisation"),
    )
    orderer_organisation = models.ForeignKey(
        OrdererOrganisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("orderer organisation"),
    )
    area = models.ForeignKey(
        Area, models.PROTECT, null=True, blank=True, related_name="roles", verbose_name=_("area")
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user", "kind"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_kind",
                condition=(
                    Q(
                        kind="organisation_contact",
                        member_organisation__isnull=False,
                        orderer_organisation__isnull=True,
                        area__isnull=True,
                    )
                    | Q(
                        kind="orderer",
                        orderer_organisation__isnull=False,
                        member_organisation__isnull=True,
                        area__isnull=True,
                    )
                    | Q(
                        kind__in=["regional_chair", "regional_secretary", "regional_member"],
                        area__isnull=False,
                        member_organisation__isnull=True,
                        orderer_organisation__isnull=True,
                    )
                    | Q(
                        kind__in=["planner", "national_group", "expert"],
                        area__isnull=True,
                        member_organisation__isnull=True,
                        orderer_organisation__isnull=True,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "member_organisation", "orderer_organisation", "area"],
                nulls_distinct=False,
                name="role_unique_per_scope",
            ),
        ]

    def __str__(self):
        scope = self.scope
        return f"{self.get_kind_display()} ({scope})" if scope else str(self.get_kind_display())

    @property
    def scope(self):
        field = self.SCOPES.get(self.kind)
        return getattr(self, field) if field else None


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEvent(models.Model):
    """One row per auditable act. Written only by services; nobody edits or deletes it."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_email = models.CharField(_("actor's email"), max_length=254, blank=True)
    actor_roles = models.CharField(_("actor's roles"), max_length=500, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.ForeignKey(
        ContentType, models.PROTECT, null=True, blank=True, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    path = models.CharField(_("request path"), max_length=500, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.object_repr}"
        )


class OutboundEmail(models.Model):
    """The outbox: every email is a row first, sent by Celery at most once per key."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class AccessRequest(models.Model):
    """An orderer's request for an account, decided by the planner."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("work email"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    organisation = models.ForeignKey(
        OrdererOrganisation,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("orderer organisation"),
        help_text=_("Choose or create the organisation before approving."),
    )
    reason = models.TextField(_("what you need the experience bank for"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note to the requester"), blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.organisation_name})"
