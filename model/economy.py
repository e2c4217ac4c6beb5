"""The economy: the state every system of the quarter works on.

A tables-and-systems design, as an entity-component-system one: the agents' state lives in
column tables (households, firms, villages) and a few objects (the five zones, the city);
the systems (``model/population.py``, ``model/markets/``, ``model/income.py``, ...) are
functions that take the economy, read what they need and write their part. ``ReformModel``
(``model/model.py``) only builds the economy (``model/setup.py``) and calls the systems in
the quarter's order. ``docs/architecture.md`` lists what each phase reads and writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.accounts import FIRMS, GOVERNMENT, HOUSEHOLDS, Ledger
from model.agents.bank import BankingSector
from model.agents.city import CityGovernment
from model.agents.registry import AgentRegistry
from model.agents.zone import GovernmentZone
from model.calibration import Params
from model.conditions import OutsideWorld
from model.rules import Rules
from model.tables import Table


@dataclass
class Clock:
    """Where the run stands: quarter ``t`` (0 = the first quarter of ``start_year``)."""

    start_year: int
    end_year: int
    years: np.ndarray  # calendar year of each quarter
    t: int = 0

    @property
    def n_quarters(self) -> int:
        return len(self.years)

    @property
    def year(self) -> int:
        return int(self.years[self.t])


@dataclass(frozen=True)
class Sectors:
    """The production sectors and their technology (fixed over a run)."""

    names: list[str]
    kind: np.ndarray  # "primary", "industry", "construction" or "tertiary" by sector
    industry: np.ndarray  # indices of the industrial sectors
    heavy: np.ndarray  # steel and building materials
    hightech: int
    capital_elasticity: np.ndarray
    land_elasticity: np.ndarray
    labour_elasticity: np.ndarray  # each sector's 2010 wage-bill share of value added
    demand_elasticity: np.ndarray  # outside buyers' price elasticity
    wage_premium: np.ndarray
    labour_efficiency: np.ndarray  # effective labour per worker of the sector's skill mix

    def index(self, name: str) -> int:
        return self.names.index(name)

    def in_group(self, sector_of: np.ndarray, group: np.ndarray) -> np.ndarray:
        """Whether each of ``sector_of`` is one of the sectors ``group`` (``np.isin``'s
        answer, by a lookup: ``isin`` sorts, which costs far more on a few sectors)."""
        member = np.zeros(len(self.names), dtype=bool)
        member[group] = True
        return member[sector_of]


@dataclass
class LabourState:
    skill_wage: np.ndarray  # annual basic wage by skill, yuan
    skill_efficiency: np.ndarray  # effective labour per worker, by skill
    unemployment_smoothed: float  # what wage setters see
    # the whole labour force's unemployment at which wages hold: 2010's (the mean of its
    # quarters, model/markets/wages.py), which depends on how many jobless the synthesis
    # left (``households.unemployment_2010`` or more, more the coarser the agents)
    unemployment_normal: float = 0.04
    wage_gap_2010: float = 0.0  # log gap of the town wage over farm income in 2010
    wuhan_pull_2010: float = 1.0  # Wuhan's wage against Ezhou's in 2010
    # knowledge posts left unfilled by the last labour market, by firm row (real workers)
    open_knowledge_posts: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class Productivity:
    """Household producers' productivity, and the knowledge spill-over of firms'."""

    farm_level: float
    business_level: float
    farm_scale: float = 1.0  # household producers' start path, like the firms'
    business_scale: float = 1.0
    household_index: float = 1.0  # drift of household producers' productivity
    farm_index: float = 1.0  # household farming's own, which rural investment can raise
    knowledge_share_2010: float = 0.0
    knowledge_share: float = 0.0
    spillover_level: float = 1.0


@dataclass
class HouseholdOutput:
    """Real output of one real household of each row this quarter."""

    farm: np.ndarray
    business: np.ndarray


@dataclass
class GoodsMarketState:
    buy_shares: dict[str, np.ndarray]  # what share of each buyer's spending goes to each sector
    external_base: np.ndarray  # outside real demand by sector at 2010 conditions
    sector_price: np.ndarray  # relative price by sector this quarter
    real_spending_2010: float = 0.0  # households' spending per person, first quarter, 2010 yuan


@dataclass
class Expectations:
    """What firms expect when they plan investment."""

    expected_growth: np.ndarray  # by sector, per year
    profit_reference: np.ndarray  # each sector's 2010 gross return on capital
    rate_2010: float  # the 2010 lending rate with the spread
    supply_history: list[np.ndarray] = field(default_factory=list)  # the last four quarters


@dataclass
class BudgetPlan:
    """The city's spending planned for the quarter (``model/fiscal.py``)."""

    wages: float = 0.0
    pensions: float = 0.0
    security: float = 0.0  # social-security payments besides pensions
    capital: float = 0.0  # capital spending, the platform's included
    platform: float = 0.0  # the construction platform's investment on borrowed money
    purchases: float = 0.0  # goods and services, reform purchases included
    interest: float = 0.0  # interest due on the city's debt less what its deposits earn
    borrowing_room: float = 0.0  # new debt the banks still allow (``model/platform.py``)
    borrowing_limit: float = 0.0  # the most they lend the city: land or debt service
    collateral: float = 0.0  # the land reserve and expected land sales pledged, yuan


