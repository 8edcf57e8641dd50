from kotove.models import Role

from .permissions import can_manage_records, can_search


def bank(request):
    """What the header and the front page offer from the bank to the signed-in user."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "bank": {
            "search": can_search(user),
            "records": can_manage_records(user),
            "own": user.has_role(Role.Kind.EXPERT),
        }
    }
