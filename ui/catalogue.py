"""Names in both languages for what the app lists from the project's files: the shipped
scenarios (their files hold English only), the calibration targets and the sources the About
page cites. Anything not listed here (an uploaded scenario, a new source) is shown as its file
gives it."""

from __future__ import annotations

# file stem -> (English name, Chinese name, Chinese description); the English description
# is the file's own
SCENARIOS: dict[str, tuple[str, str, str]] = {
    "baseline": (
        "Baseline (no reform)",
        "基准情景（不改革）",
        "不实施任何改革。全国增长、价格、利率、武汉的增长与工资以及钢铁市场保持2010年的水平。",
    ),
    "full_programme": (
        "Full programme",
        "全部改革",
        "十项改革自2011年起同时实施；外部环境保持2010年的水平。",
    ),
    "historical_2011_2020": (
        "Historical 2011-2020",
        "2011-2020年历史情景",
        "十项改革按方案时间表自2011年起实施，全国和湖北的增长、价格、利率、钢铁市场以及"
        "2016-2017年的去产能均按实际情况设定。",
    ),
    "reform_five_securities": (
        "Five securities only",
        "仅五个全覆盖社会保障",
        "仅自2011年起实施五个全覆盖社会保障改革；其余同基准情景。",
    ),
    "reform_functional_zones": (
        "Functional zones only",
        "仅功能区管理体制改革",
        "仅自2011年起实施功能区管理体制改革；其余同基准情景。",
    ),
    "reform_heavy_industry": (
        "Heavy industry only",
        "仅重化工业转型",
        "仅自2011年起实施重化工业转型；其余同基准情景。",
    ),
    "reform_inland_opening": (
        "Inland opening only",
        "仅内陆开放",
        "仅自2011年起实施内陆开放；其余同基准情景。",
    ),
    "reform_investment_financing": (
        "Investment and financing only",
        "仅投融资体制改革",
        "仅自2011年起实施投融资体制改革；其余同基准情景。",
    ),
    "reform_land_capitalisation": (
        "Land capitalisation only",
        "仅土地资本化改革",
        "仅自2011年起实施土地资本化与产权制度改革；其余同基准情景。",
    ),
    "reform_public_institutions": (
        "Public institutions only",
        "仅事业单位改革",
        "仅自2011年起实施事业单位改革；其余同基准情景。",
    ),
    "reform_social_requisition": (
        "Social management and requisition only",
        "仅社会管理与征地改革",
        "仅自2011年起实施社会管理创新与征地制度改革；其余同基准情景。",
    ),
    "reform_talent": (
        "Talent only",
        "仅经济人成长（人才）",
        "仅自2011年起实施经济人成长（人才）改革；其余同基准情景。",
    ),
    "reform_urban_rural_equalisation": (
        "Urban-rural equalisation only",
        "仅城乡一体化",
        "仅自2011年起实施城乡一体化改革；其余同基准情景。",
    ),
}

# calibration targets (model/calibration/data), by indicator
TARGETS: dict[str, tuple[str, str]] = {
    "land_area": ("Land area", "土地面积"),
    "resident_population": ("Resident population", "常住人口"),
    "echeng_district_population": ("Echeng district population", "鄂城区人口"),
    "district_area_echeng": ("Area of Echeng district", "鄂城区面积"),
    "district_area_liangzihu": ("Area of Liangzihu district", "梁子湖区面积"),
    "district_area_huarong": ("Area of Huarong district", "华容区面积"),
    "registered_population_total": ("Registered population", "户籍人口"),
    "registered_population_urban": ("Registered urban population", "城镇户籍人口"),
    "gdp": ("GDP", "地区生产总值"),
    "gdp_structure_primary": ("Primary-sector share of GDP", "第一产业占比"),
    "gdp_structure_secondary": ("Secondary-sector share of GDP", "第二产业占比"),
    "gdp_structure_tertiary": ("Tertiary-sector share of GDP", "第三产业占比"),
    "local_general_budget_revenue": ("Local general budget revenue", "地方一般预算收入"),
    "total_fiscal_revenue": ("Total fiscal revenue", "财政总收入"),
    "fixed_asset_investment": ("Fixed-asset investment", "固定资产投资"),
    "above_scale_industrial_firms": ("Industrial firms above scale", "规模以上工业企业数"),
    "liangzi_lake_area": ("Area of Liangzi Lake", "梁子湖面积"),
}

