"""Open Referral UK in and out: import a directory (JSON or CSV), export our services.

Import is all or nothing: every record is checked first and any problem, listed row by row
in an `ImportReport`, raises `OrukImportError` before anything is written. Records keep
their ORUK ids, so importing the same file again updates what the first import made.

The upload page never imports in the web request: `directory_import_queue` keeps the file
as a `DirectoryImport` and queues the `rounds.tasks.import_directory` task, which calls
`directory_import_run`. The management command calls `oruk_import_path` directly.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import uuid
import zipfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from microcomm.audit import audit_record
from microcomm.models import LegalForm, Organisation, Theme, User
from rounds.models import (
    DirectoryImport,
    Service,
    ServiceLocation,
    ServiceSchedule,
    TaxonomyTerm,
)

logger = logging.getLogger(__name__)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "oruk_schema"
# Ids we make up for records that came from our own forms: stable, so other directories
# can follow them from one export to the next.
ID_NAMESPACE = uuid.UUID("3b0f6d8e-2c1e-4e53-9d57-6f1d1c2b7a10")
LOW_COST_LIMIT = Decimal("5.00")

ORUK_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STATUS_FROM_ORUK = {
    "active": Service.Status.ACTIVE,
    "temporarily closed": Service.Status.PAUSED,
    "inactive": Service.Status.CLOSED,
    "defunct": Service.Status.CLOSED,
}
STATUS_TO_ORUK = {
    Service.Status.ACTIVE: "active",
    Service.Status.PAUSED: "temporarily closed",
    Service.Status.CLOSED: "defunct",
    Service.Status.PROPOSED: "inactive",
}


@dataclass
class RowError:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportReport:
    """What an import did, or what was wrong with the file (then nothing was saved)."""

    source: str = ""
    services_created: int = 0
    services_updated: int = 0
    organisations_created: int = 0
    organisations_updated: int = 0
    locations: int = 0
    schedules: int = 0
    taxonomy_terms: int = 0
    taxonomy_terms_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, where: str, message: str) -> None:
        self.errors.append(RowError(where, message))

    def summary(self) -> str:
        return (
            f"Imported: {self.services_created} services created, "
            f"{self.services_updated} updated, {self.organisations_created} organisations "
            f"created, {self.organisations_updated} organisations updated, "
            f"{self.locations} locations, {self.schedules} schedules, "
            f"{self.taxonomy_terms} taxonomy terms"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def counts(self) -> dict[str, dict[str, int]]:
        """Created and updated per kind. Places and times are replaced, so always created."""
        return {
            "services": {"created": self.services_created, "updated": self.services_updated},
            "organisations": {
                "created": self.organisations_created,
                "updated": self.organisations_updated,
            },
            "locations": {"created": self.locations, "updated": 0},
            "schedules": {"created": self.schedules, "updated": 0},
            "taxonomy_terms": {
                "created": self.taxonomy_terms_created,
                "updated": self.taxonomy_terms - self.taxonomy_terms_created,
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        errors = [RowError(**error) for error in data.get("errors", [])]
        return cls(**{**data, "errors": errors})


class OrukImportError(Exception):
    """The file had problems; `report.errors` lists them and nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.errors)} problem(s) in {report.source or 'the file'}")
        self.report = report


# Reading files into ORUK service dicts ---------------------------------------------------

Record = tuple[str, dict[str, Any]]


def _records_from_json(data: Any, report: ImportReport) -> list[Record]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, dict) and "id" in data:
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        report.error(
            "File", "This is not an Open Referral UK service or page of services (no contents)"
        )
        return []
    records = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            report.error(f"Service {number}", "Each service must be a JSON object")
            continue
        label = item.get("name") or item.get("id") or "no name"
        records.append((f"Service {number} ({label})", item))
    return records


