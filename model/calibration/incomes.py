"""Ezhou's 2010 income targets, derived from Hubei's published figures.

No Ezhou income figure for 2010 is in the data. ``data/macro_conditions_2010_2020.csv``
holds Hubei's 2010 urban disposable income per head (the whole year and its first three
quarters) and Hubei's rural cash income per head for the first three quarters of 2010, by
source. The targets follow from them in three steps, each an assumption in
``parameters.toml`` ``[incomes]`` (argued in docs/calibration.md, section 1.1):

1. the rural figures are carried from three quarters to the year with the urban survey's
   own ratio of the first three quarters to the year;
2. rural net income is taken equal to that annual cash income (``net_to_cash_income``);
3. Ezhou is placed against Hubei by its GDP per head relative to Hubei's, raised to an
   elasticity for each kind of income: low for town incomes, one for what villagers earn
   from local output and jobs, zero for transfers (set by provincial rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from model.calibration import Params, macro_conditions, target

# the sources of rural income in the survey, in the order the data note lists them
RURAL_SOURCES = ("wages", "operations", "property", "transfers")


@dataclass(frozen=True)
class IncomeTargets:
    """Ezhou's 2010 income per head, yuan a year, with the steps that lead to it."""

    urban_disposable: float
    rural_net: float
    rural_by_source: dict[str, float]  # Ezhou, yuan a year per rural resident
    hubei_rural_by_source: dict[str, float]  # Hubei, the year, before placing Ezhou
    hubei_urban_disposable: float
    q1_q3_share: float  # share of a year's urban income earned in its first three quarters
    gdp_per_capita_ratio: float  # Ezhou's GDP per head / Hubei's

    @property
    def ratio(self) -> float:
        return self.urban_disposable / self.rural_net


def _macro(series: str) -> tuple[float, str]:
    frame = macro_conditions()
    row = frame[(frame.series == series) & (frame.year == 2010)]
    if len(row) != 1:
        raise KeyError(f"macro_conditions_2010_2020.csv: no 2010 row for {series}")
    return float(row.value.iloc[0]), str(row.note.iloc[0])


def _rural_sources_q1_q3() -> dict[str, float]:
    """Hubei's rural cash income by source, first three quarters of 2010 (from the row's
    note: 'wages 1773.5 household operations 2375.2 property 66.3 transfers 240.0')."""
    total, note = _macro("hubei_rural_cash_income_per_capita_q1_q3")
    words = note.split(";")[-1].replace("household operations", "operations").split()
    values = {name: float(words[words.index(name) + 1]) for name in RURAL_SOURCES}
    if abs(sum(values.values()) - total) > 0.5:
        raise ValueError(f"rural income sources {values} do not add up to {total}")
    return values


def income_targets_2010(params: Params) -> IncomeTargets:
    """Ezhou's 2010 urban disposable and rural net income per head (see module doc)."""
    assumptions = params.incomes
    hubei_urban, _ = _macro("hubei_urban_disposable_income_per_capita")
    hubei_urban_q1_q3, _ = _macro("hubei_urban_disposable_income_per_capita_q1_q3")
    q1_q3_share = hubei_urban_q1_q3 / hubei_urban
    hubei_rural = {
        name: value / q1_q3_share * assumptions.net_to_cash_income
        for name, value in _rural_sources_q1_q3().items()
    }
    ezhou_gdp_per_capita = target("gdp", 2010) * 1e9 / target("resident_population", 2010)
    position = ezhou_gdp_per_capita / assumptions.hubei_gdp_per_capita_2010_yuan
    elasticity = dict(zip(RURAL_SOURCES, assumptions.rural_gdp_elasticity, strict=True))
    rural = {name: hubei_rural[name] * position ** elasticity[name] for name in RURAL_SOURCES}
    return IncomeTargets(
        urban_disposable=hubei_urban * position**assumptions.urban_gdp_elasticity,
        rural_net=sum(rural.values()),
        rural_by_source=rural,
        hubei_rural_by_source=hubei_rural,
        hubei_urban_disposable=hubei_urban,
        q1_q3_share=q1_q3_share,
        gdp_per_capita_ratio=position,
    )
