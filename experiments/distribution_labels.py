"""Labels in English and Chinese for who gains (:mod:`experiments.distributions`): the groups of
residents, the figures of the distribution table, and the words of its report section. Merged
into :data:`experiments.i18n.LABELS`, so :func:`experiments.i18n.t` finds them."""

from __future__ import annotations

DISTRIBUTION: dict[str, tuple[str, str]] = {
    "group.city": ("Whole city", "全市"),
    "group.urban": ("Urban residents", "城镇居民"),
    "group.rural": ("Rural residents", "农村居民"),
    "income_per_capita_real_yuan": (
        "Income per head, yuan of 2010",
        "人均可支配收入（2010年价，元）",
    ),
    "wealth_per_capita_real_yuan": (
        "Savings less debt per head, yuan of 2010",
        "人均金融净资产（2010年价，元）",
    ),
    "land_mu_per_capita": ("Contracted farmland per head, mu", "人均承包耕地（亩）"),
    "gini": ("Gini coefficient of income per head", "人均收入基尼系数"),
    "poverty_share": (
        "Share below the national rural poverty line",
        "低于国家农村贫困线的人口比例",
    ),
    "group_income_per_capita_real_yuan": (
        "Mean income per head, yuan of 2010",
        "人均可支配收入均值（2010年价，元）",
    ),
    "poorest_tenth_income_real_yuan": (
        "Income per head of the poorest tenth, yuan of 2010",
        "最低10%人群人均收入（2010年价，元）",
    ),
    # the report's section (experiments/reports/distribution.py)
    "report.households": ("Who gains: households by income decile", "谁受益：按收入十分位的家庭"),
    "report.households_note": (
        "Residents ranked by their household's disposable income per head over the year and "
        "cut into ten groups of equal size. Money in yuan of 2010 (deflated by consumer "
        "prices). Lines and bars: mean across seeds; bands and whiskers: 90% of seeds.",
        "居民按其家庭全年人均可支配收入排序，分为人数相等的十组。金额为2010年价"
        "（按居民消费价格平减）。线和柱：各种子均值；阴影和误差线：90%种子区间。",
    ),
    "report.lorenz": ("Lorenz curves of income per head, {year}", "{year}年人均收入洛伦兹曲线"),
    "report.lorenz_x": ("Share of persons, poorest first", "人口累计比例（由低到高）"),
    "report.lorenz_y": ("Share of income", "收入累计比例"),
    "report.equality": ("equal shares", "完全平均"),
    "report.deciles": ("Income per head by decile, {year}", "{year}年各十分位组人均收入"),
    "report.decile": ("Income decile (1 = poorest tenth)", "收入十分位组（1 = 最低10%）"),
    "report.over_years": (
        "Inequality and poverty over the years: {group}",
        "{group}：历年不平等与贫困",
    ),
    "report.group_figures": ("Inequality and poverty", "不平等与贫困"),
    "report.group_figures_note": (
        "Mean across seeds [5%, 95% of seeds]. The poverty line is China's national rural "
        "line of the year, applied to every resident: 1,274 yuan in 2010, and from 2011 "
        "2,300 yuan at 2010 prices.",
        "各种子均值 [种子的5%, 95%分位]。贫困线为当年国家农村贫困标准，适用于全体居民："
        "2010年为1274元，2011年起为2010年价2300元。",
    ),
    "report.group": ("Group", "人群"),
    "report.scenario": ("Scenario", "情景"),
    "report.against_baseline": ("Each scenario against {base}", "各情景与{base}对比"),
    "report.against_baseline_note": (
        "In {year}: the scenario's mean across seeds; below it, its mean paired difference "
        "from {base} on the same seeds [90% confidence interval]. Shares in percent, their "
        "differences in percentage points (pp).",
        "{year}年：情景的各种子均值；其下为与{base}在相同种子下的平均配对差值"
        " [90%置信区间]。比例以百分比表示，其差值以百分点表示。",
    ),
    "report.points": (" pp", "个百分点"),
    "report.run_title": ("Scenario run", "情景运行"),
    "report.compare_title": ("Scenario comparison", "情景比较"),
    "report.goals_note": (
        "Each goal's score: mean across seeds with the band of 90% of seeds.",
        "各目标得分：各种子均值及90%种子区间。",
    ),
    "report.no_distribution": (
        "This folder has no distribution.parquet (written by an earlier version): run it again "
        "for this section.",
        "此文件夹没有 distribution.parquet（由较早版本写出）：重新运行即可得到本节。",
    ),
    "report.row.scenario": ("scenario", "情景"),
    "report.row.scenarios": ("scenarios (the first is the reference)", "情景（第一个为参照）"),
    "report.row.years": ("years", "年份"),
    "report.row.seeds": ("seeds", "种子数"),
}
