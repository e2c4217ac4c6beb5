"""The four agent types, one module each, plus the city level."""

from model.agents.city import CityGovernment
from model.agents.collective import RuralCollective
from model.agents.firm import Firm
from model.agents.household import Household
from model.agents.zone import GovernmentZone

__all__ = ["CityGovernment", "Firm", "GovernmentZone", "Household", "RuralCollective"]