@dataclass
class QuarterFlows:
    """Flows that several systems add to during a quarter; zero at its start."""

    reform_investment: dict[int, float] = field(
        default_factory=lambda: {FIRMS: 0.0, GOVERNMENT: 0.0, HOUSEHOLDS: 0.0}
    )
    reform_spending: float = 0.0  # the city's outlays on reforms other than investment
    reform_purchases: float = 0.0  # services the city buys for reforms (training, ...)
    persons_in: float = 0.0
    persons_out: float = 0.0
    extra_exits: float = 0.0  # real firms closed by reforms
    extra_entrants: float = 0.0  # real firms founded by reforms
    land_sales: float = 0.0  # construction land sold to firms, yuan
    business_starts: float = 0.0  # what households spent setting up own businesses, yuan
    household_borrowing: float = 0.0  # new loans to households (business starts, overdrafts)
    business_loans: float = 0.0  # of which lent to start own businesses
    startup_grants: float = 0.0  # the city's grants to new own businesses, yuan
    household_write_offs: float = 0.0  # household debt the banks could not recover, yuan


@dataclass
class RestOfWorld:
    """Everyone outside the city, as one account: its net claims on the city's sectors (the
    negative of their net worth together), moved by every payment across the border."""

    net_worth_yuan: float = 0.0


@dataclass
class ServiceNetwork:
    """Public-service facilities by zone and residence (town, village): ``model/services.py``."""

    facilities: np.ndarray  # yuan of 2010
    scale: np.ndarray  # what a place delivers per unit of facilities and inputs
    delivered: np.ndarray  # this quarter, yuan of 2010


@dataclass
class PublicCapital:
    """The city's public capital by zone (yuan of 2010): ``model/infrastructure.py``."""

    stock: np.ndarray
    stock_2010: np.ndarray
    level: np.ndarray  # the productivity level it gives each zone's firms, against 2010

    def relative(self) -> np.ndarray:
        """Each zone's stock against its 2010 stock."""
        return self.stock / np.maximum(self.stock_2010, 1e-9)


@dataclass
class HousingMarket:
    """The town's dwellings and the building under way (``model/markets/housing.py``)."""

    stock_m2: float  # floor space of town dwellings
    pipeline_m2: np.ndarray  # started in each of the last build quarters, oldest first
    starts_2010_share: float  # of the stock, started in a quarter of 2010
    income_2010: float  # real disposable income per town resident, a 2010 quarter
    price_index: float = 1.0  # real price of a m² against 2010
    wanted_m2: float = 0.0
    investment_yuan: float = 0.0  # this quarter's building, yuan
    paid_by_households: float = 0.0
    paid_from_outside: float = 0.0
    land_wanted_mu: np.ndarray | None = None  # by zone, residential land for the starts
    land_sold_mu: float = 0.0  # residential land sold this quarter (set by the land market)
    land_sales_yuan: float = 0.0


@dataclass
class SocialManagement:
    """Social-management staff and the requisitioned land contested (``model/social.py``)."""

    waiting_mu: np.ndarray  # by zone, contested land waiting to be settled
    settled_per_staff: float = 0.0  # mu one staff member settles a quarter (set in 2010)
    staff: float = 0.0  # real workers this quarter


@dataclass
class Port:
    """The city's river ports (``model/port.py``): capacity, berths being built, and how the
    quarter's cargo fared."""

    capacity_mt: float  # million tonnes a year
    building_mt: float = 0.0  # capacity under construction
    ordinary_mt: float = 0.0  # the capacity ordinary growth alone would have given
    own_cargo_2010_mt: float = 0.0
    transit_cargo_2010_mt: float = 0.0
    industry_supply_2010: float = 0.0  # industry's real output in a quarter of 2010
    handled_share: float = 1.0  # of the cargo that wanted the port this quarter
    freight_index: float = 1.0  # freight cost of the city's industry per tonne, 2010 = 1


@dataclass
class PendingEntrants:
    """New firms of one sector waiting for their approval (``model/approvals.py``)."""

    due: int  # the quarter they start
    sector: int
    zones: np.ndarray
    weight: float  # real firms each agent will stand for
    size_factor: float  # their capital relative to the sector's typical entrant


@dataclass
class Lake:
    quality: float  # Liangzi Lake's water-quality class (1 best, 5 worst)
    reference_load: float | None = None  # the first quarter's pollution load


@dataclass
class Economy:
    """Everything the systems work on. Built by ``model/setup.py``."""

    params: Params
    scale: float  # real households per household agent
    seed: int
    rng: np.random.Generator  # the model's generator: every draw but reforms' own
    world: OutsideWorld
    clock: Clock
    sectors: Sectors
    zone_names: list[str]
    zones: list[GovernmentZone]
    city: CityGovernment
    bank: BankingSector
    households: Table  # model.agents.household.HouseholdTable
    firms: Table  # model.agents.firm.FirmTable
    villages: Table  # model.agents.collective.VillageTable
    agents: AgentRegistry
    ledger: Ledger
    rules: Rules
    labour: LabourState
    productivity: Productivity
    household_output: HouseholdOutput
    goods: GoodsMarketState
    expectations: Expectations
    lake: Lake
    services: ServiceNetwork
    public_capital: PublicCapital
    social: SocialManagement
    port: Port
    housing: HousingMarket | None = None  # set up once the 2010 town and incomes are known
    rest_of_world: RestOfWorld = field(default_factory=RestOfWorld)
    budget: BudgetPlan = field(default_factory=BudgetPlan)
    flows: QuarterFlows = field(default_factory=QuarterFlows)
    pending_entrants: list[PendingEntrants] = field(default_factory=list)
    price_level: float = 1.0  # GDP deflator this quarter, 2010 mean = 1
    cpi: float = 1.0
    last_gdp_yuan: float = 0.0  # last quarter's GDP
    fund_dividends_yuan: float = 0.0  # the guidance fund's dividends last quarter
