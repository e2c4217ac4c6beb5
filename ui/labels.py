"""What the app shows beside the shared labels of experiments/i18n.py (indicators, levers,
conditions): zones, sectors, units, zone-table columns and the Chinese help of each lever.

English lever help comes from the scenario schema itself (its description and unit), so the
two cannot drift apart; the Chinese text is written here.
"""

from __future__ import annotations

import math

from experiments.i18n import CONDITIONS, DISTRIBUTION, INDICATORS, LEVERS
from model.reforms import REFORMS

REFORM_TITLES: dict[str, tuple[str, str]] = {c.key: (c.title_en, c.title_zh) for c in REFORMS}
OUTSIDE_WORLD = ("outside world", "外部条件")

# columns of the zone table that the annual table does not have
ZONE_COLUMNS: dict[str, tuple[str, str]] = {
    "income_per_capita_yuan": ("Disposable income per capita, yuan", "人均可支配收入（元）"),
    "farmland_km2": ("Farmland, km²", "耕地（平方公里）"),
    "urban_construction_km2": ("Urban construction land, km²", "城镇建设用地（平方公里）"),
}
RUN_SETTINGS: dict[str, tuple[str, str]] = {
    "seed": ("Seed", "随机种子"),
    "end_year": ("End year", "结束年份"),
    "scale": ("Scale", "规模"),
}

ZONES: dict[str, tuple[str, str]] = {
    "main_city": ("Main-city comprehensive zone", "主城综合功能区"),
    "echeng_transformation": ("Echeng transformation district", "鄂城转型发展新区"),
    "gehua_science": ("Gehua science-and-technology city", "葛华科技新城"),
    "liangzi_lake": ("Greater Liangzi Lake eco-tourism zone", "大梁子湖生态旅游度假区"),
    "huarong_port": ("Huarong port new city", "华容临港新城"),
}

# the zones' names on the map, short enough to sit inside them
ZONES_SHORT: dict[str, tuple[str, str]] = {
    "main_city": ("Main city", "主城区"),
    "echeng_transformation": ("Echeng new district", "鄂城新区"),
    "gehua_science": ("Gehua science city", "葛华科技新城"),
    "liangzi_lake": ("Liangzi Lake", "梁子湖生态区"),
    "huarong_port": ("Huarong port", "华容临港新城"),
}

SECTORS: dict[str, tuple[str, str]] = {
    "agriculture": ("Agriculture", "农业"),
    "steel": ("Steel", "钢铁"),
    "building_materials": ("Building materials", "建材"),
    "light_manufacturing": ("Light manufacturing", "轻工制造"),
    "high_tech": ("High tech", "高新技术"),
    "construction": ("Construction", "建筑业"),
    "logistics": ("Logistics and port", "物流与港口"),
    "services": ("Services", "服务业"),
    "tourism": ("Tourism", "旅游业"),
}

