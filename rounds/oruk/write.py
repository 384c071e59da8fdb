"""Writing checked Open Referral UK records: services, their places, times and terms.

Import is all or nothing: every record is checked first (`rounds.oruk.clean`) and any
problem raises `OrukImportError` before anything is written. Records keep their ORUK ids,
so importing the same file again updates what the first import made. Each service written
is audited as `service.oruk_import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from microcomm.audit import audit_record
from microcomm.caching import GAPS, PUBLIC_PAGES, invalidates
from microcomm.models import LegalForm, Organisation, Theme, User
from rounds.models import Service, ServiceLocation, ServiceSchedule, TaxonomyTerm
from rounds.oruk.clean import records_clean
from rounds.oruk.read import (
    ImportReport,
    OrukImportError,
    Record,
    records_from_bytes,
    records_from_path,
)


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


@invalidates(GAPS, PUBLIC_PAGES)
def oruk_import(
    *, records: list[Record], actor: User | None, report: ImportReport | None = None
) -> ImportReport:
    """Check every record, then write them all in one transaction, or nothing at all."""
    report = report or ImportReport()
    cleaned = records_clean(records, report)
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
    records = records_from_bytes(filename, content, report)
    return oruk_import(records=records, actor=actor, report=report)


def oruk_import_path(*, path: Path, actor: User | None) -> ImportReport:
    """Import a JSON file, or a directory of ORUK CSV files, from disk."""
    report = ImportReport(source=str(path))
    records = records_from_path(path, report)
    return oruk_import(records=records, actor=actor, report=report)
