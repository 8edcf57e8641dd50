"""Every write of the regional steering groups, one module per part of the app. Each function
lists its side effects in its docstring."""

from django.conf import settings
from django.urls import reverse


def absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)