# Chinese help beside each lever, condition and run setting (English comes from the schema)
HELP_ZH: dict[str, str] = {
    "enabled": "打开这项改革；关闭时它不产生任何作用。",
    "start_year": "改革从该年第一季度开始。",
    "phase_in_years": "改革达到全部力度所需年数，期间线性增强；0 表示立即全面实施。",
    "layers_merged": "合并掉的行政层级数（“一级政府、三级管理”合并一级）。",
    "departments_merged": "并入其他部门的审批部门比例（大部门制）。",
    "one_window": "由各部门在一个窗口同时审批的申请比例。",
    "admin_staff_cut": "部门合并后削减的行政岗位比例（审批人手随之减少）。",
    "purchase_share": "由外部机构提供而非自办的公共服务比例。",
    "efficiency_gain": "向机构购买时每元比自办多获得的服务。",
    "rural_pension_yuan": "全面实施时农村户籍老人每月养老金。",
    "medical_reimbursement": "城乡合一的医疗保险报销农村户籍居民医疗费用的比例（2010年为0.45）。",
    "education_support_yuan": "每名农村户籍子女每年的教育补助（寄宿、学杂费、课本；2010年价格）。",
    "housing_support": "公租房与租金补贴为住在城镇的农村户籍家庭支付的房租比例。",
    "startup_grant_yuan": "每个新创个体经营获得的规费减免、培训与创业补贴（2010年价格）。",
    "compensation_multiplier": "每亩征地补偿相对2010年标准的倍数。",
    "household_share": "补偿中直接付给农户而非村集体的比例。",
    "social_staff_factor": "调解征地纠纷的网格员与社区工作者相对2010年岗位的倍数。",
    "audit_share_per_year": "每年接受强制清洁生产审核的重化工企业比例。",
    "audit_abatement": "受审核企业按要求措施削减的排放比例。",
    "clean_subsidy_share": "城市承担的清洁技术投资比例。",
    "standard_tightening": "重化工业排放强度标准每年收紧的幅度。",
    "basin_closure_share_per_year": "梁子湖区每年关停或迁出的剩余工业比例。",
    "relocation_share": "湖区被关停工业中迁往转型发展新区的比例。",
    "aquaculture_exit_share": "湖区珍珠与鱼类养殖退出的比例（四年内）。",
    "eco_compensation_bn_per_year": "每年支付给湖区村集体的生态补偿（2016-2018年约0.043）。",
    "green_coefficient": "环境成效在功能区干部考核中的权重：影响企业进入方向并处理农村污水。",
    "port_investment_bn_yuan": "城市每年在三江港建设泊位、堆场与铁水联运的投资（2010年价格）。",
    "trip_cost_cut": "武鄂同城交通（城际铁路、道路、同一票价）使两市间出行成本和时间下降的比例。",
    "relocation_attraction": "沿海转移企业落户鄂州的频率相对2010年的倍数。",
    "recruits_per_year": "每年引进的硕士博士（连同家庭）户数。",
    "founder_share": "带项目在孵化器创办高新技术企业的引进人才比例。",
    "retention_rate": "引进人才家庭每年继续留下的比例。",
    "incubator_strength": "孵化器使新企业关闭率下降、高新技术创业增加的幅度。",
    "training_share_per_year": "每年由城市出资培训为技能型的普通劳动者比例。",
    "returnees_per_year": "每年回乡创业的家庭户数。",
    "spillover_elasticity": "知识型劳动者占比高于2010年时企业生产率的提高。",
    "fund_size_bn": "城市承诺投入创业投资引导基金的资金。",
    "co_investment": "每1元基金带动的社会创业投资。",
    "selection": "基金支持哪些企业：高新技术企业、各行业最盈利企业或成立不满三年的企业。",
    "village_bank_reach": "能获得小额创业贷款的家庭比例（模型不记录贷款本身）。",
    "listing_credit": "规模以上企业通过上市和发债增加的融资能力。",
    "asset_collateral": "四资联动后土地与资产作为抵押品的价值提高。",
    "rights_confirmation": "承包地确权登记颁证的比例。",
    "collective_land_market": "村集体可出租给企业的集体建设用地比例。",
    "land_mortgage_ltv": "农户可用承包地权益抵押的比例。",
    "homestead_compensation_yuan_per_mu": "向放弃宅基地并将户籍迁入城镇的农村家庭提供的每亩补偿。",
    "exchange_reach": "有农村产权交易平台服务的村庄比例，地块经平台出租。",
    "shareholding_share": "改为股份合作社的村比例。",
    "coop_payout": "股份合作社每季度分给成员的现金比例。",
    "hukou_reform": "户籍改革消除进城障碍的程度。",
    "rural_service_share": "新建服务设施、服务人员与运行投入额外放在农村的份额。",
    "rural_infrastructure_bn_per_year": "城市每年建设的农村道路、供水和电力（2010年价）。",
    "sewage_share": "处理的农村生活污水比例。",
    "national_real_growth_pct": "全国实际GDP增长：影响外部对贸易品的需求和生产率。",
    "gdp_deflator_pct": "生产者价格上涨（GDP平减指数）。",
    "cpi_inflation_pct": "居民消费价格上涨：工资和转移支付随之调整。",
    "lending_rate_pct": "一年期贷款基准利率（年末）。",
    "wuhan_demand_growth_pct": "武汉对鄂州服务、物流和旅游需求的实际增长。",
    "wuhan_wage_growth_pct": "武汉名义工资增长：影响赴汉通勤的吸引力。",
    "steel_demand_growth_pct": "全国钢铁需求增长。",
    "steel_price_index": "钢材价格相对一般价格水平（2010=100）。",
    "steel_capacity_cut_share": "当年被要求关闭的钢铁和水泥产能比例。",
    "relocating_firms_per_year": "每年考虑落户鄂州的沿海转移企业数。",
    "seed": "模型随机数生成器的种子。",
    "end_year": "最后模拟的年份（含）。",
    "scale": "每个家庭代理代表的真实家庭数（1=每户一个代理）。",
}

