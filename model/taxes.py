"""Taxes as China's 2010 system assessed them, and who kept what.

Each firm is assessed, by its sector (``[taxes]`` in ``parameters.toml``):

- **VAT** (17%) on the value added of industry and of trade (the part of services that paid
  VAT), less the equipment it bought (input VAT on equipment has been credited since 2009);
  input VAT beyond the tax due is carried forward against later VAT, as the law allowed
  (not refunded); 25% of it is local, 75% central. Farming is exempt.
- **Business tax** on the turnover of construction and transport (3%) and of the other
  services (5%); all local.
- **Surcharges** (urban maintenance and construction tax, education surcharges) on the VAT
  and business tax paid; all local.
- **Other local taxes** (property, land use, stamp and the like) as a share of value added.
- **Enterprise income tax** (25%; 15% for high-tech firms; farming exempt) on positive profit;
  40% local, 60% central.

Of what the rules assess on firms, ``taxes.collection_ratio`` of the taxes on production and
``taxes.profit_tax_collection_ratio`` of enterprise income tax is collected (fitted to 2010:
the first to Ezhou's total fiscal revenue, the second to the national share of enterprise
income tax in the three main taxes; they stand for the reliefs, simplified regimes of small
taxpayers, loss carry-forwards and group filing that kept Ezhou's tax take far below what the
statutory rates would raise — see docs/calibration.md). The uncollected part stays
with the firm.

Workers with an employer (firm and public jobs, and Wuhan jobs, taxed there) pay
**personal income tax** by the wage schedule of the time (the
threshold and brackets changed on 1 September 2011), withheld in full; 40% of it is local.
Wuhan wages are taxed in Wuhan.

The local shares are then split inside the province: the city keeps
``fiscal.city_share_of_local_taxes`` and the province the rest (fitted to Ezhou's 2010 local
general budget revenue). Firms also pay the city fees and charges (non-tax revenue of the
general budget) of ``fiscal.non_tax_ratio`` of the city's taxes on production. Land-transfer
revenue is not here: it belongs to the government-fund budget (``model/markets/land.py``).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from model.calibration import Params
    from model.economy import Economy


@dataclass
class FirmTaxes:
    """What each real firm pays before profit, yuan a quarter (arrays over the live firms)."""

    vat: np.ndarray
    vat_credit: np.ndarray  # input VAT left to carry into the next quarter
    business: np.ndarray  # business tax
    surcharges: np.ndarray
    other: np.ndarray  # other local taxes
    fees: np.ndarray  # non-tax charges paid to the city
    city: np.ndarray  # the city's part of all of the above

    @property
    def on_production(self) -> np.ndarray:
        """Taxes on products and production (the GDP-by-income item), fees included."""
        return self.vat + self.business + self.surcharges + self.other + self.fees


# parameters are read-only: what is worked out from them once is kept while they live
_TAX_SHARES: weakref.WeakKeyDictionary[Params, np.ndarray] = weakref.WeakKeyDictionary()


def production_tax_share(params: Params) -> np.ndarray:
    """The share of each sector's value added paid in taxes on production, as a firm
    expects it when it weighs an investment (before any equipment credit). Read-only: it
    is worked out once for each parameter set."""
    share = _TAX_SHARES.get(params)
    if share is None:
        share = _TAX_SHARES[params] = _production_tax_share(params)
        share.flags.writeable = False
    return share


def _production_tax_share(params: Params) -> np.ndarray:
    taxes = params.taxes
    vat_part = np.asarray(taxes.vat_share_of_va)
    sales_per_va = 1.0 / np.asarray(params.sectors.va_to_sales)
    turnover = (
        taxes.vat_rate * vat_part
        + np.asarray(taxes.business_tax_rate) * (1 - vat_part) * sales_per_va
    )
    return taxes.collection_ratio * (
        turnover * (1 + taxes.surcharge_rate) + params.fiscal.other_local_tax_rate
    )


def on_production(
    params: Params,
    sector: np.ndarray,
    value_added: np.ndarray,
    investment: np.ndarray,
    carried: np.ndarray | float = 0.0,
) -> FirmTaxes:
    """Taxes on production of each firm of ``sector`` with ``value_added`` in the quarter,
    having bought ``investment`` (yuan, the quarter's) of capital goods and carrying
    ``carried`` yuan of input VAT from earlier quarters."""
    taxes, fiscal = params.taxes, params.fiscal
    collected = taxes.collection_ratio
    rates = _sector_rates(params)
    vat_part = rates.vat_part.take(sector)
    # equipment is credited against the VAT base in the share the firm's output bears VAT
    credited = taxes.equipment_share * investment * vat_part
    due = collected * taxes.vat_rate * (vat_part * value_added - credited) - carried
    vat = np.maximum(due, 0.0)
    sales = value_added / rates.va_to_sales.take(sector)
    business = rates.business.take(sector) * sales
    surcharges = taxes.surcharge_rate * (vat + business)
    other = collected * fiscal.other_local_tax_rate * value_added
    local = fiscal.local_vat_share * vat + business + surcharges + other
    city_taxes = fiscal.city_share_of_local_taxes * local
    fees = fiscal.non_tax_ratio * city_taxes
    return FirmTaxes(
        vat, np.maximum(-due, 0.0), business, surcharges, other, fees, city_taxes + fees
    )


def enterprise_income_tax(params: Params, sector: np.ndarray, pre_tax: np.ndarray) -> np.ndarray:
    """Enterprise income tax of each firm on its positive pre-tax profit, yuan."""
    return _sector_rates(params).profit.take(sector) * np.maximum(pre_tax, 0.0)


@dataclass(frozen=True)
class _SectorRates:
    """What the firm taxes read of each sector, worked out once for each parameter set (the
    same products as each firm's, looked up by its sector)."""

    vat_part: np.ndarray
    va_to_sales: np.ndarray
    business: np.ndarray  # collection ratio x business tax rate x (1 - VAT part)
    profit: np.ndarray  # collection ratio x enterprise income tax rate


_SECTOR_RATES: weakref.WeakKeyDictionary[Params, _SectorRates] = weakref.WeakKeyDictionary()


def _sector_rates(params: Params) -> _SectorRates:
    rates = _SECTOR_RATES.get(params)
    if rates is None:
        taxes = params.taxes
        vat_part = np.asarray(taxes.vat_share_of_va, dtype=float)
        business = taxes.collection_ratio * np.asarray(taxes.business_tax_rate) * (1 - vat_part)
        rates = _SECTOR_RATES[params] = _SectorRates(
            vat_part,
            np.asarray(params.sectors.va_to_sales, dtype=float),
            business,
            taxes.profit_tax_collection_ratio * np.asarray(taxes.enterprise_income_tax_rate),
        )
        for column in (rates.vat_part, rates.va_to_sales, rates.business, rates.profit):
            column.flags.writeable = False
    return rates


def _schedule(taxable_monthly: np.ndarray, bands: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """Monthly tax on monthly taxable income by a progressive schedule: ``rates[i]`` on the
    part of income between ``bands[i]`` and ``bands[i + 1]`` (the last band open)."""
    widths = np.append(bands[1:], np.inf) - bands
    if len(bands) < 2 or bands[0] != 0:
        return _rated(_band_parts(taxable_monthly, bands, widths), rates)
    # an income inside the first band owes that band's rate on all of it: the matrix
    # product gives such a row exactly that one product (its other parts are zeros, which
    # add nothing in any order), so only the incomes beyond the first band go through it
    tax = np.maximum(taxable_monthly, 0.0)
    tax *= rates[0]
    beyond = np.flatnonzero(taxable_monthly > bands[1])
    tax[beyond] = _rated(_band_parts(taxable_monthly[beyond], bands, widths), rates)
    return tax


# rows per matrix product: few enough that the BLAS library works on the calling thread.
# Its own threads gain nothing on a handful of products a row, and on a busy machine (two
# batch workers on two cores) waiting for them to wake cost ten times the product itself.
# Each row's tax is the same however the rows are split (tests/test_exact_shortcuts.py).
ROWS_PER_PRODUCT = 1000


def _rated(parts: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """``parts @ rates``, a block of rows at a time."""
    tax = np.empty(len(parts))
    for start in range(0, len(parts), ROWS_PER_PRODUCT):
        block = slice(start, start + ROWS_PER_PRODUCT)
        np.matmul(parts[block], rates, out=tax[block])
    return tax


def _band_parts(taxable_monthly: np.ndarray, bands: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """The part of each income in each band (one row per income): clipped to [0, width]
    in place, no second table (floor, then ceiling: what ``np.clip`` does, without its
    wrapper's checks on every call)."""
    parts = np.subtract.outer(taxable_monthly, bands)
    np.maximum(parts, 0.0, out=parts)
    np.minimum(parts, widths, out=parts)
    return parts


def _schedule_in_force(economy: Economy) -> tuple[float, np.ndarray, np.ndarray]:
    """The monthly threshold, bands and rates of the income-tax schedule this quarter."""
    taxes = economy.params.taxes
    quarter_start = economy.clock.year + (economy.clock.t % 4) / 4
    if quarter_start >= taxes.pit_2011_from:
        bands, rates = taxes.pit_bands_2011, taxes.pit_rates_2011
        return taxes.pit_threshold_2011, np.asarray(bands), np.asarray(rates)
    bands, rates = taxes.pit_bands_2010, taxes.pit_rates_2010
    return taxes.pit_threshold_2010, np.asarray(bands), np.asarray(rates)


def taxed_workers(
    economy: Economy, annual_wage: np.ndarray, contribution_rate: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The workers who owe income tax (positions in ``annual_wage``, in order) and their
    yearly tax, as :func:`personal_income_tax` assesses it; everyone else owes none."""
    threshold, bands, rates = _schedule_in_force(economy)
    # the monthly taxable wage, worked out in one array: (1 - rate) * wage / 12 - threshold
    monthly = np.subtract(1, contribution_rate)
    monthly *= annual_wage
    monthly /= 12
    monthly -= threshold
    # most wages are below the threshold: the schedule is applied to the others only
    taxed = np.flatnonzero(monthly > 0)
    return taxed, 12 * _schedule(monthly[taxed], bands, rates)


def personal_income_tax(
    economy: Economy, annual_wage: np.ndarray, contribution_rate: np.ndarray
) -> np.ndarray:
    """Yearly income tax of a worker with ``annual_wage`` (nominal yuan), by the schedule in
    force this quarter; social contributions (``contribution_rate`` of the wage) are deducted
    first, as the law allowed."""
    taxed, tax_owed = taxed_workers(economy, annual_wage, contribution_rate)
    tax = np.zeros(len(annual_wage))
    tax[taxed] = tax_owed
    return tax
