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

import copy
import gc
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
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
    # (an integer array's ``tolist`` gives the same Python ints, at once)
    whole = isinstance(rows, np.ndarray) and rows.dtype.kind in "iu"
    rows = rows.tolist() if whole else [int(r) for r in rows]
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


# what a table agent holds, in the order its constructor (and create) sets it: Mesa's
# model, unique_id and pos, and its row
_TABLE_AGENT_FIELDS = ("model", "unique_id", "pos", "row")


def can_copy(source: mesa.Model, target: mesa.Model) -> bool:
    """Whether :func:`copy_agents` can copy ``source``'s agents into ``target``: the target
    holds no agent yet, nobody listens to its agent signals, and no agent type feeds a data
    registry (the copies would otherwise owe them calls that a copy does not make)."""
    if len(target._all_agents) or target.agent_id_counter != 1:
        return False
    if _ADDED in getattr(target, "subscribers", {}) or getattr(target, "_batch_context", None):
        return False
    if any(cls._datasets for cls in source._agents_by_type):
        return False
    return (
        _agent_dict(source._all_agents) is not None and _agent_dict(target._all_agents) is not None
    )


def copy_agents(source: mesa.Model, target: mesa.Model, memo: dict[int, Any]) -> dict:
    """Copy every agent of ``source`` into ``target``, a fresh model (:func:`can_copy`),
    and return the copies by original: the same ``unique_id``s, in the same order in the
    model's agent set and in each type's, so that ``target`` is registered exactly as
    ``source`` is.

    A table agent that holds only its row and identity is copied in a few steps; any other
    agent (a zone, the city) is deep-copied with ``memo`` (as ``copy.deepcopy`` takes it,
    mapping ``source`` to ``target``), and entered in it, so that a deep copy of what refers
    to it refers to the copy."""
    if memo.get(id(source)) is not target:
        raise ValueError("copy_agents: memo must map the source model to the target")
    agents = list(source._all_agents._agents)
    # a table agent is copied in a few steps if every one holds only the four fields its
    # constructor sets (counted in one pass; a table agent holding another field in place
    # of one of them fails loudly below, as the classes define none of the four);
    # otherwise every agent is deep-copied
    kinds = source._agents_by_type
    table_kinds = [cls for cls in kinds if issubclass(cls, TableAgent)]
    sizes: set[int] = set()
    for cls in table_kinds:
        sizes.update(map(len, map(vars, kinds[cls])))
    plain = sizes <= {len(_TABLE_AGENT_FIELDS)}
    quick = {cls: plain and issubclass(cls, TableAgent) for cls in kinds}
    new = object.__new__
    copies = []
    paused = gc.isenabled()
    gc.disable()  # (as in create: hundreds of thousands of new objects, none garbage)
    try:
        for agent in agents:
            kind = type(agent)
            if quick[kind]:
                twin = new(kind)
                twin.model = target
                twin.unique_id = agent.unique_id
                twin.pos = agent.pos
                twin.row = agent.row
            else:
                twin = memo[id(agent)] = copy.deepcopy(agent, memo)
            copies.append(twin)
    finally:
        if paused:
            gc.enable()
    originals = dict(zip(agents, copies, strict=True))
    copy_of = originals.__getitem__
    agent_set = type(target._all_agents)
    target._all_agents._agents.update(dict.fromkeys(copies))
    for cls, members in source._agents_by_type.items():
        target._agents_by_type[cls] = agent_set(map(copy_of, members._agents), random=target.random)
    target.agent_id_counter = source.agent_id_counter
    return originals


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

    def copy_for(self, target: mesa.Model, copies: dict) -> AgentRegistry:
        """The registry of a copied economy: ``copies`` (by original, as
        :func:`copy_agents` returns them) by the same rows, on ``target``."""
        copy_of = copies.__getitem__
        twin = AgentRegistry(target)
        households, firms = self.households, self.firms
        twin.households = dict(zip(households, map(copy_of, households.values()), strict=True))
        twin.firms = dict(zip(firms, map(copy_of, firms.values()), strict=True))
        twin.collectives = list(map(copy_of, self.collectives))
        return twin
