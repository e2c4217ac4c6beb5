"""About the model: an ODD summary, the data sources and how to cite."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from experiments.provenance import git_commit, package_versions
from model.calibration import calibration_targets, macro_conditions
from ui import catalogue
from ui.i18n import join_lines, lang, t

ODD = {
    "en": """
**Purpose.** In 2011 Hubei made Ezhou (鄂州), a heavy-industry city of about a million people
next to Wuhan, a comprehensive-reform demonstration city with three goals and ten reforms. The
simulator shows how the goals' indicators respond to the reforms and to the outside world, and
how much they vary across random seeds.

**Entities.** Households (zone, urban or rural residence, registration, skills, job, income by
source, savings, land), firms in nine sectors (capital, productivity, workers, land, debt,
energy and emission intensity, clean technology), village collectives (land, cash,
shareholding status) and the governments of the five functional zones and the city. One
household agent stands for `scale` real households (100 by default); every figure is reported
in real-world units.

**Process.** One step is a quarter, from the start of 2010. Each quarter: the rules of the
quarter (pre-reform rules adjusted by each reform in force); demography and migration; firm
entry and exit and what reforms do to agents; the labour market; plans; production and the
goods market; incomes, taxes and transfers; the land market; the environment (energy,
emissions, Liangzi Lake); accounts and records.

**Design concepts.** Reforms change agents' rules and constraints, or act on agents (an audit,
a closure, a recruit); they never set an indicator. Goal indicators emerge from behaviour.
Each reform draws from its own random stream, so runs with and without it stay paired on the
same seed. Money, people and land are conserved, which a run can check every quarter
(`ezhou run --check`).

**Initialisation and data.** The 2010 city is synthesised from Ezhou's census and yearbook
figures and fitted to GDP, its sector shares, investment, fiscal revenue and the number of
above-scale firms. National and provincial conditions (growth, prices, interest rates, steel)
come from published series; zone splits and behavioural constants are documented assumptions.

**Outputs.** Yearly tables of the three goals' indicators and their composite scores (0-100),
a quarterly table of raw records, and a table by zone. See `docs/ODD.md` for the full ODD
description, `docs/reforms.md` for each reform's mechanism and `docs/indicators.md` for every
output column.
""",
    "zh": """
**目的。** 2011年，湖北省将邻近武汉、人口约百万、以重化工业为主的鄂州设为综合改革示范城市，
提出三个目标和十项改革。本模拟器展示各目标指标如何响应改革和外部环境，
以及它们在不同随机种子间的波动。

**实体。** 家庭（功能区、城乡居住地、户籍、技能、就业、分来源收入、储蓄、土地）；九个行业的企业
（资本、生产率、劳动力、土地、债务、能耗与排放强度、清洁技术）；村集体（土地、现金、股份合作状态）；
五个功能区政府和市政府。一个家庭代理代表 `scale` 户真实家庭（默认100户），所有结果均以真实规模报告。

**过程。** 一步为一个季度，从2010年初开始。每个季度依次为：
当季规则（改革前规则经各项在实施的改革调整）；人口与迁移；企业进入退出及改革对主体的作用；劳动力市场；计划；生产与商品市场；收入、税收与转移支付；
土地市场；环境（能源、排放、梁子湖）；核算与记录。

**设计理念。** 改革只改变主体的规则和约束，或直接作用于主体（审核、关停、引进人才），
从不直接设定指标；目标指标由行为涌现。每项改革使用独立的随机数流，因此同一种子下有无改革的两次运行保持配对。
资金、人口和土地守恒，可在每个季度检验（`ezhou run --check`）。

**初始化与数据。** 2010年的城市依据鄂州人口普查和统计年鉴数据合成，并拟合GDP及其产业结构、投资、
财政收入和规模以上企业数。全国和全省条件（增长、价格、利率、钢铁）来自公开统计序列；
功能区划分和行为参数为有文档说明的假设。

**输出。** 三个目标各项指标及其综合得分（0-100）的年度表、季度原始记录表和功能区表。
完整ODD描述见 `docs/ODD.md`，各项改革机制见 `docs/reforms.md`，输出列定义见 `docs/indicators.md`。
""",
}


def figure(value: float) -> str:
    """A calibration figure as a yearbook writes it: whole thousands separated, small ones
    with their decimals."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.6g}"


def page() -> None:
    lg = lang()
    st.title(t("about_title"))
    st.markdown(join_lines(ODD[lg], lg))
    st.subheader(t("sources_title"))
    st.caption(t("sources_intro"))
    targets = calibration_targets()
    heads = {c: t(f"col_{c}") for c in ("indicator", "series", "year", "value", "unit", "source")}
    st.dataframe(
        pd.DataFrame(
            {
                heads["indicator"]: [catalogue.target(k, lg) for k in targets.indicator],
                heads["year"]: targets.year.astype(str),
                heads["value"]: [figure(v) for v in targets.value],
                heads["unit"]: [catalogue.data_unit(u, lg) for u in targets.unit],
                heads["source"]: [catalogue.source(s, lg) for s in targets.source],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    macro = macro_conditions().drop_duplicates("series")
    st.caption(t("macro_intro"))
    st.dataframe(
        pd.DataFrame(
            {
                heads["series"]: [catalogue.series(k, lg) for k in macro.series],
                heads["unit"]: [catalogue.data_unit(u, lg) for u in macro.unit],
                heads["source"]: [catalogue.source(s, lg) for s in macro.source],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.subheader(t("cite_title"))
    versions = package_versions()
    version = versions.get("ezhou-reform-simulator", "")
    commit = (git_commit() or "")[:12]
    st.markdown(t("cite_text"))
    st.code(
        f"Ezhou reform simulator (version {version}{', commit ' + commit if commit else ''}): "
        "an agent-based model of Ezhou's 2011 comprehensive-reform programme. "
        "Model description: docs/ODD.md.",
        language=None,
    )
    with st.expander(t("versions")):
        st.json(versions)
