"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import CITIES, ENTERPRISES, EVERYONE, PROVINCIAL, SIGNED_IN, STAFF, Obj, Rule, user


def _document():
    from django.core.files.base import ContentFile

    from ipplatform.market.models import Listing, ListingDocument

    doc = ListingDocument(listing=Listing.objects.order_by("pk").first(), name="资料.txt")
    doc.file.save("matrix.txt", ContentFile(b"data room"), save=True)
    return doc


def _access():
    from ipplatform.market.models import DataRoomAccess, Listing

    return DataRoomAccess.objects.create(
        listing=Listing.objects.order_by("pk").first(),
        organization=user("haier").organization,
        requested_by=user("haier"),
    )


def _licence():
    import datetime as dt

    from ipplatform.market.models import OpenLicence, OpenLicenceDeclaration

    day = dt.date(2026, 1, 5)
    return OpenLicence.objects.create(
        declaration=OpenLicenceDeclaration.objects.order_by("pk").first(),
        licensee=user("haier").organization,
        notice_date=day,
        notice_text="书面通知",
        start_date=day,
        end_date=day.replace(year=2027),
        payment_amount=1,
        payment_date=day,
        payment_reference="MATRIX-1",
    )


RULES = [
    Rule("market:showcase", allow=EVERYONE),
    Rule("market:mine", allow=SIGNED_IN),
    Rule("market:listing_create", allow=ENTERPRISES | {"sdu"}),
    Rule("market:patent_check", allow=SIGNED_IN),
    Rule("market:listing_detail", allow=EVERYONE, obj=Obj("market.Listing")),
    Rule("market:listing_edit", allow=PROVINCIAL | {"sdu"}, obj=Obj("market.Listing")),
    Rule("market:listing_action", allow=PROVINCIAL | {"sdu"}, obj=Obj("market.Listing"), method="POST"),
    Rule("market:document_upload", allow=PROVINCIAL | {"sdu"}, obj=Obj("market.Listing"), method="POST"),
    Rule(
        "market:access_request", allow=STAFF | ENTERPRISES | {"bank", "sdu"}, obj=Obj("market.Listing"), method="POST"
    ),
    Rule("market:deal_start", allow=STAFF | ENTERPRISES | {"bank", "sdu"}, obj=Obj("market.Listing"), method="POST"),
    Rule("market:document_download", allow=PROVINCIAL | {"sdu"}, obj=Obj("market.ListingDocument", make=_document)),
    Rule(
        "market:access_decide",
        allow=PROVINCIAL | {"sdu"},
        obj=Obj("market.DataRoomAccess", make=_access),
        method="POST",
    ),
    Rule("market:demand_list", allow=SIGNED_IN),
    Rule("market:demand_create", allow=ENTERPRISES | {"sdu"}),
    Rule("market:demand_detail", allow=SIGNED_IN, obj=Obj("market.Demand")),
    Rule("market:demand_close", allow=PROVINCIAL | {"qilu_ent"}, obj=Obj("market.Demand"), method="POST"),
    Rule("market:open_list", allow=EVERYONE),
    Rule("market:open_declare", allow=ENTERPRISES | {"sdu"}),
    Rule("market:open_detail", allow=EVERYONE, obj=Obj("market.OpenLicenceDeclaration")),
    Rule(
        "market:open_accept",
        allow=STAFF | ENTERPRISES | {"bank", "sdu"},
        obj=Obj("market.OpenLicenceDeclaration"),
        method="POST",
    ),
    Rule("market:open_withdraw", allow=PROVINCIAL | {"sdu"}, obj=Obj("market.OpenLicenceDeclaration"), method="POST"),
    Rule(
        "market:open_notice", allow=PROVINCIAL | CITIES | {"haier", "sdu"}, obj=Obj("market.OpenLicence", make=_licence)
    ),
    Rule("market:deal_list", allow=SIGNED_IN),
    Rule("market:deal_detail", allow=PROVINCIAL | {"city370100", "qilu_ent", "sdu"}, obj=Obj("market.Deal")),
    Rule("market:deal_action", allow=PROVINCIAL | {"qilu_ent", "sdu"}, obj=Obj("market.Deal"), method="POST"),
    Rule("market:event_list", allow=EVERYONE),
    Rule("market:event_create", allow=STAFF),
    Rule("market:event_detail", allow=EVERYONE, obj=Obj("market.MarketEvent")),
    Rule("market:event_register", allow=SIGNED_IN, obj=Obj("market.MarketEvent"), method="POST"),
    Rule("market:stats", allow=SIGNED_IN),
    Rule("market:api_listings", allow=EVERYONE),
    Rule("market:api_listing_matches", allow=STAFF | {"sdu"}, obj=Obj("market.Listing")),
    Rule(
        "market:api_listing_check",
        allow=SIGNED_IN,
        obj=Obj("patents.Patent"),
        kwargs={},
        query=lambda o: f"patent={o.pk}&deal_type=ordinary",
    ),
    Rule("market:api_demands", allow=SIGNED_IN),
    Rule("market:api_demand_matches", allow=SIGNED_IN, obj=Obj("market.Demand")),
    Rule("market:api_open_licences", allow=EVERYONE),
    Rule(
        "market:api_open_accept",
        allow=STAFF | ENTERPRISES | {"bank", "sdu"},
        obj=Obj("market.OpenLicenceDeclaration"),
        method="POST",
    ),
    Rule("market:api_deals", allow=SIGNED_IN),
    Rule("market:api_deal_transition", allow=PROVINCIAL | {"qilu_ent", "sdu"}, obj=Obj("market.Deal"), method="POST"),
    Rule("market:api_stats", allow=SIGNED_IN),
    Rule(
        "market:open_announcement",
        allow=PROVINCIAL | {"sdu"},
        obj=Obj("market.OpenLicenceDeclaration"),
        method="POST",
        why="the holder (sdu in the demo) or provincial staff record CNIPA's announcement",
    ),
    Rule(
        "market:open_recordal",
        allow=PROVINCIAL | {"haier", "sdu"},
        obj=Obj("market.OpenLicence", make=_licence),
        method="POST",
        why="either party to the licence or provincial staff record the recordal",
    ),
]
