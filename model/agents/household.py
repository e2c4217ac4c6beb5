"""Households: where people live, work, earn, spend and move.

A :class:`Household` agent stands for ``weight`` real households with the same state. Its
state lives in the model's household columns (``model.hh``); the agent object gives it an
identity a user can inspect. The rules below act on all households at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from model import sampling
from model.agents.registry import TableAgent
from model.arrays import weighted_total
from model.state import (
    JOB_NAMES,
    NO_WORKERS,
    OWN_FARM,
    UNEMPLOYED,
)

if TYPE_CHECKING:
    from model.model import ReformModel


class Household(TableAgent):
    """One household agent: a row of ``model.hh``."""

    def _get(self, name: str):
        return getattr(self.model.hh, name)[self.row]

    @property
    def weight(self) -> float:
        return float(self._get("weight"))

    @property
    def zone(self) -> str:
        return self.model.zone_names[int(self._get("zone"))]

    @property
    def urban(self) -> bool:
        return bool(self._get("urban"))

    @property
    def size(self) -> int:
        return int(self._get("size"))

    @property
    def workers(self) -> int:
        return int(self._get("workers"))

    @property
    def skill(self) -> str:
        return self.model.params.skills.names[int(self._get("skill"))]

    @property
    def job(self) -> str:
        return JOB_NAMES[int(self._get("job"))]

    @property
    def employer(self):
        row = int(self._get("employer"))
        return self.model.firm_agents.get(row) if row >= 0 else None

    @property
    def savings_yuan(self) -> float:
        return float(self._get("savings_yuan"))

    def income_by_source(self) -> dict[str, float]:
        """Last quarter's income of one real household of this agent, yuan."""
        return {
            name: float(self._get(f"inc_{name}"))
            for name in ("wages", "farming", "business", "property", "compensation", "transfers")
        }

    def __repr__(self) -> str:
        return (
            f"Household(row={self.row}, zone={self.zone}, urban={self.urban}, "
            f"size={self.size}, workers={self.workers}, job={self.job})"
        )


# --- rules applied to all households at once ----------------------------------------------


def farm_capacity(
    land_operated_mu: np.ndarray,
    workers: np.ndarray,
    job: np.ndarray,
    urban: np.ndarray,
    labour_elasticity: float,
    part_time: float,
) -> np.ndarray:
    """Farm output before productivity.

    Full-time farmers work their plots with all their workers; villagers with another job
    farm their plots part-time at ``part_time`` of the output; households living in town
    leave plots they have not rented out idle.
    """
    land = np.maximum(land_operated_mu, 0.0)
    farming = land > 0
    full = farming & (job == OWN_FARM)
    out = np.zeros(len(land))
    rows = np.flatnonzero(full)
    out[rows] = land[rows] ** (1 - labour_elasticity) * np.maximum(workers[rows], 1) ** (
        labour_elasticity
    )
    rows = np.flatnonzero(farming & ~full & ~urban)
    out[rows] = part_time * land[rows] ** (1 - labour_elasticity)
    return out


def demography(model: ReformModel) -> dict[str, float]:
    """Births, deaths, young people starting work and workers retiring, for one quarter."""
    hh, rng, p = model.hh, model.rng, model.params
    live = hh.rows()
    ev = sampling.household_events(
        rng,
        hh.size[live],
        hh.workers[live],
        hh.elderly[live],
        birth_rate=p.migration.birth_rate / 4,
        death_rate=p.migration.death_rate / 4,
        retire_rate=p.labour.retire_rate,
        entry_rate=1 / (4 * p.households.working_age_entry_years),
    )
    rows = ev.rows  # the households something happened to (row numbers: live is 0..n-1)
    new_size = hh.size[rows] + ev.births - ev.deaths
    new_workers = hh.workers[rows] - ev.d_work - ev.retire + ev.enter
    hh.size[rows] = new_size
    hh.workers[rows] = new_workers
    hh.elderly[rows] = hh.elderly[rows] - ev.d_old + ev.retire
    # households left without workers give up their jobs; those with new workers look for one
    job = hh.job[rows]
    none_left = new_workers == 0
    idle = rows[none_left & (job != NO_WORKERS)]
    seek = rows[~none_left & (job == NO_WORKERS)]
    hh.job[idle] = NO_WORKERS
    hh.employer[idle] = -1
    hh.job[seek] = UNEMPLOYED
    w = hh.weight[rows]
    out = {"births": weighted_total(w, ev.births), "deaths": weighted_total(w, ev.deaths)}
    # a household with nobody left ends; its savings pass to another household of the city
    # (its contracted plot stays with the village and lies idle). Rows move after this.
    gone = rows[new_size <= 0]
    out["estates_yuan"] = model.dissolve_households(gone, reason="ended") if len(gone) else 0.0
    return out