def _read_csv_tables(files: dict[str, str]) -> dict[str, list[tuple[int, dict[str, str]]]]:
    tables = {}
    for name, text in files.items():
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        # Row 1 is the header, so the first record is row 2, as a spreadsheet shows it.
        tables[name] = [
            (number, {key: (value or "").strip() for key, value in row.items() if key})
            for number, row in enumerate(reader, start=2)
        ]
    return tables


def _records_from_csv(files: dict[str, str], report: ImportReport) -> list[Record]:
    """Nest the tabular form (services.csv, organizations.csv, ...) into service dicts."""
    if "services.csv" not in files:
        report.error("File", "The CSV files must include services.csv")
        return []
    tables = _read_csv_tables(files)

    def table(*names: str) -> list[tuple[int, dict[str, str]]]:
        for name in names:
            if name in tables:
                return [
                    (number, {**row, "_where": f"{name} row {number}"})
                    for number, row in tables[name]
                ]
        return []

    def by(rows: list[tuple[int, dict[str, str]]], key: str) -> dict[str, list[dict[str, str]]]:
        grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
        for _number, row in rows:
            grouped[row.get(key, "")].append(row)
        return grouped

    organisations = {row["id"]: row for _n, row in table("organizations.csv") if row.get("id")}
    locations = {row["id"]: row for _n, row in table("locations.csv") if row.get("id")}
    addresses = by(table("addresses.csv", "address.csv"), "location_id")
    accessibility = by(table("accessibility.csv"), "location_id")
    links = by(table("service_at_location.csv"), "service_id")
    schedules = by(table("schedules.csv", "schedule.csv"), "service_id")
    costs = by(table("cost_options.csv"), "service_id")
    contacts = by(table("contacts.csv"), "service_id")
    terms = {row["id"]: row for _n, row in table("taxonomy_terms.csv") if row.get("id")}
    attributes = by(table("attribute.csv", "attributes.csv"), "link_id")

    records = []
    for number, row in table("services.csv"):
        where = f"services.csv row {number}"
        item: dict[str, Any] = {k: v for k, v in row.items() if v != "" and k != "_where"}
        org_id = row.get("organization_id", "")
        if org_id:
            if org_id in organisations:
                item["organization"] = organisations[org_id]
            else:
                report.error(where, f"organisation {org_id} is not in organizations.csv")
        service_locations = []
        for link in links.get(row.get("id", ""), []):
            location = locations.get(link.get("location_id", ""))
            if location is None:
                report.error(
                    link["_where"], f"location {link.get('location_id')} is not in locations.csv"
                )
                continue
            service_locations.append(
                {
                    "id": link.get("id", ""),
                    "location": {
                        **location,
                        "addresses": addresses.get(location["id"], []),
                        "accessibility": accessibility.get(location["id"], []),
                    },
                }
            )
        item["service_at_locations"] = service_locations
        item["schedules"] = schedules.get(row.get("id", ""), [])
        item["cost_options"] = costs.get(row.get("id", ""), [])
        item["contacts"] = contacts.get(row.get("id", ""), [])
        service_attributes = []
        for attribute in attributes.get(row.get("id", ""), []):
            term = terms.get(attribute.get("taxonomy_term_id", ""))
            if term is None:
                report.error(
                    attribute["_where"],
                    f"taxonomy term {attribute.get('taxonomy_term_id')} "
                    "is not in taxonomy_terms.csv",
                )
                continue
            service_attributes.append({**attribute, "taxonomy_term": term})
        item["attributes"] = service_attributes
        records.append((where, item))
    return records


