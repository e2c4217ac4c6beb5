"""The outside world, quarter by quarter, from the scenario's condition paths."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from typing import Protocol

import numpy as np


class ConditionPaths(Protocol):
    """A scenario's conditions (``model.scenario.Conditions``): each named condition's
    value in each of the given years."""

    def path(self, name: str, years: np.ndarray) -> np.ndarray: ...


def growth_index(annual_pct: np.ndarray) -> np.ndarray:
    """Level index per quarter from annual growth rates (percent) given per quarter.

    The rate of a year is the growth of that year's average level over the year before, as
    statistical yearbooks state it; within a year the level rises smoothly at that year's
    rate. The index is normalised so that its mean over the first four quarters is 1.
    """
    g = 1.0 + np.asarray(annual_pct, dtype=float)[::4] / 100.0  # one rate per year
    yearly = np.concatenate([[1.0], np.cumprod(g[1:])])  # average level of each year
    within = (np.arange(4) - 1.5) / 4  # quarters around the middle of the year
    shape = g[:, None] ** within[None, :]
    level = (yearly[:, None] * shape / shape.mean(axis=1, keepdims=True)).ravel()
    return level / level[:4].mean()


@dataclass(frozen=True)
class OutsideWorld:
    """Exogenous series per quarter ``t`` (t = 0 is the first quarter of the start year)."""

    years: np.ndarray  # calendar year of each quarter
    price_level: np.ndarray  # GDP deflator, 2010 mean = 1
    cpi: np.ndarray  # consumer prices, 2010 mean = 1
    national_real_growth: np.ndarray  # per year, fraction
    national_demand: np.ndarray  # real national demand index, 2010 = 1
    wuhan_demand: np.ndarray
    wuhan_wage: np.ndarray  # nominal, 2010 = 1
    steel_demand: np.ndarray
    steel_price: np.ndarray  # relative price, 2010 = 1
    capacity_cut: np.ndarray  # share of heavy capacity closed per year
    lending_rate: np.ndarray  # per year, fraction
    relocating_firms: np.ndarray  # per year

    @classmethod
    def from_conditions(
        cls, conditions: ConditionPaths, start_year: int, end_year: int
    ) -> OutsideWorld:
        years = np.repeat(np.arange(start_year, end_year + 1), 4)
        year_values = years.astype(float)

        def path(name: str) -> np.ndarray:
            return conditions.path(name, year_values)

        return cls(
            years=years,
            price_level=growth_index(path("gdp_deflator_pct")),
            cpi=growth_index(path("cpi_inflation_pct")),
            national_real_growth=path("national_real_growth_pct") / 100,
            national_demand=growth_index(path("national_real_growth_pct")),
            wuhan_demand=growth_index(path("wuhan_demand_growth_pct")),
            wuhan_wage=growth_index(path("wuhan_wage_growth_pct")),
            steel_demand=growth_index(path("steel_demand_growth_pct")),
            steel_price=path("steel_price_index") / 100,
            capacity_cut=path("steel_capacity_cut_share"),
            lending_rate=path("lending_rate_pct") / 100,
            relocating_firms=path("relocating_firms_per_year"),
        )

    def first_quarter(self, paths: Collection[str]) -> OutsideWorld:
        """This world as seen by a reader of the first quarter of ``paths`` alone: those
        paths keep their first value, every other path is empty, so that reading a later
        quarter or another path raises IndexError. The calendar (``years``) stays whole: it
        comes from the run settings, not the conditions."""
        unknown = set(paths) - {field.name for field in fields(self)}
        if unknown:
            raise ValueError(f"the outside world has no path {sorted(unknown)}")
        cut = {
            name: getattr(self, name)[: 1 if name in paths else 0].copy()
            for name in self._path_names()
        }
        return replace(self, **cut)

    def first_quarters(self, quarters: int) -> OutsideWorld:
        """This world as seen by a run of its first ``quarters`` quarters alone: every path
        cut to them, so that reading a later quarter raises IndexError (the calendar stays
        whole)."""
        cut = {name: getattr(self, name)[:quarters].copy() for name in self._path_names()}
        return replace(self, **cut)

    def values(self) -> dict[str, list[float]]:
        """Every path's values (the calendar aside), as plain lists."""
        return {name: getattr(self, name).tolist() for name in self._path_names()}

    def _path_names(self) -> list[str]:
        """The paths the conditions set: every field but the calendar."""
        return [field.name for field in fields(self) if field.name != "years"]

    def demand_index(self, driver: str, t: int) -> float:
        return float(
            {
                "national": self.national_demand,
                "steel": self.steel_demand,
                "wuhan": self.wuhan_demand,
            }[driver][t]
        )
