"""Järjestäytymiskokous: nominations, seats per category, frozen candidate lists and the lot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import Language, MemberOrganisation
from pankki.models import Expert

from .. import lottery
from .groups import GroupScopedQuerySet, SeatCategory, SteeringGroup, Term
from .meetings import new_token


class OrganisingMeetingQuerySet(GroupScopedQuerySet):
    def open_for_nominations(self):
        return self.filter(
            announced_at__isnull=False,
            nominations_closed_at__isnull=True,
            nomination_deadline__gt=timezone.now(),
        )


class OrganisingMeeting(models.Model):
    """Called by the group (or the planner) to choose the members of a new term."""

    group = models.ForeignKey(
        SteeringGroup,
        models.PROTECT,
        related_name="organising_meetings",
        verbose_name=_("steering group"),
    )
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    nomination_deadline = models.DateTimeField(_("nominations close"))
    term_starts_on = models.DateField(_("new term starts on"))
    term_ends_on = models.DateField(_("new term ends on"))
    # The public page of the candidate lists and the draws: anyone with the link reads it.
    public_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    nominations_closed_at = models.DateTimeField(_("nominations closed"), null=True, blank=True)
    seats_recorded_at = models.DateTimeField(_("seats decided"), null=True, blank=True)
    lists_frozen_at = models.DateTimeField(_("candidate lists frozen"), null=True, blank=True)
    completed_at = models.DateTimeField(_("new term created"), null=True, blank=True)
    term = models.OneToOneField(
        Term,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="organising_meeting",
        verbose_name=_("new term"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = OrganisingMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("organising meeting")
        verbose_name_plural = _("organising meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                name="organising_deadline_before_meeting",
                condition=Q(nomination_deadline__lte=F("starts_at")),
            ),
            models.CheckConstraint(
                name="organising_term_ends_after_start",
                condition=Q(term_ends_on__gt=F("term_starts_on")),
            ),
            models.CheckConstraint(
                name="organising_has_place", condition=~Q(place="") | ~Q(online_link="")
            ),
        ]

    def __str__(self):
        return f"{self.group} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    @property
    def accepts_nominations(self) -> bool:
        return (
            self.announced_at is not None
            and self.nominations_closed_at is None
            and self.nomination_deadline > timezone.now()
        )


class NominationInvite(models.Model):
    """A unit's or stakeholder's address: its own link names their representatives."""

    organising_meeting = models.ForeignKey(
        OrganisingMeeting, models.CASCADE, related_name="invites", verbose_name=_("meeting")
    )
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("nomination link")
        verbose_name_plural = _("nomination links")
        ordering = ["organising_meeting", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["organising_meeting", "email"], name="nomination_invite_once"
            )
        ]

    def __str__(self):
        return self.email


class NominationQuerySet(GroupScopedQuerySet):
    group_path = "organising_meeting__group"


class Nomination(models.Model):
    """A candidate, named with the advance registration and the candidate's consent."""

    organising_meeting = models.ForeignKey(
        OrganisingMeeting,
        models.CASCADE,
        related_name="nominations",
        verbose_name=_("organising meeting"),
    )
    category = models.CharField(_("seat"), max_length=20, choices=SeatCategory.choices)
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
        related_name="+",
        verbose_name=_("experience expert"),
    )
    represents = models.CharField(_("unit or organisation represented"), max_length=200, blank=True)
    attends = models.BooleanField(_("registers for the organising meeting"), default=True)
    consent_confirmed_at = models.DateTimeField(_("candidate's consent confirmed"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    invite = models.ForeignKey(
        NominationInvite,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("nomination link"),
    )
    created_at = models.DateTimeField(_("nominated"), default=timezone.now)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["organising_meeting", "category", "last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organising_meeting", "email"], name="nomination_person_once"
            ),
            models.UniqueConstraint(
                fields=["organising_meeting", "expert"],
                condition=Q(expert__isnull=False),
                name="nomination_expert_once",
            ),
            models.CheckConstraint(
                name="nomination_seat_details",
                condition=Q(category="organisation", member_organisation__isnull=False)
                | Q(category="expert", expert__isnull=False)
                | (Q(category__in=["unit", "stakeholder"]) & ~Q(represents="")),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_category_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def represents_label(self) -> str:
        """What the candidate represents, in Finnish: the frozen candidate list's text, the
        same in every language, so that its digest verifies the draw."""
        return self._represents(lambda organisation: organisation.name_fi)

    @property
    def represents_shown(self) -> str:
        """What the candidate represents, in the reader's language."""
        return self._represents(str)

    def _represents(self, name) -> str:
        if self.category == SeatCategory.ORGANISATION and self.member_organisation_id:
            return name(self.member_organisation)
        if self.category == SeatCategory.EXPERT and self.expert_id:
            return name(self.expert.responsible_organisation)
        return self.represents


class SeatAllocation(models.Model):
    """The number of seats per category, decided at the start of the organising meeting."""

    organising_meeting = models.ForeignKey(
        OrganisingMeeting,
        models.CASCADE,
        related_name="seat_allocations",
        verbose_name=_("organising meeting"),
    )
    category = models.CharField(_("seat"), max_length=20, choices=SeatCategory.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        verbose_name = _("seats of a category")
        verbose_name_plural = _("seats per category")
        ordering = ["organising_meeting", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["organising_meeting", "category"], name="seat_allocation_once"
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.seats}"


class CandidateList(models.Model):
    """A category's candidates, frozen before the draw and published with their digest."""

    organising_meeting = models.ForeignKey(
        OrganisingMeeting,
        models.PROTECT,
        related_name="candidate_lists",
        verbose_name=_("organising meeting"),
    )
    category = models.CharField(_("seat"), max_length=20, choices=SeatCategory.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    # [{"number": 1, "name": "...", "represents": "...", "nomination": 12}, ...]
    entries = models.JSONField(_("candidates"))
    digest = models.CharField(_("SHA-256 of the list"), max_length=64)
    frozen_at = models.DateTimeField(_("frozen"), default=timezone.now)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")
        ordering = ["organising_meeting", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["organising_meeting", "category"], name="candidate_list_once"
            )
        ]

    def __str__(self):
        return f"{self.organising_meeting}: {self.get_category_display()}"

    @property
    def text(self) -> str:
        """The canonical text whose SHA-256 is the published digest."""
        return lottery.list_text(
            category=self.category,
            seats=self.seats,
            candidates=[(entry["name"], entry["represents"]) for entry in self.entries],
        )

    @property
    def needs_draw(self) -> bool:
        """More candidates than seats; with no seats nobody is elected and nothing is drawn."""
        return 0 < self.seats < len(self.entries)


class DrawQuerySet(GroupScopedQuerySet):
    group_path = "candidate_list__organising_meeting__group"


class Draw(models.Model):
    """The lot of one candidate list. Never rerun: it can only be cancelled with a reason."""

    candidate_list = models.ForeignKey(
        CandidateList, models.PROTECT, related_name="draws", verbose_name=_("candidate list")
    )
    algorithm_version = models.CharField(_("algorithm version"), max_length=10)
    # The inputs recorded at the meeting.
    drawn_at = models.DateTimeField(_("time of the draw"))
    witnesses = models.JSONField(_("witnesses and their dice"))  # [{"name": ..., "dice": "3 5 1"}]
    seed = models.CharField(_("seed"), max_length=64)
    order = models.JSONField(_("order drawn"))  # candidate numbers, first drawn first
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["candidate_list", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate_list"],
                condition=Q(cancelled_at__isnull=True),
                name="draw_one_valid_per_list",
            ),
            models.CheckConstraint(
                name="draw_cancel_has_reason",
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
            ),
        ]

    def __str__(self):
        return f"{self.candidate_list} ({self.recorded_at:%Y-%m-%d %H:%M})"

    @property
    def seed_text(self) -> str:
        return lottery.seed_text(
            drawn_at=self.drawn_at,
            witnesses=[(w["name"], w["dice"]) for w in self.witnesses],
        )

    @property
    def elected_numbers(self) -> list[int]:
        return self.order[: self.candidate_list.seats]