def _records_from_bytes(name: str, content: bytes, report: ImportReport) -> list[Record]:
    lower = name.lower()
    if lower.endswith(".json"):
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            report.error("File", f"The file is not valid JSON ({error})")
            return []
        return _records_from_json(data, report)
    if lower.endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                files = {
                    Path(info.filename).name: archive.read(info).decode("utf-8-sig")
                    for info in archive.infolist()
                    if info.filename.lower().endswith(".csv") and info.file_size < 10_000_000
                }
        except (zipfile.BadZipFile, UnicodeDecodeError) as error:
            report.error("File", f"The ZIP file cannot be read ({error})")
            return []
        return _records_from_csv(files, report)
    if lower.endswith(".csv"):
        try:
            return _records_from_csv({Path(name).name: content.decode("utf-8-sig")}, report)
        except UnicodeDecodeError:
            report.error("File", "The CSV file must be saved as UTF-8")
            return []
    report.error("File", "The file must be a JSON file, or a ZIP of Open Referral UK CSV files")
    return []


# Checking and cleaning ---------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class _Cleaner:
    """Turns one ORUK service dict into our field values, noting every problem."""

    def __init__(self, report: ImportReport, where: str) -> None:
        self.report = report
        self.where = where

    def problem(self, message: str, where: str | None = None) -> None:
        self.report.error(where or self.where, message)

    def short(self, value: Any, limit: int, label: str, where: str | None = None) -> str:
        text = _text(value)
        if len(text) > limit:
            self.problem(f"{label} must be {limit} characters or fewer", where)
        return text[:limit]

    def number(self, value: Any, label: str, where: str | None = None) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(f"{label} must be a number, not {value!r}", where)
            return None
        if not number.is_finite():
            self.problem(f"{label} must be a number, not {value!r}", where)
            return None
        return number

    def age(self, value: Any, label: str) -> int | None:
        number = self.number(value, label)
        if number is None:
            return None
        if number != number.to_integral_value() or not 0 <= number <= 150:
            self.problem(f"{label} must be a whole number of years between 0 and 150")
            return None
        return int(number)

    def date(self, value: Any, label: str) -> date | None:
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(_text(value)[:10])
        except ValueError:
            self.problem(f"{label} must be a date like 2024-03-15, not {value!r}")
            return None

    def time(self, value: Any, label: str, where: str) -> time | None:
        if value in (None, ""):
            return None
        try:
            return time.fromisoformat(_text(value))
        except ValueError:
            self.problem(f"{label} must be a time like 10:00:00, not {value!r}", where)
            return None

    def url(self, value: Any, label: str, where: str | None = None) -> str:
        text = _text(value)
        if not text:
            return ""
        try:
            URLValidator()(text)
        except ValidationError:
            self.problem(f"{label} must be a web address starting http:// or https://", where)
            return ""
        return self.short(text, 200, label, where)

    def email(self, value: Any, label: str) -> str:
        text = _text(value)
        if not text:
            return ""
        try:
            validate_email(text)
        except ValidationError:
            self.problem(f"{label} must be an email address like name@example.com")
            return ""
        return text

    def oruk_id(self, value: Any, label: str, where: str | None = None) -> str:
        text = _text(value)
        if not text:
            self.problem(f"{label} needs an id", where)
        return self.short(text, 64, f"{label} id", where)


def _clean_organisation(cleaner: _Cleaner, data: Any) -> dict[str, Any] | None:
    if not data:
        return None
    if not isinstance(data, dict):
        cleaner.problem("organization must be an object")
        return None
    where = data.get("_where") or cleaner.where
    name = cleaner.short(data.get("name"), 200, "Organisation name", where)
    if not name:
        cleaner.problem("The organisation needs a name", where)
    return {
        "oruk_id": cleaner.oruk_id(data.get("id"), "The organisation", where),
        "name": name,
        "description": _text(data.get("description")),
        "website": cleaner.url(
            data.get("website") or data.get("uri"), "Organisation website", where
        ),
    }


