"""The 18 steering groups, their terms and members, and their working groups."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kotove.models import Area, Language, MemberOrganisation, Role, localized
from pankki.models import Expert

REGIONAL_ROLES = {Role.Kind.REGIONAL_CHAIR, Role.Kind.REGIONAL_SECRETARY, Role.Kind.REGIONAL_MEMBER}
OFFICER_ROLES = {Role.Kind.REGIONAL_CHAIR, Role.Kind.REGIONAL_SECRETARY}


class SeatCategory(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation representative")
    EXPERT = "expert", _("Experience expert")
    UNIT = "unit", _("Social, health or education unit representative")
    STAKEHOLDER = "stakeholder", _("Stakeholder representative")


# The guide's usual composition. Large areas may have more, so these only warn.
SEAT_LIMITS = {
    SeatCategory.ORGANISATION: (2, 4),
    SeatCategory.EXPERT: (2, 3),
    SeatCategory.UNIT: (2, 4),
}
TOTAL_LIMITS = (6, 10)
# "Ohjausryhmä kokoontuu 4–5 kertaa vuodessa."
MEETINGS_TARGET = (4, 5)
DEFAULT_TERM_YEARS = 2


def composition_warnings(counts: dict[str, int]) -> list[str]:
    """What differs from the guide's usual composition; never an error."""
    warnings = []
    for category, (low, high) in SEAT_LIMITS.items():
        count = counts.get(category, 0)
        if not low <= count <= high:
            warnings.append(
                gettext("%(category)s: %(count)d. The guide's usual number is %(low)d–%(high)d.")
                % {"category": category.label, "count": count, "low": low, "high": high}
            )
    total = sum(counts.values())
    low, high = TOTAL_LIMITS
    if not low <= total <= high:
        warnings.append(
            gettext(
                "Members in all: %(count)d. The guide's usual working size is %(low)d–%(high)d; "
                "large areas may have more."
            )
            % {"count": total, "low": low, "high": high}
        )
    return warnings


def area_ids(user, kinds) -> set[int]:
    return {role.area_id for role in user.active_roles if role.kind in kinds}


def area_experts(area):
    """The experts of an area: those whose home municipality lies in one of its regions."""
    return Expert.objects.filter(home_municipality__region__areas=area)


class GroupScopedQuerySet(models.QuerySet):
    """Reads of a group's own things. `group_path` is the lookup path to the SteeringGroup."""

    group_path = "group"

    def _in_areas(self, areas):
        prefix = f"{self.group_path}__" if self.group_path else ""
        return self.filter(**{f"{prefix}area__in": areas})

    def visible_to(self, user):
        """The group's chair, secretary and members read its pages; the national steering
        group and the planner read every group's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner or user.has_role(Role.Kind.NATIONAL_GROUP):
            return self
        return self._in_areas(area_ids(user, REGIONAL_ROLES))

    def editable_by(self, user):
        """The group's chair and secretary manage their own group; the planner manages all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner:
            return self
        return self._in_areas(area_ids(user, OFFICER_ROLES))


class SteeringGroupQuerySet(GroupScopedQuerySet):
    group_path = ""


class SteeringGroup(models.Model):
    """Alueellinen ohjausryhmä: one per area. Its contact details are public."""

    area = models.OneToOneField(
        Area, models.PROTECT, related_name="steering_group", verbose_name=_("area")
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    website = models.URLField(_("web page"), blank=True)
    description_fi = models.TextField(_("introduction in Finnish"), blank=True)
    description_sv = models.TextField(_("introduction in Swedish"), blank=True)

    objects = SteeringGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("regional steering group")
        verbose_name_plural = _("regional steering groups")
        ordering = ["area__name_fi"]

    def __str__(self):
        return str(self.area)

    @property
    def description(self) -> str:
        return localized(self, "description")

    def current_term(self, day: datetime.date | None = None) -> Term | None:
        return self.terms.on(day or timezone.localdate()).first()

    def chair_history(self):
        """Every chair of the group, newest first."""
        return (
            Membership.objects.filter(term__group=self, position=Membership.Position.CHAIR)
            .select_related("term", "member_organisation")
            .order_by("-term__starts_on", "-starts_on")
        )

    def chair_rotation(
        self, term: Term | None = None
    ) -> list[tuple[MemberOrganisation, datetime.date | None]]:
        """Chairing rotates among the organisations (the guide: "Järjestöt vastaavat
        vuorollaan ohjausryhmän puheenjohtajuudesta"). The organisations represented in `term`
        (the newest term by default) with the day each last started chairing, those that never
        chaired or chaired longest ago first: the first one's turn is next."""
        term = term or self.terms.order_by("-starts_on").first()
        if term is None:
            return []
        last_chaired: dict[int, datetime.date] = {}
        for chair in self.chair_history():
            last_chaired.setdefault(chair.member_organisation_id, chair.starts_on)
        organisations = MemberOrganisation.objects.filter(
            pk__in=term.memberships.not_ended()
            .filter(seat=SeatCategory.ORGANISATION)
            .values("member_organisation")
        )
        rows = [(org, last_chaired.get(org.pk)) for org in organisations]
        return sorted(rows, key=lambda row: (row[1] or datetime.date.min, row[0].name_fi))


class TermQuerySet(GroupScopedQuerySet):
    def on(self, day: datetime.date):
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def current(self):
        return self.on(timezone.localdate())


class Term(models.Model):
    """Toimikausi, usually two years."""

    group = models.ForeignKey(
        SteeringGroup, models.PROTECT, related_name="terms", verbose_name=_("steering group")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["group", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="term_ends_after_start", condition=Q(ends_on__gt=F("starts_on"))
            ),
            models.UniqueConstraint(fields=["group", "starts_on"], name="term_unique_start"),
        ]

    def __str__(self):
        return f"{self.group}: {self.period}"

    @property
    def period(self) -> str:
        return f"{date_format(self.starts_on, 'SHORT_DATE_FORMAT')}–{date_format(self.ends_on, 'SHORT_DATE_FORMAT')}"

    @property
    def is_current(self) -> bool:
        return self.starts_on <= timezone.localdate() <= self.ends_on


class MembershipQuerySet(GroupScopedQuerySet):
    group_path = "term__group"

    def active(self, day: datetime.date | None = None):
        """Members who have not left (by `day`, today by default)."""
        day = day or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day), starts_on__lte=day)

    def not_ended(self):
        return self.filter(ended_on__isnull=True)


