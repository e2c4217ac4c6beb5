"""Offices that serve a queue each quarter: the approval offices (``model/approvals.py``) and
the social-management staff who settle land disputes (``model/social.py``).

What waits is served up to ``MAX_LOAD`` of what the staff can handle in a quarter; the rest
carries over. As in a queue with random arrivals, a case takes its service time over
(1 - load), and a backlog adds the time to work it off at the rate the staff serve.
"""

from __future__ import annotations

DAYS_PER_QUARTER = 91.0
MAX_LOAD = 0.95  # served at most this close to capacity; the rest carries over


def serve(waiting: float, capacity: float, service_days: float) -> tuple[float, float, float]:
    """One quarter of a queue: (served, left waiting, days a case takes), from what waits,
    what the staff can serve in the quarter (positive) and a case's own service time."""
    served = min(waiting, MAX_LOAD * capacity)
    backlog = waiting - served
    load = served / capacity
    days = service_days / (1 - load) + DAYS_PER_QUARTER * backlog / max(served, 1e-9)
    return served, backlog, days
