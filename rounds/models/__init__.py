"""Models of the rounds app: needs register, service map, funds and rounds."""

from rounds.models.directory import (
    DirectoryImport,
    Service,
    ServiceLocation,
    ServiceSchedule,
    TaxonomyTerm,
)
from rounds.models.form_builder import FormPdf, FormSection, Question
from rounds.models.funding import Fund, FundingSource, Round, RoundEvent
from rounds.models.needs import JsnaPriority, Need, NeedSignal, PopulationGroup
from rounds.models.public import Faq, GuidanceResource, SupportRequest

__all__ = [
    "DirectoryImport",
    "Faq",
    "FormPdf",
    "FormSection",
    "Fund",
    "FundingSource",
    "GuidanceResource",
    "JsnaPriority",
    "Need",
    "NeedSignal",
    "PopulationGroup",
    "Question",
    "Round",
    "RoundEvent",
    "Service",
    "ServiceLocation",
    "ServiceSchedule",
    "SupportRequest",
    "TaxonomyTerm",
]