def _clean_locations(cleaner: _Cleaner, links: Any) -> list[dict[str, Any]]:
    locations = []
    for number, link in enumerate(links or [], start=1):
        location = (link or {}).get("location") if isinstance(link, dict) else None
        if not isinstance(location, dict):
            continue
        where = location.get("_where") or f"{cleaner.where}, location {number}"
        address = (location.get("addresses") or [{}])[0] or {}
        address_where = address.get("_where") or where
        lines = [
            _text(address.get(key))
            for key in ("address_1", "address_2", "city")
            if address.get(key)
        ]
        postcode = _text(address.get("postal_code")).upper()
        if len(postcode) > 10:
            cleaner.problem("The postcode must be 10 characters or fewer", address_where)
        access = [
            _text(item.get("description") or item.get("accessibility"))
            for item in location.get("accessibility") or []
            if isinstance(item, dict)
        ]
        locations.append(
            {
                "oruk_id": cleaner.short(location.get("id"), 64, "Location id", where),
                "name": cleaner.short(location.get("name"), 200, "Location name", where),
                "description": _text(location.get("description")),
                "address": cleaner.short(", ".join(lines), 300, "Address", address_where),
                "postcode": postcode[:10],
                "latitude": _coordinate(cleaner, location.get("latitude"), "Latitude", where),
                "longitude": _coordinate(cleaner, location.get("longitude"), "Longitude", where),
                "accessibility": "\n".join(text for text in access if text),
            }
        )
    return locations


def _coordinate(cleaner: _Cleaner, value: Any, label: str, where: str) -> Decimal | None:
    number = cleaner.number(value, label, where)
    if number is not None and abs(number) >= 1000:
        cleaner.problem(f"{label} must be between -999 and 999", where)
        return None
    return number.quantize(Decimal("0.000001")) if number is not None else None


def _clean_schedules(cleaner: _Cleaner, schedules: Any) -> tuple[list[dict[str, Any]], str]:
    rows = []
    words = []
    for number, schedule in enumerate(schedules or [], start=1):
        if not isinstance(schedule, dict):
            continue
        where = schedule.get("_where") or f"{cleaner.where}, schedule {number}"
        description = _text(schedule.get("description"))
        if description:
            words.append(description)
        freq = _text(schedule.get("freq")).upper()
        interval = cleaner.number(schedule.get("interval"), "interval", where) or Decimal(1)
        if freq not in ("", "WEEKLY", "MONTHLY"):
            cleaner.problem(f"freq must be WEEKLY or MONTHLY, not {freq!r}", where)
        if freq == "MONTHLY":
            frequency = ServiceSchedule.Frequency.MONTHLY
        elif interval == 2:
            frequency = ServiceSchedule.Frequency.FORTNIGHTLY
        else:
            frequency = ServiceSchedule.Frequency.WEEKLY
        opens_at = cleaner.time(schedule.get("opens_at"), "opens_at", where)
        closes_at = cleaner.time(schedule.get("closes_at"), "closes_at", where)
        days = [
            day.strip().upper()[-2:]
            for day in _text(schedule.get("byday")).split(",")
            if day.strip()
        ]
        for day in days:
            if day not in ORUK_DAYS:
                cleaner.problem(f"byday must list days like MO,TU; {day!r} is not a day", where)
                continue
            rows.append(
                {
                    "oruk_id": cleaner.short(schedule.get("id"), 64, "Schedule id", where),
                    "weekday": ORUK_DAYS.index(day),
                    "opens_at": opens_at,
                    "closes_at": closes_at,
                    "frequency": frequency,
                    "description": description[:300],
                }
            )
    return rows, "; ".join(words)[:200]


