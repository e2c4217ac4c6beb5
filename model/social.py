"""Social management: the city's community staff, and the disputes land requisition brings.

When the city requisitions farmland, part of it is contested by the households that lose it:
the less a household is paid per mu, relative to 2010, the larger that part
(``social.dispute_share_2010``, ``social.dispute_compensation_elasticity``). Contested land
is not converted until the dispute is settled. The city's social-management staff (grid and
community workers, a share of its public posts, more of them under the social-management
reform) settle disputes at a rate set in 2010: at 2010's contested land they are
``social.dispute_load_2010`` busy with it. Like any queue, a dispute takes longer the busier
they are; beyond ``queues.MAX_LOAD`` the rest waits for the next quarter. The land held up in
disputes delays what the city can supply to firms, and the days a dispute takes are recorded.

The staff are public workers like any other: the budget pays their wages, and they are not
counted among the staff who deliver public services (``model/services.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model import queues
from model.agents import household
from model.calibration.synth import MU_PER_KM2

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class DisputeResult:
    contested_mu: float  # requisitioned land contested this quarter
    settled_mu: float  # contested land settled this quarter (and converted)
    waiting_mu: float  # contested land still waiting at the quarter's end
    dispute_days: float  # days a dispute takes this quarter
    staff: float  # real workers in social management


def staff_target(economy: Economy, per_resident_posts: float) -> float:
    """Social-management posts: the 2010 share of the public staffing norm, times what the
    social-management reform adds (``rules.social_staff_factor``)."""
    share = economy.params.social.staff_share_of_public
    return per_resident_posts * share * economy.rules.social_staff_factor


def contested_share(economy: Economy) -> float:
    """Share of requisitioned land its households contest, from what they are paid per mu
    (in 2010 prices) against 2010."""
    rules, params = economy.rules, economy.params
    paid = rules.compensation_yuan_per_mu * rules.compensation_household_share
    paid_2010 = params.land.compensation_yuan_per_mu * params.land.compensation_household_share
    social = params.social
    share = social.dispute_share_2010 * (paid_2010 / paid) ** social.dispute_compensation_elasticity
    return min(share, 1.0)


def assign_staff(economy: Economy, public_workers: float | None = None) -> float:
    """The public workers in social management: its posts, as far as the public workers not
    in administration go (``public_workers``: all real public workers, when already at
    hand). Returns the real workers."""
    posts = economy.city.target_public_per_capita * household.population(economy)
    admin_staff = sum(zone.admin_staff for zone in economy.zones)
    public = household.public_workers(economy) if public_workers is None else public_workers
    economy.social.staff = min(max(public - admin_staff, 0.0), staff_target(economy, posts))
    return economy.social.staff


def settle(economy: Economy, planned_mu: np.ndarray) -> tuple[np.ndarray, DisputeResult]:
    """This quarter's requisition by zone after disputes: the uncontested part of what the
    city planned, and the contested land of earlier quarters the staff settle now."""
    state = economy.social
    capacity = max(state.staff * state.settled_per_staff, 1e-9)
    waiting = state.waiting_mu
    total_waiting = float(waiting.sum())
    mediation = economy.params.social.mediation_days_2010
    settled_total, _, days = queues.serve(total_waiting, capacity, mediation)
    settled = waiting * (settled_total / total_waiting) if total_waiting > 0 else waiting * 0.0
    contested = planned_mu * contested_share(economy)
    state.waiting_mu = waiting - settled + contested
    result = DisputeResult(
        contested_mu=float(contested.sum()),
        settled_mu=settled_total,
        waiting_mu=float(state.waiting_mu.sum()),
        dispute_days=days,
        staff=state.staff,
    )
    return planned_mu - contested + settled, result


def set_up(economy: Economy) -> None:
    """The rate at which a staff member settles disputes: at 2010's requisition, its
    contested land keeps the 2010 staff ``social.dispute_load_2010`` busy."""
    params, state = economy.params, economy.social
    posts = economy.city.target_public_per_capita * household.population(economy)
    state.staff = staff_target(economy, posts)
    contested_2010 = (
        params.social.dispute_share_2010 * params.land.requisition_per_year_km2 * MU_PER_KM2 / 4
    )
    capacity = contested_2010 / params.social.dispute_load_2010
    state.settled_per_staff = capacity / max(state.staff, 1e-9)
