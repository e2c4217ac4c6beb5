"""Energy use, emissions and the Liangzi Lake's water quality each quarter.

Energy follows real output by sector and each firm's intensity (falling with a yearly
energy-saving trend and with audits); emissions follow energy, less what clean technology
abates. The lake receives firms' discharge in its basin, crop runoff per mu of farmland and
rural households' sewage; its water-quality class moves towards the level the load sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.arrays import weighted_total

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class EnvironmentResult:
    energy_tce: float
    emissions: float
    lake_load_t: float  # chemical oxygen demand reaching the lake
    lake_quality: float  # water-quality class (1 best, 5 worst)


def update(economy: Economy) -> EnvironmentResult:
    """Energy use, emissions and the lake this quarter."""
    params, firms, households = economy.params, economy.firms, economy.households
    sectors = params.sectors
    live_firms = firms.live()
    # each column the quarter's firms need, gathered once
    sector = firms.sector[live_firms]
    weight, supply = firms.weight[live_firms], firms.supply[live_firms]
    dirty = 1 - firms.clean_tech[live_firms]
    years = economy.clock.t / 4
    trend = (1 - params.firms.energy_saving_trend) ** years
    real_va_10k = weight * supply / 1e4
    energy_firms = (
        real_va_10k
        * np.asarray(sectors.energy_tce_per_10k_yuan)[sector]
        * (firms.energy_intensity[live_firms])
        * trend
    )
    emissions_firms = (
        energy_firms
        * np.asarray(sectors.emission_per_tce)[sector]
        * (firms.emission_intensity[live_firms])
        * dirty
    )
    live = households.rows()
    farm_real_10k = (
        weighted_total(households.weight[live], economy.household_output.farm[live]) / 1e4
    )
    energy_farms = farm_real_10k * sectors.energy_tce_per_10k_yuan[0]
    energy = float(energy_firms.sum()) + energy_farms
    emissions = float(emissions_firms.sum()) + energy_farms * sectors.emission_per_tce[0]
    basin = np.asarray(params.zones.lake_basin_share)
    # farms' crop runoff is counted per mu below; a large farm's own discharge (fish and
    # pearl ponds) is counted on the part of its output from its own land
    land = firms.land_mu[live_firms]
    own = np.where(
        sector == 0,
        land / np.maximum(land + firms.leased_farmland_mu[live_firms], 1e-9),
        1.0,
    )
    discharge_firms = (
        own
        * weight
        * supply
        / 1e6
        * np.asarray(sectors.cod_per_m_yuan)[sector]
        * basin[firms.zone[live_firms]]
        * dirty
    )
    villages = economy.villages
    runoff = (
        float(np.sum(villages.farmland_mu[: villages.n] * basin[villages.zone[: villages.n]]))
        * (params.environment.farm_cod_per_mu)
        / 4
    )
    rural = households.where(~households.col("urban"))
    # rural residents, each counted by the share of its zone in the lake basin
    rural_in_basin = households.weight.take(rural) * households.size.take(rural)
    rural_in_basin *= basin.take(households.zone.take(rural))
    sewage = (
        float(np.sum(rural_in_basin))
        * (params.environment.household_cod_per_person)
        / 4
        * (1 - economy.rules.sewage_treatment)
    )
    load = float(discharge_firms.sum()) + runoff + sewage
    lake = economy.lake
    if lake.reference_load is None:
        lake.reference_load = load
    quality_2010 = params.environment.lake_quality_2010
    half = lake.reference_load * (4 / (quality_2010 - 1) - 1)
    equilibrium = 1 + 4 * load / (load + half)
    lake.quality += params.environment.lake_response * (equilibrium - lake.quality)
    return EnvironmentResult(energy, emissions, load, lake.quality)