def _clean_cost(cleaner: _Cleaner, item: dict[str, Any]) -> dict[str, Any]:
    fees = _text(item.get("fees"))
    amounts = []
    description = ""
    for number, option in enumerate(item.get("cost_options") or [], start=1):
        if not isinstance(option, dict):
            continue
        where = option.get("_where") or f"{cleaner.where}, cost option {number}"
        amount = cleaner.number(option.get("amount"), "amount", where)
        if amount is not None:
            if amount < 0 or amount >= Decimal("1000000"):
                cleaner.problem("amount must be between 0 and 999999.99", where)
                continue
            amounts.append(amount.quantize(Decimal("0.01")))
            description = description or " ".join(
                _text(option.get(key))
                for key in ("option", "amount_description")
                if option.get(key)
            )
    if amounts:
        amount = min(amounts)
        cost = (
            Service.Cost.FREE
            if amount == 0
            else Service.Cost.LOW
            if amount <= LOW_COST_LIMIT
            else Service.Cost.PAID
        )
        return {
            "cost": cost,
            "cost_amount": None if amount == 0 else amount,
            "cost_description": (description or fees)[:200],
        }
    if fees and fees.lower() not in ("free", "none", "no charge"):
        return {"cost": Service.Cost.PAID, "cost_amount": None, "cost_description": fees[:200]}
    return {"cost": Service.Cost.FREE, "cost_amount": None, "cost_description": fees[:200]}


def _clean_terms(cleaner: _Cleaner, attributes: Any) -> list[dict[str, Any]]:
    terms = []
    for number, attribute in enumerate(attributes or [], start=1):
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict):
            continue
        where = term.get("_where") or f"{cleaner.where}, taxonomy term {number}"
        name = cleaner.short(term.get("name"), 200, "Taxonomy term name", where)
        if not name:
            cleaner.problem("The taxonomy term needs a name", where)
        terms.append(
            {
                "oruk_id": cleaner.oruk_id(term.get("id"), "The taxonomy term", where),
                "name": name,
                "code": cleaner.short(term.get("term") or term.get("code"), 200, "term", where),
                "vocabulary": cleaner.short(term.get("taxonomy"), 200, "taxonomy", where),
                "description": _text(term.get("description")),
            }
        )
    return terms


def _clean_service(report: ImportReport, where: str, item: dict[str, Any]) -> dict[str, Any]:
    cleaner = _Cleaner(report, where)
    name = cleaner.short(item.get("name"), 200, "name", where)
    if not name:
        cleaner.problem("The service needs a name")
    raw_status = _text(item.get("status")).lower()
    if raw_status not in STATUS_FROM_ORUK:
        cleaner.problem(
            "status must be one of active, inactive, defunct or temporarily closed, "
            f"not {item.get('status')!r}"
        )
    minimum_age = cleaner.age(item.get("minimum_age"), "minimum_age")
    maximum_age = cleaner.age(item.get("maximum_age"), "maximum_age")
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        cleaner.problem("minimum_age must not be more than maximum_age")
    schedules, schedule_words = _clean_schedules(cleaner, item.get("schedules"))
    locations = _clean_locations(cleaner, item.get("service_at_locations"))
    contacts = [c for c in item.get("contacts") or [] if isinstance(c, dict)]
    return {
        "oruk_id": cleaner.oruk_id(item.get("id"), "The service"),
        "name": name,
        "description": _text(item.get("description")),
        "url": cleaner.url(item.get("url"), "url"),
        "contact_email": cleaner.email(item.get("email"), "email"),
        "contact_name": cleaner.short(contacts[0].get("name"), 150, "Contact name")
        if contacts
        else "",
        "status": STATUS_FROM_ORUK.get(raw_status, Service.Status.ACTIVE),
        "minimum_age": minimum_age,
        "maximum_age": maximum_age,
        "last_verified_on": cleaner.date(item.get("assured_date"), "assured_date"),
        "organisation": _clean_organisation(cleaner, item.get("organization")),
        "locations": locations,
        "schedules": schedules,
        "frequency": schedule_words,
        "terms": _clean_terms(cleaner, item.get("attributes")),
        **_clean_cost(cleaner, item),
    }