UNITS_ZH: dict[str, str] = {
    "layers": "层级",
    "share of signing departments": "占审批部门比例",
    "share of applications": "占申请比例",
    "share of administrative posts": "占行政岗位比例",
    "share of public-service staff": "占公共服务人员比例",
    "extra services per yuan": "每元额外服务",
    "yuan per month": "元/月",
    "multiple of 2010 compensation per mu": "2010年每亩补偿的倍数",
    "share of compensation": "占补偿比例",
    "share of heavy firms per year": "每年重化工企业比例",
    "share of emissions": "排放比例",
    "share of abatement cost": "减排成本比例",
    "per year": "每年",
    "share of remaining firms per year": "每年剩余企业比例",
    "share of closed firms": "关停企业比例",
    "share of lake aquaculture": "湖区养殖比例",
    "bn yuan per year": "十亿元/年",
    "weight, 0-1": "权重，0-1",
    "multiple of the 2010 settling rate": "2010年落户率的倍数",
    "households per year": "户/年",
    "share of recruited households": "占引进人才户比例",
    "share staying each year": "每年留下比例",
    "share": "比例",
    "share of basic workers per year": "每年普通劳动者比例",
    "productivity % per % rise of the knowledge-worker share": "知识型占比每升1%生产率提高%",
    "bn yuan": "十亿元",
    "private yuan per fund yuan": "每元基金带动社会资本（元）",
    "share of households": "家庭比例",
    "extra borrowing capacity": "额外融资能力",
    "extra collateral value": "额外抵押价值",
    "share of plots confirmed": "确权地块比例",
    "share of collective construction land": "集体建设用地比例",
    "loan / land-rights value": "贷款/土地权益价值",
    "share of households per year": "每年家庭比例",
    "share of villages": "村比例",
    "yuan per mu of homestead at 2010 prices": "元/亩宅基地（2010年价）",
    "share of medical costs": "占医疗费用比例",
    "yuan per child and year (2010 prices)": "元/每名子女每年（2010年价）",
    "share of the rent": "占房租比例",
    "yuan per new business (2010 prices)": "元/每个新创业户（2010年价）",
    "multiple of the 2010 posts": "2010年岗位的倍数",
    "share of a trip's cost and time": "占出行成本与时间比例",
    "share of cash per quarter": "每季度现金比例",
    "share of the barrier removed": "消除的障碍比例",
    "extra share of service spending": "公共服务支出额外份额",
    "bn yuan per year (2010 prices)": "十亿元/年（2010年价）",
    "share of rural sewage treated": "农村污水处理比例",
    "percent per year": "每年百分比",
    "index, 2010 = 100": "指数，2010=100",
    "share of capacity per year": "每年产能比例",
    "firms per year": "家/年",
    "year": "年",
    "years": "年",
    "integer": "整数",
    "households per agent": "每个代理代表的户数",
}