# national and provincial series behind the historical conditions
SERIES: dict[str, tuple[str, str]] = {
    "china_real_gdp_growth": ("China, real GDP growth", "全国实际GDP增长"),
    "china_nominal_gdp_growth": ("China, nominal GDP growth", "全国名义GDP增长"),
    "china_cpi_inflation": ("China, consumer-price inflation", "全国居民消费价格涨幅"),
    "hubei_real_gdp_growth": ("Hubei, real GDP growth", "湖北实际GDP增长"),
    "china_crude_steel_output": ("China, crude-steel output", "全国粗钢产量"),
    "china_steel_price_index_dec": ("China steel price index, Dec.", "中国钢材价格指数（12月）"),
    "china_steel_price_index_avg": ("China steel price index, mean", "中国钢材价格指数（年均）"),
    "pboc_one_year_lending_rate": ("One-year benchmark lending rate", "一年期贷款基准利率"),
    # 2010 income reference points, from which Ezhou's income targets are derived
    "hubei_urban_disposable_income_per_capita": (
        "Hubei, urban disposable income per head",
        "湖北城镇居民人均可支配收入",
    ),
    "china_urban_disposable_income_per_capita": (
        "China, urban disposable income per head",
        "全国城镇居民人均可支配收入",
    ),
    "hubei_urban_disposable_income_per_capita_q1_q3": (
        "Hubei, urban disposable income per head, Q1-Q3",
        "湖北城镇居民人均可支配收入（前三季度）",
    ),
    "hubei_rural_cash_income_per_capita_q1_q3": (
        "Hubei, rural cash income per head, Q1-Q3",
        "湖北农村居民人均现金收入（前三季度）",
    ),
}

# sources and units as the data files write them -> Chinese
SOURCES_ZH: dict[str, str] = {
    "Ezhou municipal government website (English pages)": "鄂州市人民政府网站（英文页面）",
    "2010 national census (Sixth Census) as reported for Ezhou": "2010年第六次全国人口普查鄂州数据",
    "2010 national census": "2010年全国人口普查",
    "secondary source (gazetteer summary)": "二手资料（地方志摘要）",
    "Ezhou 1978-2008 statistical review": "鄂州1978-2008年统计回顾",
    "Ezhou 11th Five-Year Plan outline": "鄂州市“十一五”规划纲要",
    "Ezhou 2008 government work report": "鄂州市2008年政府工作报告",
    "Ezhou 12th Five-Year Plan outline": "鄂州市“十二五”规划纲要",
    "statistics-bureau article on 30 years of Ezhou (copy)": "统计局关于鄂州建市30年的文章（转载）",
    "statistics-bureau article (copy)": "统计局文章（转载）",
    "lake surveys": "湖泊调查",
    "NBS revised series (as compiled in public datasets)": "国家统计局修订数据（公开数据集整理）",
    "China Statistical Yearbook (as compiled)": "《中国统计年鉴》（整理）",
    "public dataset citing NBS": "引用国家统计局的公开数据集",
    "provincial release": "湖北省统计公报",
    "NDRC": "国家发展改革委",
    "NDRC (CSPI)": "国家发展改革委（中国钢材价格指数）",
    "derived from 2020 average and change": "由2020年均值及变化推算",
    "PBoC benchmark history": "中国人民银行基准利率历史",
    (
        "NBS inter-provincial table as reprinted in the Hunan Statistical Yearbook 2011"
        " (table 19-18)"
    ): "国家统计局分省数据（转载于《湖南统计年鉴2011》表19-18）",
    "NBS quarterly release: Income of Urban Households by Region (1-3 quarter 2010)": (
        "国家统计局季度数据：分地区城镇居民收入（2010年1-3季度）"
    ),
    "NBS quarterly rural household survey by region (1-3 quarter 2010) as reprinted": (
        "国家统计局分地区农村住户季度调查（2010年1-3季度，转载）"
    ),
}
DATA_UNITS_ZH: dict[str, str] = {
    "km2": "平方公里",
    "persons": "人",
    "bn yuan (nominal)": "十亿元（名义）",
    "share of GDP": "占GDP比重",
    "bn yuan": "十亿元",
    "firms": "家",
    "km2 at normal water level": "平方公里（常水位）",
    "percent": "百分比",
    "million tonnes": "百万吨",
    "index (1994=100)": "指数（1994=100）",
    "percent (year end)": "百分比（年末）",
    "yuan per person": "元/人",
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def scenario_name(key: str, lang: str) -> str:
    """A scenario's name in the lists: a shipped file by its name in the language, an
    uploaded file (``↑ name``) as it is."""
    entry = SCENARIOS.get(key)
    return (entry[1] if lang == "zh" else entry[0]) if entry else key


def scenario_description(key: str, english: str, lang: str) -> str:
    """A shipped scenario's description in Chinese; the file's own otherwise."""
    entry = SCENARIOS.get(key)
    return entry[2] if lang == "zh" and entry else english


def target(key: str, lang: str) -> str:
    return _pick(TARGETS[key], lang) if key in TARGETS else key


def series(key: str, lang: str) -> str:
    return _pick(SERIES[key], lang) if key in SERIES else key


def source(text: str, lang: str) -> str:
    return SOURCES_ZH.get(text, text) if lang == "zh" else text


def data_unit(text: str, lang: str) -> str:
    return DATA_UNITS_ZH.get(text, text) if lang == "zh" else text