# Writing -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, report: ImportReport, actor: User | None) -> None:
        self.report = report
        self.actor = actor
        self.organisations: dict[str, Organisation] = {}
        self.terms: dict[str, TaxonomyTerm] = {}

    def organisation(self, where: str, data: dict[str, Any] | None) -> Organisation | None:
        if data is None:
            return None
        if data["oruk_id"] in self.organisations:
            return self.organisations[data["oruk_id"]]
        organisation = Organisation.objects.filter(oruk_id=data["oruk_id"]).first()
        if organisation is None:
            organisation = Organisation.objects.filter(
                name__iexact=data["name"], oruk_id__isnull=True
            ).first()
        clash = Organisation.objects.filter(name__iexact=data["name"]).exclude(
            pk=getattr(organisation, "pk", None)
        )
        if clash.exists():
            self.report.error(
                where,
                f"An organisation called {data['name']} already exists with a different "
                "Open Referral id",
            )
            return None
        created = organisation is None
        if created:
            organisation = Organisation(legal_form=LegalForm.OTHER)
        organisation.oruk_id = data["oruk_id"]
        organisation.name = data["name"]
        organisation.description = data["description"] or organisation.description
        organisation.website = data["website"] or organisation.website
        organisation.save()
        if created:
            self.report.organisations_created += 1
        else:
            self.report.organisations_updated += 1
        self.organisations[data["oruk_id"]] = organisation
        return organisation

    def term(self, data: dict[str, Any]) -> TaxonomyTerm:
        if data["oruk_id"] in self.terms:
            return self.terms[data["oruk_id"]]
        term, created = TaxonomyTerm.objects.update_or_create(
            oruk_id=data["oruk_id"],
            defaults={key: data[key] for key in ("name", "code", "vocabulary", "description")},
        )
        if term.theme_id is None:
            theme = Theme.objects.filter(name__iexact=term.name).first() or (
                Theme.objects.filter(slug=slugify(term.name)).first()
            )
            if theme is not None:
                term.theme = theme
                term.save(update_fields=["theme"])
        self.report.taxonomy_terms += 1
        if created:
            self.report.taxonomy_terms_created += 1
        self.terms[data["oruk_id"]] = term
        return term

    def service(self, where: str, data: dict[str, Any]) -> None:
        organisation = self.organisation(where, data["organisation"])
        service = Service.objects.filter(oruk_id=data["oruk_id"]).first()
        created = service is None
        if created:
            service = Service(oruk_id=data["oruk_id"])
        from_state = "" if created else service.status
        for key in (
            "name",
            "description",
            "url",
            "contact_email",
            "contact_name",
            "status",
            "minimum_age",
            "maximum_age",
            "cost",
            "cost_amount",
            "cost_description",
        ):
            setattr(service, key, data[key])
        if data["frequency"]:
            service.frequency = data["frequency"]
        if data["last_verified_on"] is not None:
            service.last_verified_on = data["last_verified_on"]
        if organisation is not None:
            service.provider_organisation = organisation
            service.provider_name = ""
        elif not service.provider_organisation_id and not service.provider_name:
            service.provider_name = "Not given in the Open Referral record"
        first = data["locations"][0] if data["locations"] else None
        if first is not None:
            service.venue = first["name"]
            service.address = first["address"]
            service.postcode = first["postcode"]
            accessibility = "\n".join(
                loc["accessibility"] for loc in data["locations"] if loc["accessibility"]
            )
            service.accessibility = accessibility or service.accessibility
        service.save()

        service.locations.all().delete()
        ServiceLocation.objects.bulk_create(
            ServiceLocation(
                service=service,
                **{key: value for key, value in location.items() if key != "accessibility"},
            )
            for location in data["locations"]
        )
        self.report.locations += len(data["locations"])
        if data["schedules"]:
            service.schedules.all().delete()
            ServiceSchedule.objects.bulk_create(
                ServiceSchedule(service=service, **schedule) for schedule in data["schedules"]
            )
            self.report.schedules += len(data["schedules"])
        terms = [self.term(term) for term in data["terms"]]
        service.taxonomy_terms.add(*terms)
        themes = [term.theme_id for term in terms if term.theme_id]
        if themes:
            service.themes.add(*themes)
        if created:
            self.report.services_created += 1
        else:
            self.report.services_updated += 1
        audit_record(
            actor=self.actor,
            verb="service.oruk_import",
            target=service,
            from_state=from_state,
            to_state=service.status,
            detail={"source": self.report.source, "created": created},
        )


