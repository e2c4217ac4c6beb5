"""People in and out: births and deaths, households that end, migration in and out of the
city, and moves from village to town; Mesa's agent registry kept in step.

The household table is compact (``model/tables.py``): when households leave, its last rows
move into the holes, and the agents of the moved rows are told their new row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from model.accounts import HOUSEHOLDS, REST_OF_WORLD
from model.agents import household
from model.agents.household import NO_WORKERS, UNEMPLOYED
from model.calibration.synth import draw_households
from model.choices import choose_from, cumulative
from model.markets.wages import wuhan_pull

if TYPE_CHECKING:
    from model.calibration import Params
    from model.economy import Economy


@dataclass
class PopulationResult:
    births: float  # real persons
    deaths: float
    estates_yuan: float  # savings of households that ended, passed to others in the city
    out_savings_yuan: float  # taken out of the city by out-migrants
    in_savings_yuan: float  # brought in by in-migrants
    moved_to_town: float  # real households that moved from village to town


@dataclass
class Arrivals:
    rows: np.ndarray  # their household rows
    persons: float  # real persons
    savings_yuan: float  # what they brought


def update(economy: Economy) -> PopulationResult:
    """One quarter of births, deaths, migration and moves to town."""
    demography = household.demography(economy)
    # a household with nobody left ends; its savings pass to another household of the city
    # (its contracted plot stays with the village and lies idle). Rows move after this.
    ended = demography.ended
    estates = remove(economy, ended, reason="ended") if len(ended) else 0.0
    out_savings, in_savings = _migrate(economy)
    moved = household.move_to_town(economy)
    return PopulationResult(
        births=demography.births,
        deaths=demography.deaths,
        estates_yuan=estates,
        out_savings_yuan=out_savings,
        in_savings_yuan=in_savings,
        moved_to_town=moved,
    )


def _migrate(economy: Economy) -> tuple[float, float]:
    """Households moving out of and into the city, drawn against Wuhan's pull; returns the
    savings taken out and brought in."""
    households, rng, migration = economy.households, economy.rng, economy.params.migration
    pull = wuhan_pull(economy)
    out_prob = migration.out_rate * pull**migration.out_wage_elasticity
    # the unemployed leave twice as often (the two chances looked up for every row)
    out_prob = out_prob * np.array([1.0, 2.0])
    jobless = (households.col("job") == UNEMPLOYED).view(np.int8)
    leavers = (rng.random(households.n) < out_prob.take(jobless)).nonzero()[0]
    real_households = float(households.col("weight").sum())  # before they leave
    taken = remove(economy, leavers, reason="out")
    expected = migration.in_rate * real_households / pull**migration.out_wage_elasticity
    arriving = rng.poisson(expected / economy.scale)
    arrived = arrive(economy, arriving)
    return taken, arrived.savings_yuan


def remove(economy: Economy, rows: np.ndarray, reason: str) -> float:
    """Remove household agents that leave the city (``reason="out"``) or end (``"ended"``);
    returns the savings taken out of the city."""
    households = economy.households
    if len(rows) == 0:
        return 0.0
    net = households.weight[rows] * (households.savings_yuan[rows] - households.debt_yuan[rows])
    taken = 0.0
    if reason == "out":
        economy.flows.persons_out += float((households.weight[rows] * households.size[rows]).sum())
        taken = float(net.sum())
        economy.ledger.pay(HOUSEHOLDS, REST_OF_WORLD, taken, "out_migrant_savings")
    else:
        # the estate passes to a random remaining household (a transfer within households)
        stays = np.ones(households.n, dtype=bool)
        stays[rows] = False
        heir = economy.rng.choice(np.flatnonzero(stays), size=len(rows))
        np.add.at(households.savings_yuan, heir, np.maximum(net, 0) / households.weight[heir])
        np.add.at(households.debt_yuan, heir, np.maximum(-net, 0) / households.weight[heir])
    # their contracted plots stay with their villages and lie idle
    economy.agents.drop("households", rows)
    # the table fills the holes with its last rows: their agents move with them
    moved_from, moved_to = households.kill(rows)
    economy.agents.move("households", moved_from, moved_to)
    return taken


@lru_cache(maxsize=16)
def _zone_shares(params: Params) -> tuple[np.ndarray, np.ndarray | None]:
    """Where arrivals settle: the zones' shares of the 2010 population, and what ``choose``
    draws with for them (parameters do not change: worked out once for each set)."""
    zone_population = np.asarray(params.zones.population_2010, dtype=float)
    shares = zone_population / zone_population.sum()
    cdf = cumulative(shares)
    for shared in (shares, cdf):
        if shared is not None:
            shared.setflags(write=False)  # (handed to every run with these parameters)
    return shares, cdf


def arrive(
    economy: Economy, count: int, skill: int | None = None, urban: bool | None = None
) -> Arrivals:
    """New household agents arriving from outside, with the savings they bring.

    ``skill`` and ``urban``, when given, fix those attributes (recruited graduates,
    returning entrepreneurs); otherwise they are drawn like the city's own.
    """
    if count <= 0:
        return Arrivals(np.empty(0, dtype=np.int64), 0.0, 0.0)
    params, households, rng = economy.params, economy.households, economy.rng
    shares, cdf = _zone_shares(params)
    zone = choose_from(rng, shares, cdf, count)
    if urban is None:
        is_urban = rng.random(count) < params.migration.in_migrant_urban_share
    else:
        is_urban = np.full(count, urban)
    size, workers, elderly, drawn, rural_hukou = draw_households(params, rng, zone, is_urban)
    if skill is None:
        skills = np.minimum(drawn + (rng.random(count) < params.migration.in_migrant_skill_up), 3)
    else:
        skills = np.full(count, skill)
        workers = np.maximum(workers, 1)
        elderly = np.minimum(elderly, size - workers)
    savings = (
        economy.labour.skill_wage[skills]
        * np.maximum(workers, 1)
        * 0.5
        * rng.lognormal(0, 0.5, count)
    )
    rows = households.add(
        count,
        alive=True,
        weight=economy.scale,
        zone=zone,
        urban=is_urban,
        rural_hukou=rural_hukou,
        collective=-1,
        size=size,
        workers=workers,
        elderly=elderly,
        skill=skills,
        job=np.where(workers > 0, UNEMPLOYED, NO_WORKERS),
        employer=-1,
        savings_yuan=savings,
        farm_tfp=economy.productivity.farm_level,
    )
    economy.agents.add("households", rows)
    brought = float((economy.scale * savings).sum())
    economy.ledger.pay(REST_OF_WORLD, HOUSEHOLDS, brought, "in_migrant_savings")
    persons = float(economy.scale * size.sum())
    economy.flows.persons_in += persons
    return Arrivals(rows, persons, brought)
