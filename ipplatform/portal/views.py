"""Public portal pages: no login needed; every listing goes through the owning app's public service."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ipplatform.core import regions
from ipplatform.core.inputs import InputError
from ipplatform.publicity import services as publicity
from ipplatform.publicity.enums import Category
from ipplatform.publicity.models import Event
from ipplatform.training.models import Course

from . import services


def index(request):
    from ipplatform.market.services import public_listings
    from ipplatform.navigation.models import ThematicDatabase

    return render(
        request,
        "portal/index.html",
        {
            "notices": publicity.public_articles(category=Category.NOTICE)[:8],
            "news": publicity.public_articles(category=Category.NEWS)[:8],
            "policy": publicity.public_articles(category=Category.POLICY)[:5],
            "events": Event.objects.filter(published=True).order_by("-starts_at")[:4],
            "courses": Course.objects.filter(published=True).order_by("-created_at")[:6],
            "listings": public_listings().order_by("-created_at")[:6],
            "topics": ThematicDatabase.objects.filter(is_shared=True).order_by("name")[:12],
            "cities": services.cities(),
            "figures": services.open_figures(city_code=None),
        },
    )


def city(request, code: str):
    try:
        code = services.validate_city(code)
    except InputError as e:
        raise Http404(e.message)
    from ipplatform.market.services import public_listings

    name = regions.name_of(code)
    return render(
        request,
        "portal/city.html",
        {
            "code": code,
            "name": name,
            "cities": services.cities(),
            "news": publicity.public_articles(city=code)[:10],
            "events": Event.objects.filter(published=True, city_code__startswith=code[:4]).order_by("-starts_at")[:5],
            "listings": public_listings().filter(city_code__startswith=code[:4]).order_by("-created_at")[:6],
            "figures": services.open_figures(city_code=code),
            "contacts": services.city_contacts(code),
        },
    )


def topic(request, pk: int):
    from ipplatform.market.services import public_listings
    from ipplatform.navigation.enums import ReportStatus
    from ipplatform.navigation.models import ThematicDatabase

    db = get_object_or_404(ThematicDatabase, pk=pk, is_shared=True)
    return render(
        request,
        "portal/topic.html",
        {
            "db": db,
            "reports": db.reports.filter(status=ReportStatus.READY).order_by("-generated_at")[:10],
            "analysis": services.topic_analysis(db),
            "listings": public_listings().filter(patent__navigation_memberships__db=db).order_by("-created_at")[:10],
            "courses": db.courses.filter(published=True),
            "topics": ThematicDatabase.objects.filter(is_shared=True).order_by("name"),
        },
    )
