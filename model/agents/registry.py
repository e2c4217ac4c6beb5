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

A run does not even need the objects: the systems work on the tables, and an agent object is
only a window on its row. On a :class:`TableAgentModel` (the reform model is one) the
:class:`AgentRegistry` first keeps each row's agent id alone, and makes the objects, all at
once and in their places, when someone first reads ``model.agents``, ``agents_by_type`` or
the agents by row; from then on it keeps objects as above. Ids are given when rows are made,
so what a reader finds does not depend on when it looked (``tests/test_lazy_agents.py``). At
one agent per household this saves a run the making and letting go of about 770,000 objects
and a third of its memory.
"""

from __future__ import annotations

import copy
import gc
from collections.abc import Iterable
from operator import attrgetter
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


AGENT_BYTES = 480  # a Mesa agent, its entries in the agent sets and in the registry by row


class TableAgentModel(mesa.Model):
    """A Mesa model whose table agents may wait to be made until someone looks at them.

    Every household, firm and collective is registered the moment its row is made: it has
    its ``unique_id`` then, drawn from the model's counter in the same sequence as ever. The
    Python object Mesa holds for it, though, is made only when ``agents``,
    ``agents_by_type`` or the registry's agents by row are first read (nothing in a run reads
    them: the systems work on the tables). From then on the registry keeps the objects in
    step with the tables as before. What a reader finds is what it would have found had the
    objects been made all along: the same agents with the same ids, rows and order."""

    _agent_registry: AgentRegistry | None = None

    def _make_agents(self) -> None:
        if self._agent_registry is not None:
            self._agent_registry.materialize()

    @property
    def agents(self) -> AbstractAgentSet:
        self._make_agents()
        return self._all_agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], AbstractAgentSet]:
        self._make_agents()
        return self._agents_by_type

    def remove_all_agents(self) -> None:
        self._make_agents()
        super().remove_all_agents()


class AgentRegistry:
    """The Mesa agents of the table-backed types, by table row, and the door to Mesa's
    registry on the model (``model/population.py`` and ``model/turnover.py`` keep both in
    step with the tables as agents arrive, leave and move rows).

    ``classes`` names each kind of table agent (``"households"``, ``"firms"``,
    ``"collectives"``) and its class. On a :class:`TableAgentModel` the registry holds only
    each row's agent id until someone reads the agents (:meth:`materialize`); on any other
    model, or when a listener or a data registry wants every agent's call, it makes and
    registers each agent as it comes."""

    def __init__(self, model: mesa.Model, classes: dict[str, type[TableAgent]]):
        self._model = model
        self._classes = dict(classes)
        # before the agents are made: each row's agent id (-1: no agent), and how many
        self._ids = {kind: np.full(0, -1, dtype=np.int64) for kind in self._classes}
        self._counts = dict.fromkeys(self._classes, 0)
        # once made: each kind's agents by row
        self._by_row: dict[str, dict[int, TableAgent]] | None = None
        if not isinstance(model, TableAgentModel):
            self._by_row = {kind: {} for kind in self._classes}
        model._agent_registry = self

    @property
    def deferred(self) -> bool:
        """Whether the agents' objects are yet to be made."""
        return self._by_row is None

    def _may_defer(self, cls: type[TableAgent], signal: tuple) -> bool:
        return (
            self._by_row is None
            and cls.__init__ is TableAgent.__init__
            and _fast_path(self._model, cls, signal)
        )

    def add(self, kind: str, rows: Iterable[int]) -> None:
        """Agents for the new table ``rows`` of ``kind``, registered with the model with the
        next ids, in row order."""
        cls = self._classes[kind]
        if not self._may_defer(cls, _ADDED):
            by_row = self.by_row(kind)
            made = create(self._model, cls, rows)
            by_row.update(zip((agent.row for agent in made), made, strict=True))
            return
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return
        model = self._model
        if cls not in model._agents_by_type:  # the type's set, in its place among the types
            model._agents_by_type[cls] = type(model._all_agents)([], random=model.random)
        ids = self._ids[kind]
        need = int(rows.max()) + 1
        if need > len(ids):
            grown = np.full(max(need, int(len(ids) * 1.5) + 16), -1, dtype=np.int64)
            grown[: len(ids)] = ids
            ids = self._ids[kind] = grown
        first = model.agent_id_counter
        ids[rows] = np.arange(first, first + len(rows))
        model.agent_id_counter = first + len(rows)
        self._counts[kind] += len(rows)

    def drop(self, kind: str, rows: np.ndarray) -> None:
        """The agents of ``rows`` of ``kind`` leave the model (rows without one are passed
        over). Call before the table moves rows (:meth:`move`)."""
        cls = self._classes[kind]
        if not self._may_defer(cls, _REMOVED):
            by_row = self.by_row(kind)
            gone = (by_row.pop(row, None) for row in np.asarray(rows).tolist())
            remove(self._model, [agent for agent in gone if agent is not None])
            return
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) > 1 and not (rows[1:] > rows[:-1]).all():
            rows = np.unique(rows)  # (a row named twice has one agent to let go)
        ids = self._ids[kind]
        rows = rows[rows < len(ids)]
        self._counts[kind] -= int(np.count_nonzero(ids[rows] >= 0))
        ids[rows] = -1

    def move(self, kind: str, moved_from: np.ndarray, moved_to: np.ndarray) -> None:
        """The agents of rows ``moved_from`` now own rows ``moved_to`` (a compact table
        filled its holes)."""
        if self._by_row is None:
            ids = self._ids[kind]
            ids[moved_to] = ids[moved_from]
            ids[moved_from] = -1
            return
        by_row = self._by_row[kind]
        moved = list(map(by_row.pop, moved_from.tolist()))
        destinations = moved_to.tolist()
        for agent, row in zip(moved, destinations, strict=True):
            agent.row = row
        by_row.update(zip(destinations, moved, strict=True))

    def count(self, kind: str) -> int:
        """How many agents of ``kind`` the model holds."""
        return self._counts[kind] if self._by_row is None else len(self._by_row[kind])

    def by_row(self, kind: str) -> dict[int, TableAgent]:
        """The agents of ``kind`` by table row (made now if they were not yet)."""
        self.materialize()
        return self._by_row[kind]

    @property
    def households(self) -> dict[int, TableAgent]:
        return self.by_row("households")

    @property
    def firms(self) -> dict[int, TableAgent]:
        return self.by_row("firms")

    @property
    def collectives(self) -> list[TableAgent]:
        return list(self.by_row("collectives").values())

    def nbytes(self) -> int:
        """What the registry's agents occupy, roughly."""
        if self._by_row is None:
            return sum(ids.nbytes for ids in self._ids.values())
        return AGENT_BYTES * sum(map(len, self._by_row.values()))

    def materialize(self) -> None:
        """Make the agents not yet made and enter them in the model's agent sets, each in
        its place by id: the same objects, ids, rows and order as had each been made when
        its row was."""
        if self._by_row is not None:
            return
        model = self._model
        by_row: dict[str, dict[int, TableAgent]] = {}
        made: list[TableAgent] = []
        new = object.__new__
        paused = gc.isenabled()
        gc.disable()  # (as in create: many new objects, none garbage)
        try:
            for kind, cls in self._classes.items():
                ids = self._ids[kind]
                rows = (ids >= 0).nonzero()[0]
                agents = []
                for row, uid in zip(rows.tolist(), ids[rows].tolist(), strict=True):
                    agent = new(cls)
                    agent.model = model
                    agent.unique_id = uid
                    agent.pos = None
                    agent.row = row
                    agents.append(agent)
                by_row[kind] = dict(zip(rows.tolist(), agents, strict=True))
                if agents:
                    store = model._agents_by_type[cls]._agents
                    _enter_by_id(store, agents)
                made.extend(agents)
        finally:
            if paused:
                gc.enable()
        _enter_by_id(model._all_agents._agents, made)
        self._by_row = by_row
        self._ids = {kind: np.full(0, -1, dtype=np.int64) for kind in self._classes}

    def copy_for(self, target: mesa.Model, copies: dict) -> AgentRegistry:
        """The registry of a copied economy on ``target``: its agents (``copies``, by
        original, as :func:`copy_agents` returns them; none if they were not yet made) by
        the same rows."""
        twin = AgentRegistry(target, self._classes)
        if self._by_row is None:
            if twin._by_row is not None:
                raise ValueError("copy_for: make the agents first (materialize) for this target")
            twin._ids = {kind: ids.copy() for kind, ids in self._ids.items()}
            twin._counts = dict(self._counts)
            return twin
        copy_of = copies.__getitem__
        twin._by_row = {
            kind: dict(zip(agents, map(copy_of, agents.values()), strict=True))
            for kind, agents in self._by_row.items()
        }
        return twin


def _enter_by_id(store: dict, agents: list) -> None:
    """Enter ``agents`` in an agent set's dict, all of its entries then ordered by id (the
    order they would hold had each been entered when its id was given)."""
    everything = [*store, *agents]
    everything.sort(key=attrgetter("unique_id"))
    store.clear()
    store.update(dict.fromkeys(everything))