FUND_SELECTION: dict[str, tuple[str, str]] = {
    "high_tech": ("High-tech firms", "高新技术企业"),
    "profitable": ("Most profitable firms", "最盈利企业"),
    "young": ("Firms under three years old", "成立不满三年的企业"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def indicator(column: str, lang: str) -> str:
    pair = INDICATORS.get(column) or ZONE_COLUMNS.get(column) or DISTRIBUTION.get(column)
    return _pick(pair, lang) if pair else column.replace("_", " ")


def zone(key: str, lang: str) -> str:
    return _pick(ZONES[key], lang) if key in ZONES else key


def group(key: str, lang: str) -> str:
    """A group of residents in the distribution table: the city, urban or rural residents,
    or a zone's."""
    pair = DISTRIBUTION.get(f"group.{key}")
    return _pick(pair, lang) if pair else zone(key, lang)


def zone_short(key: str, lang: str) -> str:
    return _pick(ZONES_SHORT[key], lang) if key in ZONES_SHORT else key


def sector(key: str, lang: str) -> str:
    return _pick(SECTORS[key], lang) if key in SECTORS else key


def lever(key: str, lang: str) -> str:
    """A lever's, condition's or run setting's short name."""
    pair = LEVERS.get(key) or CONDITIONS.get(key) or RUN_SETTINGS.get(key)
    return _pick(pair, lang) if pair else key.replace("_", " ")


def factor(path: str, lang: str) -> str:
    """A factor of a sensitivity study by its scenario path, in words: the lever's name with
    its reform in brackets (a condition's with "outside world"), the path itself otherwise."""
    parts = path.split(".")
    if parts[0] == "levers" and len(parts) == 3 and parts[1] in REFORM_TITLES:
        group = _pick(REFORM_TITLES[parts[1]], lang)
    elif parts[0] == "conditions" and len(parts) == 2:
        group = _pick(OUTSIDE_WORLD, lang)
    else:
        return path
    name = lever(parts[-1], lang)
    return f"{name}（{group}）" if lang == "zh" else f"{name} ({group})"


def lever_help(key: str, description: str | None, unit: str | None, lo, hi, lang: str) -> str:
    """The text beside a lever: what it does, its unit and allowed range."""
    if lang == "zh":
        text = HELP_ZH.get(key, description or "")
        u = UNITS_ZH.get(unit or "", unit or "")
        rng = f"取值 {lo:g} 至 {hi:g}" if lo is not None else ""
        return f"{text}（单位：{u}；{rng}）" if u else text
    text = description or ""
    rng = f"allowed {lo:g} to {hi:g}" if lo is not None else ""
    return f"{text} (unit: {unit}; {rng})" if unit else text


def unit(text: str | None, lang: str) -> str:
    if not text:
        return ""
    return UNITS_ZH.get(text, text) if lang == "zh" else text


def is_share(column: str) -> bool:
    """A column holding a share (0 to 1), shown in percent."""
    return column.endswith(("_share", "_rate")) and not column.endswith("_pct")


# columns that count people, households, firms or events: whole numbers however averaged
COUNT_WORDS = (
    "population", "households", "persons", "firms", "recruits", "returnees", "trained",
    "entrants", "exits", "audits", "closures",
)  # fmt: skip


def is_count(column: str) -> bool:
    return not is_share(column) and any(w in column for w in COUNT_WORDS)


def decimals_for(column: str, reference: float) -> int:
    """Decimals that give a value of about the size of ``reference`` three significant
    digits: shared by a value, its change and the change's interval, so they read alike."""
    if is_count(column):
        return 0
    if is_share(column):
        return 1  # of a percentage
    size = abs(float(reference)) if reference == reference else 0.0
    return 0 if size >= 100 else (2 if size < 1e-12 else max(0, 2 - math.floor(math.log10(size))))


def value_text(column: str, x: float, sign: bool = False, decimals: int | None = None) -> str:
    """A value of ``column`` for reading: a share in percent with one decimal (percentage
    points for a change), a count in whole numbers, anything else with ``decimals`` (about
    four significant digits by default); thousands separated."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        return "–"
    plus = "+" if sign else ""
    if is_share(column):
        return f"{100 * x:{plus}.{1 if decimals is None else decimals}f}{' pp' if sign else '%'}"
    if is_count(column):
        return f"{x:{plus},.0f}"
    if decimals is None:
        return num(x, sign=sign)
    return f"{x:{plus},.{decimals}f}"


def vega_format(column: str, values) -> str:
    """A d3 number format for axis and legend labels of ``column``."""
    if is_share(column):
        return ".0%"
    top = max((abs(float(v)) for v in values), default=0.0)
    return ",.0f" if top >= 100 else ",.3~g"


def num(x: float, sig: int = 4, sign: bool = False) -> str:
    """A number for reading: thousands separated, about ``sig`` significant digits."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        return "–"
    plus = "+" if sign else ""
    if abs(x) >= 10 ** (sig - 1):
        return f"{x:{plus},.0f}"
    return f"{x:{plus}.{sig}g}"
