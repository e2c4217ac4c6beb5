"""Approvals as a queue: each zone's offices serve the applications firms file.

An application is a new firm's founding, an incumbent's expansion project, or a request for
construction land. Each passes through ``layers`` of administration and is signed off by
``departments`` there, one after another before the reform (all at once through one window
after it): that is its processing time. A zone's administrative staff can handle so many
sign-offs a quarter; the load of the offices is the sign-offs asked of them over what they
can handle. As in a queue with random arrivals, a file waits longer the busier the offices:
its approval takes its processing time over (1 - load). Beyond ``queues.MAX_LOAD`` they are
saturated and a backlog carries over, to be worked off at the rate they serve.
``approval_days`` therefore rises when applications surge or staff are cut, and falls when
layers and departments merge or files go through one window. Staff handle more sign-offs as
the economy's productivity trend rises (the household producers' index: experience,
equipment), so a city that grows at that trend keeps its approval times.

A new firm starts only once it is approved (``model/turnover.py``); incumbents carry out
their expansion projects more slowly while approvals are slow (``agents/firm.py``). Each
zone's sign-off time and staff productivity are set so that in 2010 its approval time is its
2010 figure (``zones.approval_days_2010``) at the applications filed then, of which
``administration.processing_share_2010`` is processing and the rest waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.agents import household
from model.markets.labour import public_staff_targets
from model.queues import serve

if TYPE_CHECKING:
    from model.economy import Economy


@dataclass
class ApprovalResult:
    applications: np.ndarray  # by zone, this quarter's arrivals (real applications)
    served: np.ndarray  # by zone
    backlog: np.ndarray  # by zone, carried to the next quarter
    approval_days: np.ndarray  # by zone


def processing_days(zone, one_window: float) -> float:
    """Days a file spends being signed off: department after department, or all at once
    through one window (``one_window`` is the share of files handled that way)."""
    sequential = zone.layers * zone.departments * zone.signoff_days
    together = zone.layers * zone.signoff_days * (1 + zone.one_window_overhead)
    return (1 - one_window) * sequential + one_window * together


def capacity(zone, trend: float = 1.0) -> float:
    """Applications a zone's offices can serve in a quarter; ``trend`` is the economy's
    productivity since 2010, which the offices share (experience, equipment)."""
    return zone.admin_staff * zone.productivity * trend / (zone.layers * zone.departments)


def assign_staff(economy: Economy) -> float:
    """The city's administrative staff (its norm, as far as its public workers go), shared
    among the zones' offices: by their 2010 population while each zone runs its own
    administration, and, as far as one government has replaced them
    (``rules.staff_by_workload``), by the files waiting at each. Returns the real workers."""
    admin_target = public_staff_targets(economy)[0]
    staff = min(household.public_workers(economy), admin_target)
    population = np.asarray(economy.params.zones.population_2010, dtype=float)
    share = population / population.sum()
    waiting = np.array([zone.applications + zone.backlog for zone in economy.zones])
    redeployed = economy.rules.staff_by_workload
    if redeployed > 0 and waiting.sum() > 0:
        share = (1 - redeployed) * share + redeployed * waiting / waiting.sum()
    for zone, part in zip(economy.zones, share, strict=True):
        zone.admin_staff = staff * part
    return staff


def update(economy: Economy) -> ApprovalResult:
    """Serve last quarter's applications; set each zone's approval time for this quarter."""
    zones = economy.zones
    rules = economy.rules
    for zone in zones:
        zone.organise(rules.layers_merged, rules.departments_merged)
        zone.note_workload()
    assign_staff(economy)
    arrivals = np.array([zone.applications for zone in zones])
    served, backlog, days = np.zeros(len(zones)), np.zeros(len(zones)), np.zeros(len(zones))
    for z, zone in enumerate(zones):
        can_serve = max(capacity(zone, economy.productivity.household_index), 1e-9)
        waiting = zone.applications + zone.backlog
        processing = processing_days(zone, rules.one_window_share)
        served[z], backlog[z], days[z] = serve(waiting, can_serve, processing)
        zone.backlog = backlog[z]
        zone.approval_days = days[z]
        zone.applications = 0.0
    return ApprovalResult(arrivals, served, backlog, days)


def file(economy: Economy, zone_of: np.ndarray, weight: np.ndarray) -> None:
    """Applications filed this quarter (``weight`` real applications in zone ``zone_of``),
    served from the next quarter on."""
    filed = np.bincount(zone_of, weights=weight, minlength=len(economy.zones))
    for zone, count in zip(economy.zones, filed.tolist(), strict=True):
        zone.applications += count


def set_up(economy: Economy, applications_2010: np.ndarray) -> None:
    """Each zone's sign-off time and staff productivity, so that at 2010's applications its
    approval takes its 2010 days."""
    admin = economy.params.administration
    load_2010 = 1 - admin.processing_share_2010  # days = processing / (1 - load)
    for zone, arrivals in zip(economy.zones, applications_2010, strict=True):
        processing = admin.processing_share_2010 * zone.approval_days_2010
        signoffs = zone.layers_2010 * zone.departments_2010
        zone.signoff_days = processing / signoffs
        zone.productivity = max(arrivals, 1e-9) * signoffs / (load_2010 * zone.admin_staff)
        zone.applications = float(arrivals)
        zone.approval_days = zone.approval_days_2010
