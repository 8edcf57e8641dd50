from django.conf import settings

from . import navigation


def site(request):
    return {"site_url": settings.SITE_URL}


def navigation_links(request):
    """The header links every installed app offers the signed-in user."""
    return {"nav_links": navigation.menu(request.user)}
