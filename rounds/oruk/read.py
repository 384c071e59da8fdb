"""Reading Open Referral UK files into service records, before anything is checked.

A record is one ORUK service as a dict, with where it came from ("services.csv row 4"), so
every problem found later can name its row. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from microcomm.uploads import zip_archive_check
from rounds.models import DirectoryImport


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


def records_from_bytes(name: str, content: bytes, report: ImportReport) -> list[Record]:
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
                zip_archive_check(archive)
                files = {
                    Path(info.filename).name: archive.read(info).decode("utf-8-sig")
                    for info in archive.infolist()
                    if info.filename.lower().endswith(".csv") and info.file_size < 10_000_000
                }
        except (zipfile.BadZipFile, UnicodeDecodeError) as error:
            report.error("File", f"The ZIP file cannot be read ({error})")
            return []
        except ValidationError as error:
            report.error("File", error.messages[0])
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


def records_from_path(path: Path, report: ImportReport) -> list[Record]:
    """The records of a JSON file, or of a directory of ORUK CSV files, on disk."""
    if path.is_dir():
        files = {
            child.name: child.read_text(encoding="utf-8-sig")
            for child in sorted(path.iterdir())
            if child.suffix.lower() == ".csv"
        }
        return _records_from_csv(files, report)
    if path.is_file():
        return records_from_bytes(path.name, path.read_bytes(), report)
    report.error("File", f"{path} does not exist")
    return []


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