def move_to_town(model: ReformModel) -> float:
    """Rural-resident households decide to move to town; returns real households moved."""
    hh, rng, p = model.hh, model.rng, model.params
    rural = hh.where(~hh.col("urban"))
    if len(rural) == 0:
        return 0.0
    gap = model.urban_rural_wage_gap()
    barrier = np.where(hh.rural_hukou[rural], model.rules.hukou_barrier, 0.0)
    pull = np.exp(p.migration.rural_urban_gap_elasticity * (gap - model.gap_2010))
    # the base rate holds at the 2010 barrier; a lower barrier raises it
    mig = p.migration
    prob = mig.rural_urban_base * pull * (1 - barrier) / (1 - mig.hukou_barrier)
    # young working households move more readily than the elderly
    prob = prob * np.where(hh.workers[rural] > 0, mig.worker_move_factor, mig.elderly_move_factor)
    prob = np.clip(prob, 0, mig.max_move_rate)
    movers = rural[rng.random(len(rural)) < prob]
    hh.urban[movers] = True
    # farmers who move stop farming full time and look for a job
    farmer = movers[hh.job[movers] == OWN_FARM]
    hh.job[farmer] = UNEMPLOYED
    # some move to the main city
    relocate = movers[rng.random(len(movers)) < p.migration.main_city_share]
    hh.zone[relocate] = 0
    if len(movers):
        model.reassign_jobs_after_move(relocate)
    return float(hh.weight[movers].sum())


def migrate(model: ReformModel) -> dict[str, float]:
    """Households moving into and out of the city, drawn against Wuhan's pull."""
    hh, rng, p = model.hh, model.rng, model.params
    pull = model.wuhan_pull()
    out_prob = p.migration.out_rate * pull**p.migration.out_wage_elasticity
    out_prob = out_prob * np.where(hh.col("job") == UNEMPLOYED, 2.0, 1.0)
    leavers = np.flatnonzero(rng.random(hh.n) < out_prob)
    n_real = float(hh.col("weight").sum())  # before they leave
    taken = model.dissolve_households(leavers, reason="out")
    expected = p.migration.in_rate * n_real / pull**p.migration.out_wage_elasticity
    n_new = rng.poisson(expected / model.scale)
    arrived = model.add_migrant_households(n_new)
    return {"out_savings": taken, "in_savings": arrived["in_savings"]}


def plan_consumption(model: ReformModel) -> None:
    """Each household sets this quarter's consumption from last quarter's income and savings."""
    hh, p = model.hh, model.params
    live = hh.rows()
    disposable = model.disposable_income(live)
    floor = p.households.subsistence_yuan * hh.size[live] * model.cpi_now
    want = (
        model.rules.consumption_mpc * np.maximum(disposable, 0)
        + p.households.consumption_wealth * hh.savings_yuan[live]
    )
    want = np.maximum(want, floor)
    hh.consumption[live] = np.minimum(want, hh.savings_yuan[live] + np.maximum(disposable, 0))
    hh.consumption[live] = np.maximum(hh.consumption[live], 0.0)
    # urban households put part of their income into housing (down payments)
    housing = np.maximum(disposable, 0) * hh.urban[live] * p.fiscal.housing_income_share
    hh.housing_spend[live] = np.minimum(
        housing, np.maximum(hh.savings_yuan[live] + disposable - hh.consumption[live], 0)
    )
