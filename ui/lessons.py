"""Guided lessons for the classroom: a question, the student's prediction, paired runs with and
without the reform, and the mechanism that produced the result.

The explanations follow the reform code (model/reforms/*.py) and docs/reforms.md; the numbers
a lesson shows come from the runs, never from this file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    key: str
    scenario: str  # file stem in scenarios/
    title: tuple[str, str]  # English, Chinese
    question: tuple[str, str]
    predictions: tuple[tuple[str, int], ...]  # (indicator, year) the student predicts
    also: tuple[str, ...]  # indicators shown beside the predictions
    mechanism: tuple[str, str]  # markdown
    steps: tuple[str, ...]  # quarterly series for the step-by-step mode (experiments.views)
    end_year: int = 2015


LESSONS: list[Lesson] = [
    Lesson(
        key="land",
        scenario="reform_land_capitalisation",
        title=("Land capitalisation", "土地资本化"),
        question=(
            "From 2011 Ezhou confirms farmers' land rights, lets villages lease collective "
            "construction land, pays households who give up their homestead, turns villages "
            "into shareholding cooperatives and eases household registration. "
            "What happens to these indicators, compared with the same years without the reform?",
            "从2011年起，鄂州为农民承包地确权、允许村集体出租集体建设用地、对退出宅基地的家庭给予补偿、"
            "把村改为股份合作社并放宽户籍。与没有这项改革的同一时期相比，下列指标会怎样变化？",
        ),
        predictions=(("urbanisation_rate", 2015), ("urban_rural_income_ratio", 2015)),
        also=(
            "farmland_transferred_mu",
            "farmland_rent_bn_yuan",
            "homestead_exits",
            "rural_income_per_capita_yuan",
            "unemployment_rate",
        ),
        mechanism=(
            """
**Rights confirmation and an exchange.** With registered rights a plot rented out is sure to
come back, so a household counts on the whole rent (400 yuan a mu a year) instead of half of it
when it weighs renting out; a rights exchange brings owners and tenants together several times
as often. Villagers gain rent; full-time farmers who rent out look for wage jobs instead.

**Homestead exit.** The city offers compensation (60,000 yuan a mu). A rural-registered
household already living in town gives its homestead and registration up when the offer and
what a town registration brings outweigh what the village house is worth to it; each weighs
it about once in eight years. The same area becomes construction land in town that the city
can sell to firms.

**Cooperatives and registration.** Shareholding cooperatives pay members half of the
village's cash each quarter instead of a tenth; registration reform halves the barrier that
keeps rural-registered households from moving to town.

**Read the result with care.** Urban and rural mean *where people live*. Households that move
stop counting as rural in the quarter they move, and homestead compensation arrives as urban
income. The income ratio therefore changes with *who* is counted as rural, as well as with what
those who stay earn. Farmers who give up farming are unemployed first, so unemployment rises
for a year or two.
""",
            """
**确权与产权交易。** 承包地确权登记后，出租的地块肯定能收回，农户在权衡是否出租时按全部租金
（每亩每年400元）而不是一半来计算；农村产权交易平台使出租方与承租方相遇的机会多出几倍。农民得到租金收入；
把地租出去的专业农户转而寻找工资性工作。

**宅基地有偿退出。** 城市为退出宅基地提供补偿（每亩6万元）。已住在城镇的农村户籍家庭，
当补偿加上城镇户籍带来的好处超过村里房子对它的价值时，就退出宅基地并转为城镇户籍；
每户大约八年权衡一次。同等面积在城里变成建设用地，可出让给企业。

**股份合作社与户籍。** 股份合作社每季度把村集体现金的一半分给成员（其他村为十分之一）；
户籍改革使农村户籍家庭进城的障碍减半。

**解读结果要小心。** 城镇与农村按*居住地*划分。迁入城镇的家庭在迁移当季就不再计入农村，
宅基地补偿也计为城镇收入。因此城乡收入比既取决于留下的人挣多少，也取决于*谁*被算作农村居民。
放弃耕种的农民先要经历失业，所以失业率会在一两年内上升。
""",
        ),
        steps=(
            "urban_share",
            "transferred_mu",
            "homestead_exits",
            "rural_income_per_person_yuan",
            "unemployment_share",
        ),
    ),
    Lesson(
        key="heavy",
        scenario="reform_heavy_industry",
        title=("Heavy industry and the lake", "重化工业转型与梁子湖"),
        question=(
            "From 2011 heavy firms (steel, cement, building materials) face mandatory "
            "clean-production audits and a tightening emission standard; industry in the "
            "Liangzi Lake basin is closed or moved out; lake villages receive ecological "
            "compensation. What happens, compared with no reform? (A lower water class means "
            "cleaner water.)",
            "从2011年起，重化工企业（钢铁、水泥、建材）接受强制清洁生产审核，排放标准逐年收紧；"
            "梁子湖流域的工业被关停或迁出；湖区村庄获得生态补偿。与不改革相比会怎样？"
            "（水质类别越低，水越清。）",
        ),
        predictions=(
            ("lake_water_quality_class", 2013),
            ("industrial_value_added_real_bn_yuan", 2011),
        ),
        also=(
            "emission_intensity_index",
            "heavy_abatement_share",
            "basin_closures",
            "unemployment_rate",
            "government_debt_bn_yuan",
        ),
        mechanism=(
            """
