from django.conf import settings
from django.http import HttpRequest

from microcomm.navigation import nav_items_for


def scheme(request: HttpRequest) -> dict[str, object]:
    return {
        "scheme_name": settings.SCHEME_NAME,
        "nav_items": nav_items_for(request),
    }
