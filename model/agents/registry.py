"""Creating and removing many table-backed agents at once.

Every household, firm and collective is a Mesa agent: it has a ``unique_id``, sits in
``model.agents`` and ``model.agents_by_type`` and can be inspected one by one. Mesa keeps its
registry on the model; the systems, which take the economy and never the model, reach it
through the :class:`AgentRegistry` the economy holds. Mesa registers
agents one call at a time, and each call formats a log message and passes the signal machinery
even when nobody listens; at one agent per real household (about 340,000 at the start and a
few thousand arriving and leaving each quarter) that bookkeeping alone took longer than a
quarter of the simulation.

:func:`create` and :func:`remove` do the same bookkeeping for a whole batch: the same
``unique_id`` sequence, the same agent sets in the same order, the same attributes. They take
the fast path only when nothing could tell the difference, that is, when no one subscribes to
the model's agent signals, no signal batch is open and the agent class feeds no data registry;
otherwise they fall back to Mesa's own one-by-one calls. ``tests/test_mechanisms.py`` checks
that both paths leave the model in the same state.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import mesa
from mesa.model import ModelSignals

if TYPE_CHECKING:
    from mesa.agentset import AbstractAgentSet

_ADDED = ("agents", ModelSignals.AGENT_ADDED)
_REMOVED = ("agents", ModelSignals.AGENT_REMOVED)


def _agent_dict(agent_set: AbstractAgentSet) -> dict | None:
    store = getattr(agent_set, "_agents", None)
    return store if type(store) is dict else None


def _fast_path(model: mesa.Model, cls: type[mesa.Agent], signal: tuple) -> bool:
    """True when registering in bulk is indistinguishable from Mesa's own calls."""
    if cls._datasets or signal in getattr(model, "subscribers", {}):
        return False
    if getattr(model, "_batch_context", None) is not None:
        return False
    # the registration methods must be Mesa's (a model that overrides them wants its calls)
    kind = type(model)
    if kind.register_agent is not mesa.Model.register_agent:
        return False
    if kind.deregister_agent is not mesa.Model.deregister_agent:
        return False
    return _agent_dict(model._all_agents) is not None


class TableAgent(mesa.Agent):
    """An agent whose state is one row of a column table; it holds only its row number."""

    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = int(row)


def create(model: mesa.Model, cls: type[TableAgent], rows: Iterable[int]) -> list[Any]:
    """Agents of ``cls`` for table ``rows``, registered with ``model``; the same as
    ``cls(model, row)`` for each row, in order."""
    if cls.__init__ is not TableAgent.__init__:
        raise TypeError(f"{cls.__name__} must keep TableAgent's constructor to be created in bulk")
    rows = [int(r) for r in rows]
    if not rows:
        return []
    if not _fast_path(model, cls, _ADDED):
        return [cls(model, row) for row in rows]
    by_type = model._agents_by_type.get(cls)
    if by_type is None:  # the first agent of a type creates its set through Mesa
        first = cls(model, rows[0])
        return [first, *create(model, cls, rows[1:])]
    if _agent_dict(by_type) is None:
        return [cls(model, row) for row in rows]
    new = cls.__new__
    uid = model.agent_id_counter
    agents = []
    # what Agent.__init__ and Model.register_agent set, in the same order; the collector
    # is paused meanwhile, since every new agent would otherwise count towards a full sweep
    # of all the others
    paused = gc.isenabled()
    gc.disable()
    try:
        for offset, row in enumerate(rows):
            agent = new(cls)
            agent.model = model
            agent.unique_id = uid + offset
            agent.pos = None
            agent.row = row
            agents.append(agent)
    finally:
        if paused:
            gc.enable()
    model.agent_id_counter = uid + len(rows)
    added = dict.fromkeys(agents)
    model._all_agents._agents.update(added)
    by_type._agents.update(added)
    return agents


def remove(model: mesa.Model, agents: list[mesa.Agent]) -> None:
    """Remove ``agents`` from ``model`` (``agent.remove()`` for each)."""
    if not agents:
        return
    kinds = {type(a) for a in agents}
    if not all(_fast_path(model, k, _REMOVED) for k in kinds) or any(
        k not in model._agents_by_type or _agent_dict(model._agents_by_type[k]) is None
        for k in kinds
    ):
        for agent in agents:
            agent.remove()
        return
    every = model._all_agents._agents
    by_type = {k: model._agents_by_type[k]._agents for k in kinds}
    for agent in agents:
        # an agent that was never registered is ignored, as Mesa's own remove does
        if by_type[type(agent)].pop(agent, False) is None:
            del every[agent]


class AgentRegistry:
    """The Mesa agents of the table-backed types, by table row, and the door to Mesa's
    registry on the model (``model/population.py`` and ``model/turnover.py`` keep both in
    step with the tables as agents arrive, leave and move rows)."""

    def __init__(self, model: mesa.Model):
        self._model = model
        self.households: dict[int, TableAgent] = {}
        self.firms: dict[int, TableAgent] = {}
        self.collectives: list[TableAgent] = []

    def create(self, cls: type[TableAgent], rows: Iterable[int]) -> list[Any]:
        """New agents of ``cls`` for table ``rows``, registered with the model."""
        return create(self._model, cls, rows)

    def remove(self, agents: list[mesa.Agent]) -> None:
        """Take ``agents`` out of the model's registry."""
        remove(self._model, agents)