class Membership(models.Model):
    """A seat in one term. Chair and secretary are organisation representatives (the guide:
    "puheenjohtajana ja sihteerinä toimii järjestöjen edustaja"); there are no deputies."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", pgettext_lazy("steering group role", "Member")

    # The regional role (kotove.Role) a membership gives a person with an account.
    ROLE_FOR_POSITION = {
        Position.CHAIR: Role.Kind.REGIONAL_CHAIR,
        Position.SECRETARY: Role.Kind.REGIONAL_SECRETARY,
        Position.MEMBER: Role.Kind.REGIONAL_MEMBER,
    }

    term = models.ForeignKey(
        Term, models.PROTECT, related_name="memberships", verbose_name=_("term")
    )
    seat = models.CharField(_("seat"), max_length=20, choices=SeatCategory.choices)
    position = models.CharField(
        _("role"), max_length=10, choices=Position.choices, default=Position.MEMBER
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    member_organisation = models.ForeignKey(
        MemberOrganisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    expert = models.ForeignKey(
        Expert,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="steering_group_memberships",
        verbose_name=_("experience expert"),
    )
    represents = models.CharField(_("unit or organisation represented"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_group_memberships",
        verbose_name=_("user account"),
    )
    nomination = models.ForeignKey(
        "alueet.Nomination",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("nomination"),
    )
    starts_on = models.DateField(_("member from"))
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["term", "seat", "last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                name="membership_officer_represents_organisation",
                condition=Q(position="member") | Q(seat="organisation"),
            ),
            models.CheckConstraint(
                name="membership_seat_details",
                condition=Q(seat="organisation", member_organisation__isnull=False)
                | Q(seat="expert", expert__isnull=False)
                | (Q(seat__in=["unit", "stakeholder"]) & ~Q(represents="")),
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(position="chair", ended_on__isnull=True),
                name="membership_one_chair",
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(position="secretary", ended_on__isnull=True),
                name="membership_one_secretary",
            ),
            models.UniqueConstraint(fields=["term", "email"], name="membership_person_once"),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_seat_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def represents_label(self) -> str:
        if self.seat == SeatCategory.ORGANISATION and self.member_organisation_id:
            return str(self.member_organisation)
        if self.seat == SeatCategory.EXPERT and self.expert_id:
            return str(self.expert.responsible_organisation)
        return self.represents

    @property
    def last_day(self) -> datetime.date:
        return self.ended_on or self.term.ends_on

    @property
    def email_language(self) -> str:
        return self.user.language if self.user_id else self.language


class WorkingGroupQuerySet(GroupScopedQuerySet):
    pass


class WorkingGroup(models.Model):
    """A small group under the steering group, e.g. to run an event."""

    group = models.ForeignKey(
        SteeringGroup,
        models.PROTECT,
        related_name="working_groups",
        verbose_name=_("steering group"),
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["group", "ended_on", "name"]

    def __str__(self):
        return self.name


class WorkingGroupMemberQuerySet(GroupScopedQuerySet):
    group_path = "working_group__group"


class WorkingGroupMember(models.Model):
    """A working group's member: one of the steering group's members, or someone else."""

    working_group = models.ForeignKey(
        WorkingGroup, models.CASCADE, related_name="members", verbose_name=_("working group")
    )
    membership = models.ForeignKey(
        Membership,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("steering group member"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    represents = models.CharField(_("represents"), max_length=200, blank=True)

    objects = WorkingGroupMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["working_group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "membership"],
                condition=Q(membership__isnull=False),
                name="working_group_member_once",
            )
        ]

    def __str__(self):
        return self.name
