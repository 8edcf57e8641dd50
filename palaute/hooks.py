"""What feedback adds to the pages of earlier apps (see kotove.hooks)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import task_access


def task_links(*, user, task) -> list[tuple[str, str]]:
    """pankki's task page: the task's feedback and answer links, for whoever may see them."""
    if not task_access(user, task).any:
        return []
    return [
        (_("Feedback on this task and its answer links"), reverse("palaute:task", args=[task.pk]))
    ]
