"""Kokemuspankki: the register of experience experts, its vocabularies and consents."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality, Region, Role, localized


class Vocabulary(models.Model):
    """A controlled word list the planner maintains in admin."""

    name_fi = models.CharField(_("name in Finnish"), max_length=150)
    name_sv = models.CharField(_("name in Swedish"), max_length=150, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name_fi"]
        constraints = [
            models.UniqueConstraint(
                Lower("name_fi"),
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("The list already has this name."),
            )
        ]

    def __str__(self):
        return localized(self, "name")


class Theme(Vocabulary):
    """A theme or diagnosis; an organisation's own diagnoses appear under it."""

    organisation = models.ForeignKey(
        MemberOrganisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("organisation"),
    )

    class Meta(Vocabulary.Meta):
        verbose_name = _("theme or diagnosis")
        verbose_name_plural = _("themes and diagnoses")
        constraints = [
            # The same diagnosis may be two organisations' own; once under each at most.
            models.UniqueConstraint(
                Lower("name_fi"),
                F("organisation"),
                name="pankki_theme_unique_name",
                nulls_distinct=False,
                violation_error_message=_("The list already has this name."),
            )
        ]


class LifeSituation(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")


class TaskType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("task type")
        verbose_name_plural = _("task types")


class Audience(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class WorkLanguage(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")
    FI_SIGN = "fse", _("Finnish sign language")
    SV_SIGN = "fss", _("Finland-Swedish sign language")
    PLAIN_FI = "fi-plain", _("Plain Finnish (selkokieli)")


class ExpertQuerySet(models.QuerySet):
    def with_valid_consent(self):
        return self.filter(consented=True)

    def qualified(self):
        return self.filter(
            Q(basic_training_date__isnull=False) | Q(recognition_decision_date__isnull=False)
        )

    def available(self):
        today = timezone.localdate()
        return self.filter(
            Q(status=Expert.Status.ACTIVE) | Q(status=Expert.Status.PAUSED, paused_until__lt=today)
        )

    def searchable(self):
        """Only active, qualified experts with a valid consent are shown to orderers."""
        return self.available().qualified().with_valid_consent()

    def listed(self):
        """Experts who have a search entry: searchable, or paused (a pause ends by date)."""
        return self.qualified().with_valid_consent().exclude(status=Expert.Status.LEFT)

    def editable_by(self, user):
        """Organisation contacts keep their own organisation's experts; planners all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_planner:
            return self
        organisations = [
            role.member_organisation_id
            for role in user.active_roles
            if role.kind == Role.Kind.ORGANISATION_CONTACT
        ]
        return self.filter(responsible_organisation__in=organisations)

    def stale(self, months: int = 12):
        limit = timezone.now() - timezone.timedelta(days=round(months * 30.44))
        return self.filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=limit))


class Expert(models.Model):
    class ExperienceKind(models.TextChoices):
        OWN = "own", _("Own experience")
        CLOSE_ONE = "close_one", _("Close one's experience")
        BOTH = "both", _("Own and a close one's experience")

    class AgeGroup(models.TextChoices):
        UNDER_30 = "18-29", _("18–29 years")
        FROM_30 = "30-44", _("30–44 years")
        FROM_45 = "45-64", _("45–64 years")
        FROM_65 = "65-", _("65 years or over")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    class ContactVisibility(models.TextChoices):
        DIRECT = "direct", _("Show my contact details to orderers")
        VIA_ORGANISATION = "organisation", _("Contact through my organisation")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert",
        verbose_name=_("user account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    home_municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="+", verbose_name=_("home municipality")
    )
    travels_all_finland = models.BooleanField(_("travels anywhere in Finland"), default=False)
    travel_regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions travelled to")
    )
    travel_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities travelled to")
    )
    online = models.BooleanField(_("takes online tasks"), default=True)
    languages = ArrayField(
        models.CharField(max_length=10, choices=WorkLanguage.choices),
        default=list,
        verbose_name=_("working languages"),
    )
    other_languages = models.CharField(_("other languages"), max_length=200, blank=True)
    presentation_fi = models.TextField(_("presentation in Finnish"), blank=True)
    presentation_sv = models.TextField(_("presentation in Swedish"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="experts/", blank=True)

    experience_kind = models.CharField(
        _("experience"), max_length=20, choices=ExperienceKind.choices
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="experts", verbose_name=_("themes and diagnoses")
    )
    show_health_data = models.BooleanField(
        _("show themes, diagnoses and life situations to orderers"),
        default=False,
        help_text=_(
            "These are health data: orderers see them, and find the expert by them, only if "
            "the expert wants."
        ),
    )
    life_situations = models.ManyToManyField(
        LifeSituation, blank=True, related_name="experts", verbose_name=_("life situations")
    )
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, blank=True
    )

    responsible_organisation = models.ForeignKey(
        MemberOrganisation,
        models.PROTECT,
        related_name="responsible_for",
        verbose_name=_("responsible background organisation"),
    )
    other_organisations = models.ManyToManyField(
        MemberOrganisation,
        blank=True,
        related_name="experts",
        verbose_name=_("other background organisations"),
    )
    task_types = models.ManyToManyField(
        TaskType, blank=True, related_name="experts", verbose_name=_("task types")
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="experts", verbose_name=_("preferred audiences")
    )

    basic_training_date = models.DateField(_("basic training completed"), null=True, blank=True)
    basic_training_course = models.CharField(_("basic training course"), max_length=200, blank=True)
    recognition_decision_date = models.DateField(
        _("recognised on special grounds"),
        null=True,
        blank=True,
        help_text=_("Date of the national steering group's decision."),
    )
    continuing_training_date = models.DateField(
        _("developer-influencer training completed"), null=True, blank=True
    )

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("last confirmed up to date"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    contact_visibility = models.CharField(
        _("contact details"),
        max_length=20,
        choices=ContactVisibility.choices,
        default=ContactVisibility.VIA_ORGANISATION,
    )

    # Mirrors "has a consent that is not withdrawn" (services.give/withdraw_consent keep it), so
    # search needs no subquery per row.
    consented = models.BooleanField(_("valid consent"), default=False, editable=False)
    # A fixed random number: the fair daily order rotates over it.
    shuffle = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    # The expert's lists (many-to-many relations): the record form edits them, the expert's
    # page shows them.
    LISTS = (
        "travel_regions",
        "travel_municipalities",
        "themes",
        "life_situations",
        "other_organisations",
        "task_types",
        "audiences",
    )

    class Meta:
        verbose_name = _("experience expert")
        verbose_name_plural = _("experience experts")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["status", "responsible_organisation"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="expert_paused_has_date",
                condition=~Q(status="paused") | Q(paused_until__isnull=False),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def link_ids(self, *relations: str) -> dict[str, list[int]]:
        """The ids the expert has in each of these many-to-many relations, read from their link
        tables in one query. Plain SQL: the ORM's subqueries for it (like those of
        search_services.refresh_search_entries) take milliseconds to build, this takes a tenth."""
        quote = connections[self._state.db].ops.quote_name
        parts = []
        for index, relation in enumerate(relations):
            field = self._meta.get_field(relation)
            links = quote(field.remote_field.through._meta.db_table)
            target, owner = quote(field.m2m_reverse_name()), quote(field.m2m_column_name())
            parts.append(f"SELECT {index}, {target} FROM {links} WHERE {owner} = %s")  # noqa: S608
        ids = {relation: [] for relation in relations}
        with connections[self._state.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), [self.pk] * len(parts))
            for index, pk in cursor.fetchall():
                ids[relations[index]].append(pk)
        return ids

    @property
    def is_qualified(self) -> bool:
        return bool(self.basic_training_date or self.recognition_decision_date)

    @property
    def language_labels(self) -> list[str]:
        labels = dict(WorkLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    @property
    def presentation(self) -> str:
        return self._presentation()[0]

    @property
    def presentation_language(self) -> str:
        """The language of `presentation`, for the page's lang attribute around it."""
        return self._presentation()[1]

    def _presentation(self) -> tuple[str, str]:
        """The Swedish presentation on Swedish pages, else the Finnish one, else the other."""
        from django.utils.translation import get_language

        if (get_language() == "sv" and self.presentation_sv) or not self.presentation_fi:
            return self.presentation_sv, "sv"
        return self.presentation_fi, "fi"


class Consent(models.Model):
    """The expert's consent to be listed. Rows are never edited: withdrawal is recorded once."""

    class Method(models.TextChoices):
        ONLINE = "online", _("In the service, by the expert")
        PAPER = "paper", _("Signed form")
        EMAIL = "email", _("By email")

    expert = models.ForeignKey(
        Expert, models.CASCADE, related_name="consents", verbose_name=_("expert")
    )
    text_version = models.CharField(_("consent text version"), max_length=20)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        indexes = [
            models.Index(
                fields=["expert"], condition=Q(withdrawn_at__isnull=True), name="consent_valid_idx"
            )
        ]

    def __str__(self):
        return f"{self.expert} {self.text_version} {self.given_at:%Y-%m-%d}"


class SavedSearch(models.Model):
    """An orderer's saved search; new matching experts are emailed weekly."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("search parameters"), max_length=2000)
    notify = models.BooleanField(_("email me new matching experts"), default=True)
    known_experts = ArrayField(models.BigIntegerField(), default=list, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    notified_at = models.DateTimeField(_("last notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SearchEntryQuerySet(models.QuerySet):
    def visible(self, day: date | None = None):
        """Entries shown on `day`: an expert paused until a date is hidden through that date."""
        day = day or timezone.localdate()
        return self.filter(Q(paused_until__isnull=True) | Q(paused_until__lt=day))

    def count_visible(self, day: date) -> int:
        """The count without reading rows: every filter is an index condition, so PostgreSQL
        counts from the indexes alone; the few experts paused on `day` are subtracted. One
        query."""
        listed = self.order_by().values("pk")
        try:
            parts = [
                qs.query.sql_with_params() for qs in (listed, listed.filter(paused_until__gte=day))
            ]
        except EmptyResultSet:  # .none(): search words with nothing to search for
            return 0
        # The ORM's own SQL, every value a parameter.
        counts = " - ".join(f"(SELECT count(*) FROM ({sql}) part)" for sql, _ in parts)  # noqa: S608
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT {counts}", [value for _, params in parts for value in params])
            return cursor.fetchone()[0]


class SearchEntry(models.Model):
    """What the orderers' search reads: one narrow row per listed expert (valid consent,
    qualified, not left), written by services.refresh_search_entries() whenever something in
    it changes. Themes, life situations and their words are in it only where the expert shows
    them, so health data cannot be found otherwise. Every filter is an index condition on it
    (README, Performance)."""

    class Trait(models.TextChoices):
        OWN = "own", _("Own experience")
        CLOSE_ONE = "close_one", _("Close one's experience")
        ONLINE = "online", _("Takes online tasks")
        CONTINUING = "continuing", _("Has the developer-influencer training")

    expert = models.OneToOneField(
        Expert, models.CASCADE, primary_key=True, related_name="search_entry"
    )
    shuffle = models.IntegerField()
    # Pauses end by date, so visibility is decided when searching (SearchEntryQuerySet.visible).
    paused_until = models.DateField(null=True)
    home_municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="+")
    # Regions the expert works in, wholly or in part; municipalities they live in or travel
    # to; regions they travel anywhere in (every region for "all Finland").
    regions = ArrayField(models.IntegerField())
    municipalities = ArrayField(models.IntegerField())
    whole_regions = ArrayField(models.IntegerField())
    organisations = ArrayField(models.IntegerField())
    themes = ArrayField(models.IntegerField())
    life_situations = ArrayField(models.IntegerField())
    task_types = ArrayField(models.IntegerField())
    languages = ArrayField(models.CharField(max_length=10))
    traits = ArrayField(models.CharField(max_length=10, choices=Trait.choices))
    document = SearchVectorField()
    # A hash of the words the document was made from: a refresh rewrites only the entries
    # whose values or words changed (search_services.refresh_search_entries).
    words_digest = models.BigIntegerField(default=0)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            # One multicolumn GIN index: filters on several arrays are one index scan.
            GinIndex(
                fields=[
                    "regions",
                    "municipalities",
                    "whole_regions",
                    "organisations",
                    "themes",
                    "life_situations",
                    "task_types",
                    "languages",
                    "traits",
                ],
                name="search_entry_filters_gin",
            ),
            GinIndex(fields=["document"], name="search_entry_document_gin"),
            models.Index(fields=["shuffle"], name="search_entry_shuffle_idx"),
            models.Index(
                fields=["paused_until"],
                condition=Q(paused_until__isnull=False),
                name="search_entry_paused_idx",
            ),
        ]

    def __str__(self):
        return str(self.expert_id)


# Requests and tasks live in their own module; importing them here registers the models and
# lets other apps write `from pankki.models import Task`.
from .task_models import RequestAnswer, Task, TaskRequest  # noqa: E402, F401
