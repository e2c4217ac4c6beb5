"""Wages: skill wages follow prices, productivity and how tight the labour market is; each
worker is paid by the job it holds.

Two steps a quarter: :func:`adjust` moves the skill wages before the labour market, and
:func:`assign` pays each worker the wage of the job the market left it in (a public post and
a Wuhan job pay by skill; a firm pays the skill wage times its sector's premium, less for a
rural-registered worker).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import row_split
from model.agents.household import COMMUTE_WUHAN, JOB_NAMES, PUBLIC_JOB, unemployment_rate

if TYPE_CHECKING:
    from model.economy import Economy


# the quarters of 2010, the calibrated year every run starts with
CALIBRATION_QUARTERS = 4


@dataclass
class WageAdjustment:
    """How wages moved this quarter."""

    factor: float  # this quarter's skill wages over last quarter's
    unemployment_smoothed: float  # the unemployment rate wage setters saw


def adjust(economy: Economy) -> WageAdjustment:
    """Skill wages follow prices, productivity and labour-market tightness."""
    params, world, labour = economy.params, economy.world, economy.labour
    t = economy.clock.t
    capital = economy.sectors.capital_elasticity
    cpi_growth = world.cpi[t] / world.cpi[t - 1] if t > 0 else 1.0
    productivity_growth = (
        params.firms.tfp_growth_share * world.national_real_growth[t] + params.firms.catch_up_growth
    ) / (1 - float(capital.sum() / capital.size))  # (their mean, as ``np.mean`` forms it)
    smoothing = params.labour.wage_smoothing
    rate = unemployment_rate(economy)
    labour.unemployment_smoothed = (1 - smoothing) * labour.unemployment_smoothed + smoothing * rate
    if t < CALIBRATION_QUARTERS:
        # 2010, the year the city is calibrated to: its wages were set for its own labour
        # market, so they answer no tightness then, and 2010's unemployment (the mean of its
        # quarters, however many jobless the synthesis happened to leave) is where they hold
        # afterwards
        labour.unemployment_normal = (labour.unemployment_normal * t + rate) / (t + 1)
        tight = 0.0
    else:
        normal = labour.unemployment_normal
        cap = params.labour.wage_adjust_cap
        push = params.labour.wage_adjust * (normal - labour.unemployment_smoothed) / normal
        tight = min(max(push, -cap), cap)  # (``np.clip`` of one number)
    factor = (
        cpi_growth**params.labour.wage_indexation * (1 + productivity_growth) ** 0.25 * (1 + tight)
    )
    labour.skill_wage = labour.skill_wage * factor
    economy.city.public_wage_yuan *= float(factor)  # (one number: its own mean)
    return WageAdjustment(float(factor), labour.unemployment_smoothed)


def assign(economy: Economy, employer_bin: np.ndarray | None = None) -> None:
    """Each worker's annual wage in the current job (none for the others); ``employer_bin``:
    each live household's employer row + 1, when already at hand."""
    params, households, firms = economy.params, economy.households, economy.firms
    labour = economy.labour
    wuhan = (
        params.labour.wuhan_wage_ratio_2010
        * np.asarray(params.skills.wage_2010_yuan)
        * economy.world.wuhan_wage[economy.clock.t]
        * (1 - economy.rules.commute_cost_share)
    )
    n_skills = len(labour.skill_wage)
    by_job = np.zeros((len(JOB_NAMES), n_skills))
    by_job[PUBLIC_JOB] = economy.city.public_wage_yuan
    by_job[COMMUTE_WUHAN] = wuhan
    live = households.rows()
    # premium by employer + 1 (0 for households without a firm job)
    premium = np.concatenate(([0.0], economy.sectors.wage_premium.take(firms.sector[: firms.n])))
    # a rural registrant is paid less than a town registrant of the same skill by a firm:
    # informal contracts, smaller private employers, no bargaining through a town work unit
    registration = np.array([1.0, params.labour.rural_hukou_wage_ratio])
    # the skill wage times the registration's ratio, for each (skill, registration): the
    # same products as forming them row by row, looked up with one index
    firm_pay_by_skill = np.multiply.outer(labour.skill_wage, registration).ravel()
    pay_by_job = by_job.ravel()
    if employer_bin is None:
        employer_bin = households.employer[live] + 1

    def part(rows: slice) -> None:  # (row by row: model/row_split.py)
        skill = households.skill[rows]
        pay_index = np.multiply(skill, len(registration), dtype=np.intp)
        pay_index += households.rural_hukou[rows].view(np.int8)
        firm_pay = firm_pay_by_skill.take(pay_index)
        firm_pay *= premium.take(employer_bin[rows])
        # (the pay index, read for the last time above, takes the job index)
        job_index = np.multiply(households.job[rows], n_skills, dtype=np.intp, out=pay_index)
        job_index += skill
        np.add(pay_by_job.take(job_index), firm_pay, out=households.wage_yuan[rows])

    row_split.over_rows(households.n, part)


def wuhan_pull(economy: Economy) -> float:
    """Wuhan's wage against Ezhou's, relative to 2010 (1 = as in 2010)."""
    params = economy.params
    wuhan = (
        params.labour.wuhan_wage_ratio_2010
        * economy.world.wuhan_wage[economy.clock.t]
        * np.asarray(params.skills.wage_2010_yuan)[1]
    )
    ratio = float(wuhan / economy.labour.skill_wage[1] / params.labour.wuhan_wage_ratio_2010)
    return ratio / economy.labour.wuhan_pull_2010


def trip_cost_index(economy: Economy) -> float:
    """What a trip between the city and Wuhan costs (time and fare), 2010 = 1: the commuting
    cost share of a Wuhan wage against its 2010 value."""
    return economy.rules.commute_cost_share / economy.params.labour.commute_cost_share