def oruk_import(
    *, records: list[Record], actor: User | None, report: ImportReport | None = None
) -> ImportReport:
    """Check every record, then write them all in one transaction, or nothing at all."""
    report = report or ImportReport()
    cleaned = []
    seen: dict[str, str] = {}
    for where, item in records:
        data = _clean_service(report, where, item)
        if data["oruk_id"] in seen:
            report.error(
                where, f"The service id {data['oruk_id']} is also in {seen[data['oruk_id']]}"
            )
        seen[data["oruk_id"]] = where
        cleaned.append((where, data))
    if not records and not report.errors:
        report.error("File", "The file has no services in it")
    if report.errors:
        raise OrukImportError(report)
    with transaction.atomic():
        writer = _Writer(report, actor)
        for where, data in cleaned:
            writer.service(where, data)
        if report.errors:
            raise OrukImportError(report)
    return report


def oruk_import_upload(*, filename: str, content: bytes, actor: User | None) -> ImportReport:
    """Import an uploaded JSON file, CSV file or ZIP of CSV files."""
    report = ImportReport(source=Path(filename).name)
    records = _records_from_bytes(filename, content, report)
    return oruk_import(records=records, actor=actor, report=report)


def oruk_import_path(*, path: Path, actor: User | None) -> ImportReport:
    """Import a JSON file, or a directory of ORUK CSV files, from disk."""
    report = ImportReport(source=str(path))
    if path.is_dir():
        files = {
            child.name: child.read_text(encoding="utf-8-sig")
            for child in sorted(path.iterdir())
            if child.suffix.lower() == ".csv"
        }
        records = _records_from_csv(files, report)
    elif path.is_file():
        records = _records_from_bytes(path.name, path.read_bytes(), report)
    else:
        report.error("File", f"{path} does not exist")
        records = []
    return oruk_import(records=records, actor=actor, report=report)


# Importing in the background --------------------------------------------------------------

# What a file of each kind starts with: a ZIP's local file header, or JSON's opening bracket.
ZIP_MAGIC = b"PK\x03\x04"
BOM = b"\xef\xbb\xbf"


def oruk_guess_format(*, name: str, head: bytes) -> str | None:
    """The upload's format from its extension, if its first bytes agree; otherwise None."""
    extension = Path(name).suffix.lower().lstrip(".")
    head = head.removeprefix(BOM)
    if extension == DirectoryImport.Format.ZIP:
        return extension if head.startswith(ZIP_MAGIC) else None
    if extension == DirectoryImport.Format.JSON:
        return extension if head.lstrip()[:1] in (b"{", b"[") else None
    if extension == DirectoryImport.Format.CSV:
        if b"\x00" in head or head.startswith(ZIP_MAGIC):
            return None
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            # The sample may cut a character in half at its end; anything earlier is not text.
            if error.start < len(head) - 4:
                return None
            text = head[: error.start].decode("utf-8")
        first_line = text.splitlines()[0] if text.strip() else ""
        return extension if "," in first_line else None
    return None


