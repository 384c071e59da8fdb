"""Models of the rounds app: needs register and service map (funds and rounds follow)."""

from rounds.models.directory import (
    Service,
    ServiceLocation,
    ServiceSchedule,
    TaxonomyTerm,
)
from rounds.models.needs import JsnaPriority, Need, NeedSignal, PopulationGroup

__all__ = [
    "JsnaPriority",
    "Need",
    "NeedSignal",
    "PopulationGroup",
    "Service",
    "ServiceLocation",
    "ServiceSchedule",
    "TaxonomyTerm",
]
