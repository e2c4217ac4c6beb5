"""Who gains: the distribution of income, wealth and land among residents at each year's end.

For the city, its urban and its rural residents, and the residents of each zone, persons are
ranked by their household's disposable income per head over the year
(annualised for households that arrived during it) and cut into ten deciles of equal
population. For each decile: mean income per head, the income at its upper edge, and the
mean financial wealth (savings less debt) and contracted farmland per head of the same
persons; for the group: mean income, the Gini coefficient and the share of persons below the
national rural poverty line of the year. An agent stands for many households of the same
state, so it is split across a decile edge in proportion (the figures do not depend on how
coarse agents are). Money is nominal yuan of the year; ``cpi`` (2010 = 1) deflates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.economy import Economy

DECILES = 10
ALL = "all"


def poverty_line_yuan(economy: Economy, year: int, cpi: float) -> float:
    """The national rural poverty line of ``year`` in nominal yuan per person: the 2010
    standard in 2010, and from 2011 the standard set in 2011 at 2010 prices, at the year's
    consumer prices."""
    households = economy.params.households
    if year < 2011:
        return float(households.poverty_line_2010_yuan)
    return float(households.poverty_line_2011_yuan_2010_prices) * cpi


def cumulative_from_zero(values: np.ndarray) -> np.ndarray:
    """``[0, values[0], values[0] + values[1], ...]``: the running total with a zero in
    front, written in place rather than concatenated (the same sums as ``np.cumsum``)."""
    cumulative = np.empty(len(values) + 1)
    cumulative[0] = 0.0
    np.cumsum(values, out=cumulative[1:])
    return cumulative


# the columns of the distribution table, in order (the run's seed goes first)
GROUP_COLUMNS = (
    "year",
    "residence",
    "zone",
    "group_persons",
    "group_income_per_capita_yuan",
    "gini",
    "poverty_line_yuan",
    "poverty_share",
    "cpi",
)
DECILE_COLUMNS = ("decile", "persons", "income_upper_yuan", "income_per_capita_yuan")
LABEL_COLUMNS = ("residence", "zone")
_DECILE_NUMBERS = tuple(range(1, DECILES + 1))
_STEPS = np.arange(DECILES + 1)  # the decile edges' steps, in tenths of the persons


def decile_figures(
    income: np.ndarray,
    persons: np.ndarray,
    others: dict[str, np.ndarray],
    income_cumulative: np.ndarray | None = None,
) -> dict[str, list[float]]:
    """The ten deciles' figures, a list of ten each, from per-head values sorted by
    ``income`` (each entry one agent standing for ``persons`` persons of the same values):
    persons, the income at each decile's upper edge, mean income per head and the mean of
    each of ``others`` (further per-head values) over the same persons.
    ``income_cumulative``: the running total of ``income * persons`` from zero
    (:func:`cumulative_from_zero`) when already at hand.

    Agents of equal income share their other values first (a persons-weighted mean), so the
    figures do not depend on the order in which a sort leaves ties."""
    edges = cumulative_from_zero(persons)
    total = edges[-1]
    targets = total * _STEPS / DECILES
    widths = targets[1:] - targets[:-1]  # (``np.diff``'s subtraction, without its wrapper)
    # agents of equal income (they sit next to each other) and the run of ties each is in
    # (marked in a mask: the same sorted rows as a set union, without its sort)
    tied_pair = (income[1:] == income[:-1]).nonzero()[0]
    if len(tied_pair):
        is_tied = np.zeros(len(income), dtype=bool)
        is_tied[tied_pair] = True
        is_tied[tied_pair + 1] = True
        tied = is_tied.nonzero()[0]
        tied_persons = persons[tied]
        tied_income = income[tied]
        tie_run = np.concatenate(([0], (tied_income[1:] - tied_income[:-1] != 0).cumsum()))
        run_persons = np.bincount(tie_run, weights=tied_persons)

    def decile_means(cumulative: np.ndarray) -> list[float]:
        # within an agent every person has the same value: the cumulative sum is linear
        at_targets = np.interp(targets, edges, cumulative)
        return ((at_targets[1:] - at_targets[:-1]) / widths).tolist()

    def tie_shared_cumulative(values: np.ndarray) -> np.ndarray:
        mass = values * persons
        if len(tied_pair):
            shared = np.bincount(tie_run, weights=values[tied] * tied_persons) / run_persons
            mass[tied] = shared[tie_run] * tied_persons
        return cumulative_from_zero(mass)

    if income_cumulative is None:
        income_cumulative = cumulative_from_zero(income * persons)
    # the agent holding each upper edge (the last edge may round past the total)
    holder = edges.searchsorted(targets[1:], side="left") - 1
    figures = {
        "persons": [float(total / DECILES)] * DECILES,
        "income_upper_yuan": income.take(holder.clip(0, len(income) - 1)).tolist(),
        "income_per_capita_yuan": decile_means(income_cumulative),
    }
    figures.update(
        {name: decile_means(tie_shared_cumulative(values)) for name, values in others.items()}
    )
    return figures


def gini(
    income: np.ndarray,
    persons: np.ndarray,
    mass: np.ndarray | None = None,
    mass_cumulative: np.ndarray | None = None,
    totals: tuple[float, float] | None = None,
) -> float:
    """Gini coefficient of income per head from the Lorenz curve of agents sorted by income
    (each agent's persons share its income equally). ``mass`` (``income * persons``),
    ``mass_cumulative`` (its :func:`cumulative_from_zero`) and ``totals`` (``mass.sum()``,
    ``persons.sum()``) when already at hand."""
    mass = income * persons if mass is None else mass
    mass_total, persons_total = (mass.sum(), persons.sum()) if totals is None else totals
    if mass_total <= 0:
        return float("nan")
    share = persons / persons_total
    if mass_cumulative is None:
        mass_cumulative = cumulative_from_zero(mass)
    lorenz = mass_cumulative / mass_total
    return float(1.0 - np.sum(share * (lorenz[1:] + lorenz[:-1])))


# the household columns a year's distribution is made from
YEAR_COLUMNS = (
    "size",
    "quarters_year",
    "income_year_yuan",
    "weight",
    "savings_yuan",
    "debt_yuan",
    "land_mu",
    "zone",
    "urban",
)
# the per-head means reported for each decile beside income
OTHERS = ("wealth_per_capita_yuan", "land_mu_per_capita")


@dataclass(frozen=True)
class YearInputs:
    """What the year's distribution is made from, taken at the year's last quarter: copies of
    the live households' ``YEAR_COLUMNS`` and the year's prices. Nothing in it is shared
    with the tables, so the rows can be worked out (:func:`year_columns`) while the next
    quarters go on."""

    year: int
    cpi: float
    poverty_line_yuan: float
    zone_names: tuple[str, ...]
    columns: dict[str, np.ndarray]


def year_inputs(economy: Economy) -> YearInputs:
    """The live households' columns and the year's prices, copied at the end of the year's
    last quarter."""
    clock = economy.clock
    year = clock.year
    # (the year's quarters by number: a world cut short of them fails rather than being
    # read by a mask of another length)
    cpi = float(np.mean(economy.world.cpi[np.flatnonzero(clock.years == year)]))
    return YearInputs(
        year=year,
        cpi=cpi,
        poverty_line_yuan=poverty_line_yuan(economy, year, cpi),
        zone_names=tuple(economy.zone_names),
        columns=economy.households.live_columns(YEAR_COLUMNS, copy=True),
    )


def per_head_values(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each household's income per head over the year (annualised for households that
    arrived during it), the persons it stands for, and the ``OTHERS`` per head."""
    size = np.maximum(columns["size"].astype(float), 1.0)
    quarters = np.maximum(columns["quarters_year"], 1)
    return {
        "income": columns["income_year_yuan"] * 4 / quarters / size,
        "persons": columns["weight"] * size,
        "wealth_per_capita_yuan": (columns["savings_yuan"] - columns["debt_yuan"]) / size,
        "land_mu_per_capita": columns["land_mu"] / size,
    }


def year_columns(inputs: YearInputs) -> dict[str, tuple | np.ndarray]:
    """The distribution rows of the year ``inputs`` were taken at, as columns (ten rows a
    group: the city, its urban and rural residents, each zone; ``GROUP_COLUMNS``, then
    ``DECILE_COLUMNS`` and the ``OTHERS``), from the inputs alone: nothing here reads the
    economy, so it may run beside the next quarters."""
    values = per_head_values(inputs.columns)
    # one sort by income for every group (ties are handled in decile_figures, so the sort's
    # kind does not matter); each grouping is then a stable sort of its small integer code,
    # which leaves every group a contiguous run still in income order
    by_income = np.argsort(values["income"])
    in_income_order = gather_columns(values, by_income)
    zone = inputs.columns["zone"].take(by_income)
    urban = inputs.columns["urban"].take(by_income)
    # (codes are int8: numpy sorts small integers stably by radix, in a few milliseconds)
    groupings = [
        (None, [(ALL, ALL)]),
        ((~urban).view(np.int8), [(ALL, "urban"), (ALL, "rural")]),
        (zone.astype(np.int8), [(name, ALL) for name in inputs.zone_names]),
    ]
    year, cpi, line = inputs.year, inputs.cpi, inputs.poverty_line_yuan
    columns: dict[str, list] = {name: [] for name in (*GROUP_COLUMNS, *DECILE_COLUMNS, *OTHERS)}
    for code, labels in groupings:
        if code is None:
            ordered, starts = in_income_order, np.array([0, len(by_income)])
        else:
            # the rows of each group keep their income order, so these gathers read the
            # income-ordered columns nearly in sequence
            ordered = gather_columns(in_income_order, np.argsort(code, kind="stable"))
            counts = np.bincount(code, minlength=len(labels))
            starts = np.concatenate(([0], np.cumsum(counts)))
        for index, (zone_name, residence) in enumerate(labels):
            part = slice(starts[index], starts[index + 1])
            if part.start == part.stop:
                continue
            income, persons = ordered["income"][part], ordered["persons"][part]
            group_persons = persons.sum()
            # income * persons, its total and its running total serve the mean, the Gini
            # and the deciles
            mass = income * persons
            mass_total = mass.sum()
            mass_cumulative = cumulative_from_zero(mass)
            group = (
                year,
                residence,
                zone_name,
                float(group_persons),
                float(mass_total / group_persons),
                gini(income, persons, mass, mass_cumulative, (mass_total, group_persons)),
                line,
                # incomes run upwards within the group: those below the line are its first
                # persons (the same numbers summed as by a mask, in the same order)
                float(persons[: income.searchsorted(line, side="left")].sum() / group_persons),
                cpi,
            )
            for name, value in zip(GROUP_COLUMNS, group, strict=True):
                columns[name] += [value] * DECILES
            columns["decile"] += _DECILE_NUMBERS
            deciles = decile_figures(
                income, persons, {name: ordered[name][part] for name in OTHERS}, mass_cumulative
            )
            for name, values in deciles.items():
                columns[name] += values
    # (numbers as arrays, which a frame takes as they are, the labels as tuples; none can
    # change, so a run starting from a kept first year may share them)
    made: dict[str, tuple | np.ndarray] = {}
    for name, values in columns.items():
        if name in LABEL_COLUMNS:
            made[name] = tuple(values)
        else:
            array = made[name] = np.array(values)
            array.setflags(write=False)
    return made


def gather_columns(columns: dict[str, np.ndarray], order: np.ndarray) -> dict[str, np.ndarray]:
    """Every column reordered by ``order`` (the same values as ``column[order]``; ``take``
    gathers about twice as fast as indexing with an array)."""
    return {name: column.take(order) for name, column in columns.items()}


def close_year(economy: Economy) -> None:
    """Start counting the next year's income."""
    households = economy.households
    households.income_year_yuan[: households.n] = 0.0
    households.quarters_year[: households.n] = 0