**Audits.** A quarter of the heavy firms are audited each year. An audited firm cuts its
energy use per unit of output by 8% and abates 20% of its emissions. It pays for clean
technology (the city subsidises 30%) and loses part of a quarter's output while the works is
retrofitted: this downtime hits the giant steel works too when it is drawn.

**A tightening standard.** The allowed emission intensity falls each year. Firms above it pay
to abate if their cash and credit allow; those that cannot shut their dirtiest lines and lose
capacity.

**Closing the lake basin.** Each year 30% of the remaining industry in the Liangzi Lake zone is
picked: half moves to the Echeng transformation district (losing a quarter of its capital and
rehiring all its workers), half closes. Lake aquaculture shrinks over four years, and
ecological compensation reaches lake villages as income.

**The trade-off.** Less pollution per yuan and a lighter load on the lake take time to show in
the water class. The costs come first: downtime, lost capacity and closures lower industrial
output, jobs and tax revenue in the first years, and subsidies add to the city's debt.
""",
            """
**清洁生产审核。** 每年有四分之一的重化工企业接受审核。受审核企业单位产出能耗降低8%，
排放削减20%。企业为清洁技术付费（城市补贴30%），改造期间损失一个季度的部分产量：
抽中大型钢厂时也是如此。

**逐年收紧的标准。** 允许的排放强度每年下降。超标企业在现金和信贷允许时出资减排；
付不起的企业关闭最脏的生产线，损失产能。

**梁子湖流域关停。** 每年抽取湖区剩余工业的30%：一半迁往鄂城转型发展新区（损失四分之一资本，
工人全部重新招聘），一半关闭。湖区水产养殖在四年内收缩，生态补偿作为收入进入湖区村庄。

**权衡。** 单位产出污染减少、湖泊负荷减轻，需要时间才能反映到水质类别上。成本先到：
停产改造、产能损失和关停使最初几年的工业产出、就业和税收下降，补贴还会增加城市债务。
""",
        ),
        steps=(
            "emission_intensity_q_index",
            "lake_quality",
            "audits",
            "basin_closures",
            "industry_bn_yuan",
        ),
        end_year=2013,
    ),
    Lesson(
        key="fund",
        scenario="reform_investment_financing",
        title=("The guidance fund", "创业投资引导基金"),
        question=(
            "From 2011 the city commits 2 bn yuan to a venture-capital guidance fund; each fund "
            "yuan draws 2 yuan of private venture capital. Village banks, listings and SME "
            "bonds loosen credit. What happens, compared with no reform?",
            "从2011年起，城市出资20亿元设立创业投资引导基金，每1元基金带动2元社会创业资本；"
            "村镇银行、企业上市和中小企业集合债放宽了融资约束。与不改革相比会怎样？",
        ),
        predictions=(("hightech_share", 2015), ("government_debt_bn_yuan", 2015)),
        also=("fund_invested_bn_yuan", "fund_new_firms", "firm_entrants", "firm_entry_rate"),
        mechanism=(
            """
**Deploying the fund.** Each quarter the fund invests a tenth of the money it has not yet
placed, so it deploys fast and then thins out. Private partners add two yuan for each fund
yuan.

**Where the money goes.** Half founds new high-tech firms, each with about twice the capital
of the sector's median firm; the other half buys equity in existing high-tech firms in
proportion to their capital. Equity relaxes a firm's financing, and adds capacity only where
the firm wanted to invest more than it could finance.

**Credit.** Listings and bonds raise above-scale firms' credit limits, linked assets raise the
value of collateral, and micro-credit lets more unemployed households pass the means test for
starting a business.

**The cost.** The city pays its share of every placement beyond its budget, so its debt rises
until dividends come back to the fund; private partners' dividends leave the city.
""",
            """
**基金投放。** 基金每季度投出尚未投放资金的十分之一，因此先快后慢。社会资本按每1元基金跟投2元。

**资金去向。** 一半用于新设高新技术企业，每家资本约为该行业中位企业的两倍；另一半按资本比例
入股现有高新技术企业。股权资金缓解企业融资约束，只有在企业想投资而融不到资时才增加产能。

**信贷。** 上市和发债提高规模以上企业的授信额度，资产联动提高抵押品价值，
小额贷款让更多失业家庭通过创业的资金门槛。

