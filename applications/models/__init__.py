"""Models of the applications app: organisation profiles and documents, applications."""

from applications.models.applications import (
    Answer,
    Application,
    ApplicationPdf,
    ApplicationPlace,
    ApplicationSection,
    BudgetLine,
    DueDiligenceItem,
    ReferenceCounter,
)
from applications.models.organisations import (
    OrganisationDocument,
    OrganisationInvitation,
    OrganisationProfile,
)

__all__ = [
    "Answer",
    "Application",
    "ApplicationPdf",
    "ApplicationPlace",
    "ApplicationSection",
    "BudgetLine",
    "DueDiligenceItem",
    "OrganisationDocument",
    "OrganisationInvitation",
    "OrganisationProfile",
    "ReferenceCounter",
]
