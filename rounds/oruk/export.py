"""Our services as Open Referral UK: one nested service, a page of services, the schema.

Records that came from our own forms get made-up ids that stay the same from one export
to the next, so other directories can follow them.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import time
from pathlib import Path
from typing import Any

from microcomm.models import Organisation
from rounds.models import Service, ServiceLocation, ServiceSchedule
from rounds.oruk.clean import ORUK_DAYS

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
ID_NAMESPACE = uuid.UUID("3b0f6d8e-2c1e-4e53-9d57-6f1d1c2b7a10")
STATUS_TO_ORUK = {
    Service.Status.ACTIVE: "active",
    Service.Status.PAUSED: "temporarily closed",
    Service.Status.CLOSED: "defunct",
    Service.Status.PROPOSED: "inactive",
}


def _made_up_id(kind: str, key: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{key}"))


def service_oruk_id(service: Service) -> str:
    return service.oruk_id or _made_up_id("service", service.pk)


def _organisation(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": organisation.oruk_id or _made_up_id("organisation", organisation.pk),
        "name": organisation.name,
        "description": organisation.description,
    }
    if organisation.website:
        data["website"] = organisation.website
    return data


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def oruk_service_summary(service: Service) -> dict[str, Any]:
    """One service with its one-to-one fields, as an item of an ORUK `/services` page."""
    data: dict[str, Any] = {
        "id": service_oruk_id(service),
        "name": service.name,
        "description": service.description,
        "status": STATUS_TO_ORUK[service.status],
        "last_modified": service.updated_at.isoformat(),
    }
    if service.url:
        data["url"] = service.url
    if service.contact_email:
        data["email"] = service.contact_email
    fees = service.cost_description or service.get_cost_display()
    data["fees"] = fees
    if service.minimum_age is not None:
        data["minimum_age"] = service.minimum_age
    if service.maximum_age is not None:
        data["maximum_age"] = service.maximum_age
    if service.last_verified_on:
        data["assured_date"] = service.last_verified_on.isoformat()
    if service.provider_organisation_id:
        organisation = _organisation(service.provider_organisation)
        data["organization_id"] = organisation["id"]
        data["organization"] = organisation
    return data


def _schedules(service: Service) -> list[dict[str, Any]]:
    grouped: dict[tuple, list[ServiceSchedule]] = defaultdict(list)
    for schedule in service.schedules.all():
        key = (
            # Days that share times and frequency are one ORUK schedule with several days.
            schedule.oruk_id
            or _made_up_id(
                "schedule",
                f"{service.pk}:{schedule.opens_at}:{schedule.closes_at}:{schedule.frequency}",
            ),
            schedule.opens_at,
            schedule.closes_at,
            schedule.frequency,
        )
        grouped[key].append(schedule)
    result = []
    for (schedule_id, opens_at, closes_at, frequency), rows in grouped.items():
        item: dict[str, Any] = {
            "id": schedule_id,
            "freq": "MONTHLY" if frequency == ServiceSchedule.Frequency.MONTHLY else "WEEKLY",
            "interval": 2 if frequency == ServiceSchedule.Frequency.FORTNIGHTLY else 1,
            "byday": ",".join(ORUK_DAYS[row.weekday] for row in rows),
        }
        if opens_at:
            item["opens_at"] = _time(opens_at)
        if closes_at:
            item["closes_at"] = _time(closes_at)
        description = rows[0].description or service.frequency
        if description:
            item["description"] = description
        result.append(item)
    return result


def _location(service: Service, location: ServiceLocation | None) -> dict[str, Any]:
    if location is None:
        key = f"{service.pk}:venue"
        name, description, address, postcode = service.venue, "", service.address, service.postcode
        latitude = longitude = None
    else:
        key = location.pk
        name, description = location.name, location.description
        address, postcode = location.address, location.postcode
        latitude, longitude = location.latitude, location.longitude
    location_id = (location.oruk_id if location else "") or _made_up_id("location", key)
    data: dict[str, Any] = {"id": location_id, "location_type": "physical"}
    if name:
        data["name"] = name
    if description:
        data["description"] = description
    if latitude is not None and longitude is not None:
        data["latitude"] = float(latitude)
        data["longitude"] = float(longitude)
    if address or postcode:
        data["addresses"] = [
            {
                "id": _made_up_id("address", key),
                "address_1": address,
                "city": "",
                "state_province": "",
                "postal_code": postcode,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    if service.accessibility:
        data["accessibility"] = [
            {"id": _made_up_id("accessibility", key), "description": service.accessibility}
        ]
    return data


def oruk_service(service: Service) -> dict[str, Any]:
    """One service fully nested, per the ORUK service schema.

    It carries the service's public contact (its email and website) and never the name or
    number of a person. Expects locations, schedules and taxonomy terms prefetched.
    """
    data = oruk_service_summary(service)
    data["schedules"] = _schedules(service)
    locations: list[ServiceLocation | None] = list(service.locations.all())
    if not locations and (service.venue or service.address or service.postcode):
        locations = [None]
    data["service_at_locations"] = [
        {
            "id": _made_up_id("service_at_location", f"{service.pk}:{getattr(loc, 'pk', 'venue')}"),
            "location": _location(service, loc),
        }
        for loc in locations
    ]
    if service.cost_amount is not None or service.cost == Service.Cost.FREE:
        option: dict[str, Any] = {
            "id": _made_up_id("cost", service.pk),
            "amount": float(service.cost_amount or 0),
        }
        if service.cost_description:
            option["amount_description"] = service.cost_description
        data["cost_options"] = [option]
    data["attributes"] = [
        {
            "id": _made_up_id("attribute", f"{service.pk}:{term.pk}"),
            "link_type": "service",
            "taxonomy_term": {
                "id": term.oruk_id,
                "name": term.name,
                "description": term.description,
                **({"taxonomy": term.vocabulary} if term.vocabulary else {}),
                **({"term": term.code} if term.code else {}),
            },
        }
        for term in service.taxonomy_terms.all()
    ]
    return data


def oruk_page(
    *, contents: list[dict[str, Any]], total_items: int, page_number: int, per_page: int
) -> dict[str, Any]:
    """The ORUK page envelope around one page of results."""
    total_pages = max(1, -(-total_items // per_page)) if per_page else 1
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def oruk_schema(name: str = "service.json") -> dict[str, Any]:
    """The ORUK JSON Schema the product ships (see rounds/oruk/schema/PROVENANCE.md)."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