**代价。** 城市承担的出资超出预算，债务上升，直到分红回流基金；社会资本的分红流出城市。
""",
        ),
        steps=(
            "fund_invested_m_yuan",
            "fund_new_firms",
            "entrants",
            "hightech_share",
            "gov_debt_bn_yuan",
        ),
    ),
    Lesson(
        key="talent",
        scenario="reform_talent",
        title=("Talent", "人才与经济人成长"),
        question=(
            "From 2011 Ezhou recruits 1,000 households of masters and PhDs a year, some of whom "
            "found high-tech firms in incubators; it trains basic workers and welcomes "
            "return-home entrepreneurs. What happens, compared with no reform?",
            "从2011年起，鄂州每年引进1000户硕士、博士家庭，其中一部分在孵化器创办高新技术企业；"
            "同时培训普通劳动者、吸引返乡创业。与不改革相比会怎样？",
        ),
        predictions=(("knowledge_worker_share", 2015), ("gdp_per_capita_real_yuan", 2015)),
        also=("recruits", "talent_firms", "returnees", "hightech_share", "government_debt_bn_yuan"),
        mechanism=(
            """
**Recruits.** About 1,000 households arrive each year with at least one knowledge-skilled
worker, settle in town and are placed with firms that need knowledge workers. The city pays
each a settling allowance; 30% leave again each year, taking their savings with them.

**Founders and incubators.** A tenth of the recruits found a high-tech firm in an incubator;
incubators cut young firms' closure rate and raise high-tech start-ups.

**Training and returnees.** 3% of basic-skill households a year are trained to skilled work
(1.4 times the effective labour), paid by the city; 500 return-home entrepreneur households a
year start businesses in villages.

**Spill-overs.** As the knowledge-worker share rises above 2010's, every firm's productivity
rises a little. Output and incomes follow. The costs: allowances and training add to the
city's debt, and more output means more load on the lake.
""",
            """
**引进人才。** 每年约1000户家庭到来，每户至少有一名知识型劳动者，定居城镇，被安排到需要知识型
劳动者的企业。城市给每户发放安家补贴；每年有30%再离开，并带走其储蓄。

**创业者与孵化器。** 十分之一的引进人才在孵化器创办高新技术企业；孵化器降低新企业的关闭率，
增加高新技术创业。

**培训与返乡创业。** 每年有3%的普通技能家庭由城市出资培训为技能型（有效劳动为1.4倍）；
每年有500户返乡创业家庭在农村开办经营。

**知识溢出。** 当知识型劳动者占比高于2010年时，所有企业的生产率都略有提高，产出和收入随之增加。
代价：补贴和培训增加城市债务，产出增加也加重湖泊负荷。
""",
        ),
        steps=(
            "recruits",
            "knowledge_share",
            "returnees",
            "trained",
            "real_gdp_per_person_yuan",
        ),
    ),
]

BY_KEY = {lesson.key: lesson for lesson in LESSONS}

# names of the quarterly series (experiments.views.QUARTERLY_SERIES) in both languages
SERIES: dict[str, tuple[str, str]] = {
    "urban_share": ("Urban share of residents", "城镇人口比例"),
    "transferred_mu": ("Farmland transferred this quarter, mu", "本季度流转土地（亩）"),
    "homestead_exits": ("Homestead exits this quarter, households", "本季度宅基地退出（户）"),
    "rural_income_per_person_yuan": (
        "Rural disposable income per person this quarter, yuan",
        "本季度农村人均可支配收入（元）",
    ),
    "village_dividends_m_yuan": ("Village dividends, m yuan", "村集体分红（百万元）"),
    "emission_intensity_q_index": (
        "Emission intensity (2010Q1 = 100)",
        "排放强度（2010年一季度=100）",
    ),
    "lake_quality": ("Liangzi Lake water class", "梁子湖水质类别"),
    "audits": ("Audits this quarter", "本季度审核企业"),
    "basin_closures": ("Basin closures this quarter", "本季度湖区关停企业"),
    "industry_bn_yuan": (
        "Industrial value added this quarter, bn yuan",
        "本季度工业增加值（十亿元）",
    ),
    "fund_invested_m_yuan": ("Fund invested this quarter, m yuan", "本季度基金投资（百万元）"),
    "fund_new_firms": ("Firms founded by the fund", "基金新设企业"),
    "entrants": ("Firm entrants this quarter", "本季度新进入企业"),
    "hightech_share": ("High-tech share of GDP", "高新技术占GDP比重"),
    "gov_debt_bn_yuan": ("Government debt, bn yuan", "政府债务（十亿元）"),
    "recruits": ("Recruited households this quarter", "本季度引进人才（户）"),
    "knowledge_share": ("Knowledge-worker share", "知识型劳动者占比"),
    "returnees": ("Return-home entrepreneurs this quarter", "本季度返乡创业（户）"),
    "trained": ("Workers trained this quarter", "本季度培训人数"),
    "real_gdp_per_person_yuan": (
        "Real GDP per person this quarter, yuan of 2010",
        "本季度实际人均GDP（2010年价，元）",
    ),
    "unemployment_share": ("Unemployment rate", "失业率"),
}
