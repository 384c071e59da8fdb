"""Checking Open Referral UK service records and turning them into our field values.

Every problem is noted in the `ImportReport` with the row it came from, so a person can
fix the whole file at once. Nothing here touches the database.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from rounds.models import Service, ServiceSchedule
from rounds.oruk.read import ImportReport, OrukImportError, Record

LOW_COST_LIMIT = Decimal("5.00")

ORUK_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
STATUS_FROM_ORUK = {
    "active": Service.Status.ACTIVE,
    "temporarily closed": Service.Status.PAUSED,
    "inactive": Service.Status.CLOSED,
    "defunct": Service.Status.CLOSED,
}

CleanRecord = tuple[str, dict[str, Any]]


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


def records_clean(records: list[Record], report: ImportReport) -> list[CleanRecord]:
    """Every record checked and cleaned; raises `OrukImportError` if any has a problem."""
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
    return cleaned
