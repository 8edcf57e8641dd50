"""Feedback: versioned forms, each task's answer links, and the answers.

A form version that has answers is never changed: the planner's edit in admin is saved as a
new version (services.save_form_version), so every answer stays readable against the questions
it answered. Questions keep a `key` across versions; answers are combined over time by it.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kotove.models import localized


class FormKind(models.TextChoices):
    LISTENER = "listener", _("Listener feedback")
    ORDERER = "orderer", _("Orderer feedback")
    SELF_EVALUATION = "self_evaluation", _("Expert's self-evaluation")
    COURSE = "course", _("Course feedback")
    PRACTICE_LECTURE = "practice_lecture", _("Practice lecture evaluation")


class FeedbackFormQuerySet(models.QuerySet):
    def current(self):
        return self.filter(replaced_at__isnull=True)

    def current_of(self, kind: str) -> FeedbackForm:
        return self.current().get(kind=kind)


class FeedbackForm(models.Model):
    """One version of a feedback form. There is one current version per kind."""

    kind = models.CharField(_("form"), max_length=20, choices=FormKind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    intro_fi = models.TextField(_("introduction in Finnish"), blank=True)
    intro_sv = models.TextField(_("introduction in Swedish"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True, editable=False)

    objects = FeedbackFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="form_version_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(replaced_at__isnull=True), name="form_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({_('version')} {self.version})"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def intro(self) -> str:
        return localized(self, "intro")

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1–5")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE}
    SCALE = range(1, 6)

    form = models.ForeignKey(
        FeedbackForm, models.CASCADE, related_name="questions", verbose_name=_("form")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("code"),
        max_length=50,
        blank=True,
        help_text=_(
            "Answers to questions with the same code are combined across versions of the form. "
            "Keep the code when you only improve the wording; give a new one when the question "
            "asks something else. Left empty, it is made from the Finnish text."
        ),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text_fi = models.CharField(_("question in Finnish"), max_length=300)
    text_sv = models.CharField(_("question in Swedish"), max_length=300)
    help_fi = models.CharField(_("help text in Finnish"), max_length=300, blank=True)
    help_sv = models.CharField(_("help text in Swedish"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    low_label_fi = models.CharField(_("label of 1 in Finnish"), max_length=100, blank=True)
    low_label_sv = models.CharField(_("label of 1 in Swedish"), max_length=100, blank=True)
    high_label_fi = models.CharField(_("label of 5 in Finnish"), max_length=100, blank=True)
    high_label_sv = models.CharField(_("label of 5 in Swedish"), max_length=100, blank=True)
    choices_fi = models.TextField(
        _("choices in Finnish"), blank=True, help_text=_("One choice per line.")
    )
    choices_sv = models.TextField(
        _("choices in Swedish"),
        blank=True,
        help_text=_("One choice per line, in the same order as in Finnish."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="question_key_unique_in_form"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def help(self) -> str:
        return localized(self, "help")

    @property
    def low_label(self) -> str:
        return localized(self, "low_label")

    @property
    def high_label(self) -> str:
        return localized(self, "high_label")

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self):
        if not self.key:
            self.key = slugify(self.text_fi)[:50].strip("-") or f"q{self.order}"
        errors = {}
        if self.kind == self.Kind.SCALE:
            for field in ("low_label_fi", "low_label_sv", "high_label_fi", "high_label_sv"):
                if not getattr(self, field).strip():
                    errors[field] = _("A scale needs the labels of both ends in both languages.")
        if self.kind in self.CHOICE_KINDS:
            finnish, swedish = self._lines(self.choices_fi), self._lines(self.choices_sv)
            if len(finnish) < 2:
                errors["choices_fi"] = _("Give at least two choices, one per line.")
            elif len(swedish) != len(finnish):
                errors["choices_sv"] = _(
                    "Give as many Swedish choices as Finnish ones (%(count)d), in the same order."
                ) % {"count": len(finnish)}
        if errors:
            raise ValidationError(errors)

    @property
    def choices(self) -> list[str]:
        """The choices in the reader's language; Finnish where a Swedish one is missing."""
        finnish = self._lines(self.choices_fi)
        swedish = self._lines(localized(self, "choices"))
        return [swedish[i] if i < len(swedish) else label for i, label in enumerate(finnish)]


def new_token() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


LINK_KINDS = [FormKind.LISTENER, FormKind.ORDERER, FormKind.SELF_EVALUATION]
TRAINING_KINDS = [FormKind.COURSE, FormKind.PRACTICE_LECTURE]


class FeedbackLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Links of the tasks whose feedback `user` may follow (see palaute.permissions)."""
        from .permissions import visible_tasks

        return self.filter(task__in=visible_tasks(user))


class FeedbackLink(models.Model):
    """An answer link for one form: a random token, no login. A task has one per form
    (listener, orderer, self-evaluation); a course participant one for the course feedback and
    one per named evaluator of their practice lecture."""

    task = models.ForeignKey(
        "pankki.Task",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_links",
        verbose_name=_("task"),
    )
    participant = models.ForeignKey(
        "koulutus.Application",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_links",
        verbose_name=_("course participant"),
    )
    kind = models.CharField(_("form"), max_length=20, choices=FormKind.choices)
    held_on = models.DateField(
        _("day of the course or lecture"),
        null=True,
        blank=True,
        help_text=_("The course's last session, or the day the practice lecture was given."),
    )
    evaluator_name = models.CharField(_("evaluator"), max_length=150, blank=True)
    accepted = models.BooleanField(_("practice lecture accepted"), null=True, blank=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    emailed_at = models.DateTimeField(_("link emailed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder emailed"), null=True, blank=True)

    objects = FeedbackLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="feedback_link_per_task_kind"),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(kind="course"),
                name="feedback_link_course_once",
            ),
            models.CheckConstraint(
                name="feedback_link_of_task_or_participant",
                condition=Q(
                    task__isnull=False,
                    participant__isnull=True,
                    kind__in=[k.value for k in LINK_KINDS],
                )
                | Q(
                    task__isnull=True,
                    participant__isnull=False,
                    held_on__isnull=False,
                    kind__in=[k.value for k in TRAINING_KINDS],
                ),
            ),
            models.CheckConstraint(
                name="feedback_link_evaluator_named",
                condition=~Q(kind="practice_lecture") | ~Q(evaluator_name=""),
            ),
        ]

    def __str__(self):
        about = self.task if self.task_id else self.participant
        if self.evaluator_name:
            return f"{self.get_kind_display()}: {about} ({self.evaluator_name})"
        return f"{self.get_kind_display()}: {about}"

    @property
    def day(self) -> date:
        """The day the answers are about: the task's, the course's last or the lecture's."""
        return self.task.date if self.task_id else self.held_on

    @property
    def opens_on(self) -> date:
        """Links open on their day: nobody gives feedback on a task that has not been held."""
        return self.day

    @property
    def closes_on(self) -> date:
        """Links close FEEDBACK_LINK_DAYS after their day, on the last valid date at the latest
        (a task may be dated 31.12.9999)."""
        return self.day + min(timedelta(days=settings.FEEDBACK_LINK_DAYS), date.max - self.day)

    @property
    def not_yet_open(self) -> bool:
        return timezone.localdate() < self.opens_on

    @property
    def is_open(self) -> bool:
        return not self.not_yet_open and not self.is_closed

    @property
    def is_closed(self) -> bool:
        """Closed for good. A link whose day is still ahead is not closed, only not open yet:
        the expert may show its QR code before the task."""
        if timezone.localdate() > self.closes_on:
            return True
        if self.task_id:
            return self.task.status == self.task.Status.CANCELLED
        # A participant whose place was cancelled answers nothing; an evaluation closes when
        # the completion is confirmed (koulutus refuses to change it then).
        application = self.participant
        return application.status != application.Status.CONFIRMED or bool(
            self.kind == FormKind.PRACTICE_LECTURE and application.completed_on
        )

    @property
    def single_answer(self) -> bool:
        """Everyone but a listener answers once; listeners once per browser."""
        return self.kind != FormKind.LISTENER


class Response(models.Model):
    """One filled-in form. It holds no name, IP address, user agent or account, and only the
    date, so that a listener's answer cannot be traced back to them."""

    link = models.ForeignKey(
        FeedbackLink, models.PROTECT, related_name="responses", verbose_name=_("link")
    )
    form = models.ForeignKey(
        FeedbackForm, models.PROTECT, related_name="responses", verbose_name=_("form version")
    )
    submitted_on = models.DateField(_("answered on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        ordering = ["-submitted_on", "-pk"]

    def __str__(self):
        return f"{self.link} {self.submitted_on:%Y-%m-%d}"


class Answer(models.Model):
    """The answer to one question: `number` for a scale, `choices` (indexes into the
    question's choices) for single and multiple choice, `text` for free text."""

    response = models.ForeignKey(
        Response, models.CASCADE, related_name="answers", verbose_name=_("answer")
    )
    question = models.ForeignKey(
        Question, models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    number = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    choices = ArrayField(
        models.PositiveSmallIntegerField(), default=list, blank=True, verbose_name=_("choices")
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                name="answer_scale_1_to_5",
                condition=Q(number__isnull=True) | Q(number__gte=1, number__lte=5),
            ),
        ]

    def __str__(self):
        return str(self.question)

    @property
    def display(self) -> str:
        if self.number is not None:
            return str(self.number)
        if self.choices:
            labels = self.question.choices
            return ", ".join(labels[i] for i in self.choices if i < len(labels))
        return self.text


# Annual reports live in their own module; importing them here registers the model and lets
# other modules write `from palaute.models import Report`.
from .report_models import Report  # noqa: E402, F401
