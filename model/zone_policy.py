"""Zone governments as deciders: where the city's new public works go, and which firms each
zone courts, by what their officials are assessed on.

Around 2010 a zone's officials were judged above all on the growth of output (GDP) and of
fiscal revenue. Once the heavy-industry reform sets its green coefficient
(``rules.green_coefficient``), they are also judged on the energy and pollution intensity
of output, the more so where the zone's role is the lake's: its weight there is the
coefficient × (1 + ``assessment.lake_role_weight`` × ``zones.lake_basin_share``).

**Points for a yuan of value added.** A yuan of new value added of sector s raises GDP
growth by 1/Y and fiscal growth by τ_s/R (τ_s the city's taxes and fees per yuan of the
sector's value added, R the city's), and moves the energy intensity of output by
(e_s/ē − 1)/Y, the pollution intensity likewise. Scaled by Y, the points it earns are

    v[z, s] = output_weight + fiscal_weight × τ_s/τ̄
              − green_z × (energy_weight × (e_s/ē − 1) + pollution_weight × (p_s/p̄ − 1)),

at least 0 (a zone does not court a firm that costs it points), where the bars are the
city's averages over firms' value added and a sector's pollution is air emissions and the
chemical oxygen demand of its discharge, each against the city's average, weighted
1 − ``assessment.water_share_of_pollution`` and that share.

**Which firms to court.** A zone scores each sector by the points a mu of the land its
firms work earns a year (its value added per mu × v) against the sector's score in 2010
(when no green weight applied), and courts entrants in proportion: the factor on the
sector's weight in where entrants settle (``model/turnover.py:entry_plan``). A zone's
means of courting (its investment promotion, the sites it can offer) are fixed: the factors
move which sectors' firms come, not how many, so each zone's expected entrants at 2010
factors are kept.

**Where to build.** A yuan of public works in zone z raises its firms' output by the output
elasticity of public capital (``infrastructure.output_elasticity``) times their value added
per yuan of the zone's stock, which earns α × V_z / K_z points a year (V_z the points its
firms' real value added earns). The residents' needs are valued at the city's average gain
per yuan, times the zone's residents per yuan of its stock against the city's, times
``assessment.residents_weight``. The city splits its new works in proportion to each zone's
case (gain + needs) times its 2010 stock: a zone that has been built up faster than its
firms and residents grew makes a weaker case for the next yuan. In 2010 the split is half by
the points the zones' firms earn and half by residents (at a residents' weight of 1).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import services, taxes

if TYPE_CHECKING:
    from model.calibration import Params
    from model.economy import Economy


def _by_sector(sector: np.ndarray, weight: np.ndarray, values: np.ndarray, n_sectors: int):
    """Sums of ``values`` over real firms (agents of sector ``sector`` standing for
    ``weight`` firms each), by sector."""
    return np.bincount(sector, weights=weight * values, minlength=n_sectors)


def _relative(
    by_sector: np.ndarray, output: np.ndarray, fallback: np.ndarray, output_total: float
) -> np.ndarray:
    """Per yuan of each sector's value added against the city's average per yuan (a sector
    with no output yet takes ``fallback``, its intensity by the parameters), for each row
    of ``by_sector`` (one row a load); ``output_total``: the sum of ``output``, at least
    1e-9. (A row's sum along its own row is its sum alone, to the bit.)"""
    per_yuan = np.divide(by_sector, output, out=fallback.copy(), where=output > 0)
    average = by_sector.sum(axis=1) / output_total
    return per_yuan / np.maximum(average, 1e-12)[:, None]


@dataclass(frozen=True)
class _LiveFirms:
    """The live firms' rows, sectors, weights and value added, and each sector's value
    added over real firms (``output``): what the zones' scores are worked out from."""

    live: np.ndarray
    sector: np.ndarray
    weight: np.ndarray
    value_added: np.ndarray
    output: np.ndarray


def _live_firms(economy: Economy) -> _LiveFirms:
    firms = economy.firms
    live = firms.live()
    sector, weight = firms.sector[live], firms.weight[live]
    value_added = firms.va_yuan[live]
    output = _by_sector(sector, weight, value_added, len(economy.sectors.names))
    return _LiveFirms(live, sector, weight, value_added, output)


def sector_value(economy: Economy) -> np.ndarray:
    """Points a yuan of each sector's value added earns each zone's officials this quarter
    (zones × sectors), and the zones' green weights kept on them."""
    return _sector_value(economy, _live_firms(economy))


def _sector_value(economy: Economy, now: _LiveFirms) -> np.ndarray:
    """:func:`sector_value` given the live firms' columns, which :func:`court` and
    :func:`place_works` have gathered already."""
    params, firms = economy.params, economy.firms
    live, sector, weight = now.live, now.sector, now.weight
    value_added, output = now.value_added, now.output
    assessment = params.assessment
    n_sectors = len(economy.sectors.names)
    bases = _sector_bases(params)
    # taxes and fees the city keeps per yuan of each sector's value added, by the 2010 rules
    tax_rate = _city_tax_rate(params, n_sectors)
    output_total = max(output.sum(), 1e-9)
    tax = tax_rate / max(tax_rate @ output / output_total, 1e-12)
    # energy, air emissions and discharge per yuan: the sector's base × each firm's own
    energy = value_added * bases.energy.take(sector) * firms.energy_intensity[live]
    abated = 1 - firms.clean_tech[live]
    air = energy * bases.emission_per_tce.take(sector) * firms.emission_intensity[live]
    water = value_added * bases.water.take(sector) * abated
    # the three loads side by side, a row each
    energy_load, air_load, water_load = _relative(
        np.array(
            [
                _by_sector(sector, weight, energy, n_sectors),
                _by_sector(sector, weight, air * abated, n_sectors),
                _by_sector(sector, weight, water, n_sectors),
            ]
        ),
        output,
        bases.loads,
        output_total,
    )
    water_share = assessment.water_share_of_pollution
    pollution_load = (1 - water_share) * air_load + water_share * water_load
    green_cost = assessment.energy_weight * (energy_load - 1) + assessment.pollution_weight * (
        pollution_load - 1
    )
    growth = assessment.output_weight + assessment.fiscal_weight * tax
    green = economy.rules.green_coefficient * (1 + assessment.lake_role_weight * bases.basin)
    value = np.maximum(growth[None, :] - green[:, None] * green_cost[None, :], 0.0)
    for zone, green_weight, points in zip(economy.zones, green.tolist(), value, strict=True):
        zone.green_weight = green_weight
        zone.sector_value = points
    return value


@dataclass(frozen=True)
class _SectorBases:
    """The parameters' intensities by sector (and the zones' lake shares) as arrays."""

    energy: np.ndarray  # tce per 10,000 yuan of value added
    emission_per_tce: np.ndarray
    air: np.ndarray  # emissions per 10,000 yuan: energy × emission per tce
    water: np.ndarray  # chemical oxygen demand per million yuan
    basin: np.ndarray  # each zone's share in the lake's basin
    loads: np.ndarray  # energy, air and water, a row each


# a run's parameters are read-only, so the arrays made of them are made once for each
# parameter set (twice a quarter otherwise); kept no longer than the parameters are
_SECTOR_BASES: weakref.WeakKeyDictionary[Params, _SectorBases] = weakref.WeakKeyDictionary()
_CITY_TAX_RATES: weakref.WeakKeyDictionary[Params, np.ndarray] = weakref.WeakKeyDictionary()


def _sector_bases(params: Params) -> _SectorBases:
    bases = _SECTOR_BASES.get(params)
    if bases is None:
        sectors = params.sectors
        energy = np.asarray(sectors.energy_tce_per_10k_yuan)
        emission = np.asarray(sectors.emission_per_tce)
        arrays = [energy, emission, energy * emission, np.asarray(sectors.cod_per_m_yuan)]
        arrays.append(np.asarray(params.zones.lake_basin_share))
        loads = np.array([arrays[0], arrays[2], arrays[3]], dtype=np.float64)
        loads.setflags(write=False)
        bases = _SectorBases(*arrays, loads)
        _SECTOR_BASES[params] = bases
    return bases


def _city_tax_rate(params: Params, n_sectors: int) -> np.ndarray:
    """Taxes and fees the city keeps per yuan of each sector's value added, 2010 rules."""
    rate = _CITY_TAX_RATES.get(params)
    if rate is None:
        every = np.arange(n_sectors)
        rate = taxes.on_production(params, every, np.ones(n_sectors), np.zeros(n_sectors)).city
        rate.setflags(write=False)
        _CITY_TAX_RATES[params] = rate
    return rate


def court(economy: Economy, drawn: np.ndarray) -> np.ndarray:
    """Each zone's factors on where entrants of each sector settle (zones × sectors), given
    the real entrants ``drawn`` (sectors × zones) the zones would get at 2010 factors.

    A sector's score is the points a mu of its land earns a year, against its 2010 score;
    each zone's factors are scaled so that its expected entrants stay ``drawn``'s."""
    firms = economy.firms
    now = _live_firms(economy)
    live, output = now.live, now.output
    # the land a firm works: its construction land, and the farmland a farm rents
    worked = firms.land_mu[live] + firms.leased_farmland_mu[live]
    land = _by_sector(now.sector, now.weight, worked, len(economy.sectors.names))
    per_mu = np.divide(4 * output, land, out=np.zeros_like(output), where=land > 0)
    score = per_mu[None, :] * _sector_value(economy, now)
    zones = economy.zones
    for zone, points in zip(zones, score, strict=True):
        if zone.courting_2010 is None:  # the first decision, in 2010: the benchmark
            zone.courting_2010 = points.copy()
    reference = np.array([zone.courting_2010 for zone in zones])
    factors = np.divide(score, reference, out=np.ones_like(score), where=reference > 0)
    # (each zone's entrants summed along a row of their own, as a column of ``drawn`` sums;
    # the product stays with the column, whose stride decides how it is added up)
    totals = np.ascontiguousarray(drawn.T).sum(axis=1)
    for z, zone in enumerate(zones):
        courted = float(drawn[:, z] @ factors[z])
        if courted > 0:
            factors[z] *= totals[z] / courted
        zone.courting = factors[z]
    return factors


def place_works(economy: Economy, residents: np.ndarray | None = None) -> np.ndarray:
    """Each zone's share of the city's new public works this quarter: its case (the points a
    yuan of works earns through its firms' output and taxes and through the residents it
    serves) times its 2010 stock; while the stock is not laid out (2010), by the case at
    the 2010 stock. The case is kept on each zone. ``residents``: the quarter's
    :func:`model.services.residents` when already at hand."""
    params, firms = economy.params, economy.firms
    elasticity = params.infrastructure.output_elasticity
    n_zones = len(economy.zones)
    now = _live_firms(economy)
    live = now.live
    points = _sector_value(economy, now)[firms.zone[live], now.sector]
    real_output = 4 * now.weight * now.value_added / economy.price_level
    value = np.bincount(firms.zone[live], weights=real_output * points, minlength=n_zones)
    residents = services.residents(economy) if residents is None else residents
    people = residents.sum(axis=1)
    needs = params.assessment.residents_weight * value.sum() * people / max(people.sum(), 1e-9)
    capital = economy.public_capital
    merit = value + needs
    if capital.stock_2010.sum() > 0:
        merit = merit * capital.stock_2010 / np.maximum(capital.stock, 1e-9)
        for zone, gain, need, stock in zip(economy.zones, value, needs, capital.stock, strict=True):
            zone.works_gain_per_yuan = elasticity * gain / max(stock, 1e-9)
            zone.works_needs_per_yuan = elasticity * need / max(stock, 1e-9)
    share = merit / merit.sum() if merit.sum() > 0 else people / people.sum()
    for zone, part in zip(economy.zones, share, strict=True):
        zone.works_share = float(part)
    return share