def _upload_head(upload: UploadedFile, size: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def directory_import_queue(*, upload: UploadedFile, actor: User | None) -> DirectoryImport:
    """Keep the uploaded file in private storage and queue the import task once saved."""
    from rounds.tasks import import_directory

    original_name = Path(upload.name or "").name
    file_format = oruk_guess_format(name=original_name, head=_upload_head(upload))
    if file_format is None:
        raise ValueError("Check the file with oruk_guess_format before queueing it")
    with transaction.atomic():
        directory_import = DirectoryImport(
            original_name=original_name[:255],
            format=file_format,
            started_by=actor if actor is not None and actor.is_authenticated else None,
        )
        directory_import.file.save(original_name, upload, save=False)
        directory_import.save()
        audit_record(
            actor=actor,
            verb="directory_import.queue",
            target=directory_import,
            to_state=directory_import.status,
            detail={"file": original_name, "format": file_format},
        )
        import_id = directory_import.pk
        transaction.on_commit(lambda: import_directory.delay(import_id))
    return directory_import


def _directory_import_finish(
    directory_import: DirectoryImport,
    *,
    status: str,
    counts: dict[str, Any] | None = None,
    problems: list[dict[str, str]] | None = None,
) -> None:
    directory_import.status = status
    directory_import.counts = counts or {}
    directory_import.problems = problems or []
    directory_import.finished_at = timezone.now()
    directory_import.save(update_fields=["status", "counts", "problems", "finished_at"])
    audit_record(
        actor=directory_import.started_by,
        verb=f"directory_import.{status}",
        target=directory_import,
        from_state=DirectoryImport.Status.RUNNING,
        to_state=status,
        detail={"counts": directory_import.counts, "problems": len(directory_import.problems)},
    )


def directory_import_run(*, import_id: int) -> DirectoryImport:
    """Import a queued file: all or nothing, then record the counts or the problems.

    A finished import is left alone, so a task delivered twice does no harm. An import
    left running by a worker that died is run again: its transaction never committed.
    """
    with transaction.atomic():
        directory_import = (
            # Lock only the import row: PostgreSQL refuses FOR UPDATE on the nullable side
            # of the join to the person who started it.
            DirectoryImport.objects.select_for_update(of=("self",))
            .select_related("started_by")
            .get(pk=import_id)
        )
        if directory_import.is_finished:
            return directory_import
        from_state = directory_import.status
        directory_import.status = DirectoryImport.Status.RUNNING
        directory_import.started_at = timezone.now()
        directory_import.save(update_fields=["status", "started_at"])
        audit_record(
            actor=directory_import.started_by,
            verb="directory_import.start",
            target=directory_import,
            from_state=from_state,
            to_state=directory_import.status,
        )

    try:
        with directory_import.file.open("rb") as handle:
            content = handle.read()
    except OSError:
        logger.exception("Directory import %s: the uploaded file cannot be read", import_id)
        with transaction.atomic():
            _directory_import_finish(
                directory_import,
                status=DirectoryImport.Status.FAILED,
                problems=[{"where": "File", "message": "The uploaded file cannot be read"}],
            )
        return directory_import

    try:
        # One transaction: the services and the import's record are saved together.
        with transaction.atomic():
            report = oruk_import_upload(
                filename=directory_import.original_name,
                content=content,
                actor=directory_import.started_by,
            )
            _directory_import_finish(
                directory_import, status=DirectoryImport.Status.DONE, counts=report.counts()
            )
    except OrukImportError as error:
        with transaction.atomic():
            _directory_import_finish(
                directory_import,
                status=DirectoryImport.Status.FAILED,
                problems=[asdict(problem) for problem in error.report.errors],
            )
    except Exception:
        # A fault of ours, not of the file: logged for us, and the page stops waiting.
        logger.exception("Directory import %s failed unexpectedly", import_id)
        with transaction.atomic():
            _directory_import_finish(
                directory_import,
                status=DirectoryImport.Status.FAILED,
                problems=[
                    {
                        "where": "File",
                        "message": "Something went wrong on our side. Nothing was imported. "
                        "Try again later",
                    }
                ],
            )
    return directory_import


# Export ------------------------------------------------------------------------------------


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
    """The ORUK JSON Schema the product ships (see rounds/oruk_schema/PROVENANCE.md)."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
