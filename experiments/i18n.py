"""Labels in English and Chinese for indicators, levers, conditions and report text.

One flat table, ``key -> {"en": ..., "zh": ...}``; :func:`t` looks a key up. Keys are the
names the rest of the code already uses: annual-table columns (``gdp_per_capita_yuan``), lever
and condition paths as in scenario files (``levers.talent.recruits_per_year``,
``conditions.steel_price_index``), reform keys (``reform.talent``) and report strings
(``report.*``). A key without a label comes back as itself, so a new indicator shows up under
its column name until someone labels it.
"""

from __future__ import annotations

from experiments.distribution_labels import DISTRIBUTION
from experiments.policy_labels import POLICY
from model.reforms import REFORMS

LANGS = ("en", "zh")

INDICATORS: dict[str, tuple[str, str]] = {
    "goal1_levels_score": ("Goal 1 levels score (0-100)", "目标一 发展水平得分（0-100）"),
    "goal2_per_capita_score": ("Goal 2 per-capita score (0-100)", "目标二 人均水平得分（0-100）"),
    "goal3_quality_score": ("Goal 3 quality score (0-100)", "目标三 发展质量得分（0-100）"),
    "population": ("Resident population", "常住人口"),
    "households": ("Households", "户数"),
    "urbanisation_rate": ("Urbanisation rate", "城镇化率"),
    "gdp_bn_yuan": ("GDP, bn yuan", "地区生产总值（十亿元）"),
    "gdp_real_bn_yuan_2010": ("Real GDP, bn yuan of 2010", "实际GDP（2010年价，十亿元）"),
    "gdp_per_capita_yuan": ("GDP per capita, yuan", "人均GDP（元）"),
    "gdp_per_capita_real_yuan": (
        "Real GDP per capita, yuan of 2010",
        "实际人均GDP（2010年价，元）",
    ),
    "primary_share": ("Primary-sector share of GDP", "第一产业占比"),
    "secondary_share": ("Secondary-sector share of GDP", "第二产业占比"),
    "tertiary_share": ("Tertiary-sector share of GDP", "第三产业占比"),
    "industrialisation_rate": ("Industrialisation rate", "工业化率"),
    "hightech_share": ("High-tech share of GDP", "高新技术产业占GDP比重"),
    "fiscal_revenue_bn_yuan": ("Local fiscal revenue, bn yuan", "地方财政收入（十亿元）"),
    "fiscal_revenue_per_capita_yuan": ("Local revenue per capita, yuan", "人均地方财政收入（元）"),
    "fiscal_revenue_per_capita_real_yuan": (
        "Real local revenue per capita, yuan of 2010",
        "实际人均地方财政收入（2010年价，元）",
    ),
    "public_service_spending_per_capita_yuan": (
        "Public-service spending per capita, yuan",
        "人均公共服务支出（元）",
    ),
    "public_service_spending_per_capita_real_yuan": (
        "Real public-service spending per capita, yuan of 2010",
        "实际人均公共服务支出（2010年价，元）",
    ),
    "public_service_provision_per_capita_real_yuan": (
        "Public services provided per capita, yuan of 2010",
        "人均公共服务供给（2010年价，元）",
    ),
    "public_service_gap_ratio": ("Urban/rural public-service gap", "城乡公共服务差距"),
    "national_real_index": (
        "China's real output since 2010 (2010 = 1)",
        "全国实际产出指数（2010=1）",
    ),
    "gdp_per_capita_vs_national": (
        "Real GDP per capita against China's growth, yuan of 2010",
        "相对全国增长的实际人均GDP（2010年价，元）",
    ),
    "fiscal_revenue_per_capita_vs_national": (
        "Real local revenue per capita against China's growth, yuan of 2010",
        "相对全国增长的实际人均地方财政收入（2010年价，元）",
    ),
    "public_service_provision_per_capita_vs_national": (
        "Public services per capita against China's growth, yuan of 2010",
        "相对全国增长的人均公共服务供给（2010年价，元）",
    ),
    "fixed_asset_investment_bn_yuan": ("Fixed-asset investment, bn yuan", "固定资产投资（十亿元）"),
    "urban_income_per_capita_yuan": ("Urban income per capita, yuan", "城镇居民人均收入（元）"),
    "rural_income_per_capita_yuan": ("Rural income per capita, yuan", "农村居民人均收入（元）"),
    "urban_rural_income_ratio": ("Urban/rural income ratio", "城乡收入比"),
    "unemployment_rate": ("Unemployment rate", "失业率"),
    "firms": ("Firms", "企业数"),
    "above_scale_industrial_firms": ("Above-scale industrial firms", "规模以上工业企业数"),
    "firm_entry_rate": ("Firm entry rate", "企业进入率"),
    "approval_days": ("Approval days", "审批天数"),
    "admin_cost_share": ("Administrative cost share", "行政成本占比"),
    "energy_intensity_index": ("Energy intensity (2010 = 100)", "能耗强度（2010=100）"),
    "emission_intensity_index": ("Emission intensity (2010 = 100)", "排放强度（2010=100）"),
    "lake_water_quality_class": ("Liangzi Lake water class (1-5)", "梁子湖水质类别（1-5）"),
    "green_gdp_bn_yuan": ("Green GDP, bn yuan", "绿色GDP（十亿元）"),
    "knowledge_worker_share": ("Knowledge-worker share", "知识型劳动者占比"),
    "commuters_to_wuhan": ("Commuters to Wuhan", "赴武汉通勤人数"),
    "farm_workers": ("Farm workers", "农业劳动者"),
    "farmland_transferred_mu": ("Farmland transferred, mu", "土地流转面积（亩）"),
    "farmland_requisitioned_mu": ("Farmland requisitioned, mu", "征收耕地（亩）"),
    "compensation_bn_yuan": ("Land compensation, bn yuan", "征地与宅基地补偿（十亿元）"),
    "farmland_rent_bn_yuan": ("Farmland rent, bn yuan", "土地流转租金（十亿元）"),
    "land_sales_bn_yuan": ("Land sales, bn yuan", "土地出让收入（十亿元）"),
    "firm_exits": ("Firm exits", "企业退出数"),
    "firm_entrants": ("Firm entrants", "新进入企业数"),
    "energy_mtce": ("Energy use, Mt of coal equivalent", "能源消费（百万吨标准煤）"),
    "government_debt_bn_yuan": ("Government debt, bn yuan", "政府债务（十亿元）"),
    "moved_to_town_households": ("Households moved to town", "进城落户户数"),
    "industrial_value_added_real_bn_yuan": (
        "Real industrial value added, bn yuan of 2010",
        "实际工业增加值（2010年价，十亿元）",
    ),
    "tax_va_share": ("Taxes / value added", "税收占增加值比重"),
    "agriculture_va_share": ("Agriculture share of value added", "农业增加值占比"),
    "steel_va_share": ("Steel share of value added", "钢铁增加值占比"),
    "building_materials_va_share": ("Building-materials share of value added", "建材增加值占比"),
    "light_manufacturing_va_share": (
        "Light-manufacturing share of value added",
        "轻工制造增加值占比",
    ),
    "high_tech_va_share": ("High-tech share of value added", "高新技术增加值占比"),
    "construction_va_share": ("Construction share of value added", "建筑业增加值占比"),
    "logistics_va_share": ("Logistics share of value added", "物流增加值占比"),
    "services_va_share": ("Services share of value added", "服务业增加值占比"),
    "tourism_va_share": ("Tourism share of value added", "旅游业增加值占比"),
    "industry_workers": ("Industry workers", "工业就业人数"),
    "public_staff": ("Public staff", "公共部门人员"),
    "heavy_abatement_share": ("Heavy industry's clean-technology share", "重化工业清洁技术比例"),
    "audits": ("Clean-production audits", "清洁生产审核（家）"),
    "basin_closures": ("Lake-basin closures", "湖区关停企业"),
    "recruits": ("Recruited households", "引进人才户数"),
    "talent_firms": ("Firms founded by recruits", "人才创办企业"),
    "trained": ("Workers trained", "培训人数"),
    "returnees": ("Return-home entrepreneurs", "返乡创业户数"),
    "fund_new_firms": ("Firms founded by the fund", "引导基金新设企业"),
    "homestead_exits": ("Homestead exits, households", "宅基地退出户数"),
    "collective_land_leased_mu": ("Collective land leased, mu", "集体建设用地出租（亩）"),
    "eco_compensation_bn_yuan": ("Ecological compensation, bn yuan", "生态补偿（十亿元）"),
    "standard_capacity_lost_bn_yuan": (
        "Capacity lost to the emission standard, bn yuan",
        "因排放标准损失产能（十亿元）",
    ),
    "fund_invested_bn_yuan": ("Guidance fund invested, bn yuan", "引导基金投资额（十亿元）"),
    "rural_infrastructure_bn_yuan": ("Rural infrastructure, bn yuan", "农村基础设施投资（十亿元）"),
    "city_interest_bn_yuan": ("City's interest paid, bn yuan", "城市债务利息（十亿元）"),
    "city_interest_share_of_receipts": (
        "City's interest as a share of receipts",
        "城市债务利息占财政收入比例",
    ),
    "platform_investment_bn_yuan": ("Platform investment, bn yuan", "城投平台投资（十亿元）"),
    "firm_interest_bn_yuan": ("Firms' interest paid, bn yuan", "企业利息支出（十亿元）"),
    "household_interest_bn_yuan": ("Households' interest paid, bn yuan", "居民利息支出（十亿元）"),
    "household_debt_bn_yuan": ("Household debt, bn yuan", "居民负债（十亿元）"),
    "loans_written_off_bn_yuan": ("Loans written off, bn yuan", "核销贷款（十亿元）"),
    "firm_defaults": ("Firms in default", "违约企业（家）"),
    "bank_outside_claims_bn_yuan": (
        "Banks' net claims outside the city, bn yuan",
        "银行对市外净债权（十亿元）",
    ),
    "port_investment_bn_yuan": ("Port investment, bn yuan", "港口投资（十亿元）"),
    "pensions_bn_yuan": ("Pensions, bn yuan", "养老金（十亿元）"),
    "social_security_bn_yuan": (
        "Social security beyond pensions, bn yuan",
        "养老金以外的社会保障支出（十亿元）",
    ),
    "startup_grants_bn_yuan": ("Start-up grants, bn yuan", "创业补贴（十亿元）"),
    "disputes_contested_mu": ("Requisitioned land contested, mu", "征地纠纷涉及土地（亩）"),
    "disputes_waiting_mu": ("Contested land waiting, mu", "待调处纠纷土地（亩）"),
    "dispute_days": ("Days to settle a land dispute", "征地纠纷调处天数"),
    "social_staff": ("Grid and community workers", "网格与社区工作者（人）"),
    "port_capacity_mt": ("Port capacity, Mt a year", "港口吞吐能力（百万吨/年）"),
    "port_handled_share": ("Share of cargo handled at home", "本地港口承运货物比例"),
    "freight_cost_index": ("Freight cost index (2010 = 1)", "货运成本指数（2010年=1）"),
}

LEVERS: dict[str, tuple[str, str]] = {
    "enabled": ("Switch the reform on", "启用本项改革"),
    "start_year": ("Start year", "开始年份"),
    "phase_in_years": ("Phase-in, years", "推进期（年）"),
    "layers_merged": ("Administrative layers merged", "合并行政层级"),
    "departments_merged": ("Departments merged", "审批部门合并"),
    "one_window": ("One-window approval", "一窗式并联审批"),
    "admin_staff_cut": ("Administrative posts cut", "行政岗位精简"),
    "purchase_share": ("Services bought from providers", "政府购买服务比例"),
    "efficiency_gain": ("Efficiency of bought services", "购买服务效率提升"),
    "rural_pension_yuan": ("Rural pension", "农村养老金"),
    "medical_reimbursement": ("Medical costs reimbursed", "医疗费用报销比例"),
    "education_support_yuan": ("Allowance per rural child", "农村子女教育补助"),
    "housing_support": ("Rent paid for rural registrants in town", "进城农民房租补贴比例"),
    "startup_grant_yuan": ("Start-up grant", "创业补贴"),
    "compensation_multiplier": ("Compensation per mu", "每亩征地补偿倍数"),
    "household_share": ("Share paid to households", "农户所得比例"),
    "social_staff_factor": ("Grid and community workers", "网格与社区工作者"),
    "audit_share_per_year": ("Clean-production audits", "清洁生产审核比例"),
    "audit_abatement": ("Abatement per audit", "审核减排幅度"),
    "clean_subsidy_share": ("Clean-technology subsidy", "清洁技术补贴比例"),
    "standard_tightening": ("Standard tightening", "排放标准收紧速度"),
    "basin_closure_share_per_year": ("Lake-basin closures", "湖区工业关停比例"),
    "relocation_share": ("Moved rather than closed", "搬迁比例"),
    "aquaculture_exit_share": ("Aquaculture exit", "水产养殖退出"),
    "eco_compensation_bn_per_year": ("Ecological compensation", "生态补偿"),
    "green_coefficient": ("Green coefficient", "绿色考核权重"),
    "port_investment_bn_yuan": ("Port investment", "港口投资"),
    "trip_cost_cut": ("Cheaper trips to Wuhan", "武鄂同城出行成本下降"),
    "relocation_attraction": ("Attraction of relocating firms", "承接产业转移"),
    "recruits_per_year": ("Recruits per year", "每年引进人才"),
    "founder_share": ("Recruits who found firms", "人才创业比例"),
    "retention_rate": ("Retention", "人才留存率"),
    "incubator_strength": ("Incubator strength", "孵化器力度"),
    "training_share_per_year": ("Training", "技能培训比例"),
    "returnees_per_year": ("Returnees per year", "每年返乡创业"),
    "spillover_elasticity": ("Knowledge spill-over", "知识溢出弹性"),
    "fund_size_bn": ("Guidance fund", "创投引导基金规模"),
    "co_investment": ("Private co-investment", "社会资本跟投"),
    "selection": ("Firms the fund backs", "基金投资对象"),
    "village_bank_reach": ("Micro-credit reach", "村镇银行与小额贷款覆盖"),
    "listing_credit": ("Listings and SME bonds", "上市与中小企业集合债"),
    "asset_collateral": ("Assets as collateral", "资产抵押增值"),
    "rights_confirmation": ("Land-rights confirmation", "土地确权"),
    "collective_land_market": ("Collective land market", "集体建设用地入市"),
    "land_mortgage_ltv": ("Land-rights mortgage", "土地经营权抵押"),
    "homestead_compensation_yuan_per_mu": ("Homestead exit compensation", "宅基地退出补偿"),
    "exchange_reach": ("Rights exchange reach", "农村产权交易覆盖"),
    "shareholding_share": ("Shareholding cooperatives", "股份合作社"),
    "coop_payout": ("Cooperative payout", "合作社分红比例"),
    "hukou_reform": ("Registration reform", "户籍制度改革"),
    "rural_service_share": ("Rural share of services", "农村公共服务份额"),
    "rural_infrastructure_bn_per_year": ("Rural infrastructure", "农村基础设施投资"),
    "sewage_share": ("Village sewage treated", "农村污水处理率"),
}

CONDITIONS: dict[str, tuple[str, str]] = {
    "national_real_growth_pct": ("National real growth", "全国实际经济增长"),
    "gdp_deflator_pct": ("GDP deflator", "GDP平减指数"),
    "cpi_inflation_pct": ("Consumer prices", "居民消费价格"),
    "lending_rate_pct": ("Lending rate", "贷款利率"),
    "wuhan_demand_growth_pct": ("Wuhan demand growth", "武汉需求增长"),
    "wuhan_wage_growth_pct": ("Wuhan wage growth", "武汉工资增长"),
    "steel_demand_growth_pct": ("Steel demand growth", "钢铁需求增长"),
    "steel_price_index": ("Steel price", "钢材价格"),
    "steel_capacity_cut_share": ("Capacity cuts", "去产能"),
    "relocating_firms_per_year": ("Relocating firms", "沿海转移企业"),
}

REPORT: dict[str, tuple[str, str]] = {
    "report.sensitivity_title": ("Global sensitivity analysis", "全局敏感性分析"),
    "report.batch_title": ("Batch experiment", "批量实验"),
    "report.generated": ("Generated", "生成时间"),
    "report.summary": ("Summary", "摘要"),
    "report.drivers": ("What drives each output", "各输出的主要影响因素"),
    "report.output_of_effect": (
        ": gain from the reforms (against none, same seed)",
        "：改革带来的增量（对照不改革，同一种子）",
    ),
    "report.output_of_no_reforms": (": with no reform (same seed)", "：不改革（同一种子）"),
    "report.drivers_note": (
        "Parameters ranked by their influence on each output ({index}){norm}.",
        "按对每个输出的影响排序（{index}）{norm}。",
    ),
    "report.top": ("Most influential", "影响最大"),
    "report.output": ("Output", "输出"),
    "report.parameter": ("Parameter", "参数"),
    "report.parameters": ("Parameters", "参数"),
    "report.outputs": ("Outputs", "输出"),
    "report.bounds": ("Range", "取值范围"),
    "report.distribution": ("Distribution", "分布"),
    "report.morris": ("Morris screening: μ* against σ", "Morris 筛选：μ* 与 σ"),
    "report.morris_note": (
        "μ* is the mean absolute elementary effect: the change in the output when one parameter "
        "moves by a step of its range, divided by the step's share of the range (so in the "
        "output's units per whole range). σ is their spread: σ near or above μ* (the dashed "
        "line) means effects that depend on the other parameters (interactions) or are not "
        "linear. Bars show the {conf}% bootstrap interval of μ*.",
        "μ* 为基本效应绝对值的均值：某一参数在取值范围内移动一步时输出的变化，"
        "除以该步长占取值范围的"
        "比例（即单位为“输出单位/整个取值范围”）。σ 为基本效应的标准差：σ 接近或高于 μ*（虚线）"
        "表示效应依赖其他参数（交互作用）或为非线性。横线为 μ* 的 {conf}% 自助法置信区间。",
    ),
    "report.sobol": (
        "Sobol indices: first order S1 and total ST",
        "Sobol 指数：一阶 S1 与总效应 ST",
    ),
    "report.sobol_note": (
        "S1 is the share of the output's variance due to the parameter alone; ST adds its "
        "interactions. Whiskers show {conf}% bootstrap intervals.",
        "S1 为参数单独造成的输出方差比例；ST 另含其交互作用。误差线为 {conf}% 自助法置信区间。",
    ),
    "report.heatmap": ("Indices across outputs", "各输出的指数热图"),
    "report.heatmap_note": (
        "{index} of every parameter (rows) for every output (columns){norm}.",
        "每个参数（行）对每个输出（列）的 {index}{norm}。",
    ),
    "report.normalised": (
        ", divided by the largest value of each output",
        "，按每个输出的最大值归一化",
    ),
    "report.convergence": ("Convergence check", "收敛性检验"),
    "report.convergence_note": (
        "Indices from the first half of the sample (N/2) against the whole sample (N). Points "
        "near the diagonal mean the ranking is settled; the table gives the largest change.",
        "前一半样本（N/2）与全部样本（N）计算的指数对比。点靠近对角线说明结果已稳定；"
        "表中给出最大变化。",
    ),
    "report.max_change": ("Largest change", "最大变化"),
    "report.noise": ("Seed noise", "随机种子噪声"),
    "report.noise_note_one_seed": (
        "Each sample point was run with one seed: seed noise cannot be told apart from the "
        "parameters' effects here (–). Measure it with several seeds at one point "
        "(docs/sensitivity.md, sections 3 and 9): an index no larger than what noise alone "
        "gives says nothing about its parameter.",
        "每个样本点只用一个随机种子运行：此处无法将随机种子噪声与参数效应区分（–）。"
        "请在一个点上用多个种子测量噪声（见 docs/sensitivity.md 第 3、9 节）："
        "不大于纯噪声所给值的指数不能说明该参数的作用。",
    ),
    "report.noise_note": (
        "Each sample point was run with {reps} seeds ({paired}) and the outputs averaged before "
        "the analysis. Share of variance that is seed noise: in single runs, and in the "
        "seed-averaged outputs the indices are computed from (docs/sensitivity.md, section 3).",
        "每个样本点以 {reps} 个随机种子运行（{paired}），分析前取平均。"
        "随机种子噪声所占方差比例：单次运行中的比例，以及用于计算指数的平均输出中的比例"
        "（见 docs/sensitivity.md 第 3 节）。",
    ),
    "report.paired": ("the same seeds at every point", "各点使用相同种子"),
    "report.unpaired": ("its own seeds at every point", "各点使用各自的种子"),
    "report.noise_single": ("Share in single runs", "单次运行中的比例"),
    "report.noise_mean": ("Share in seed means", "种子平均后的比例"),
    "report.method": ("Method", "方法"),
    "report.spec": ("Specification", "实验设定"),
    "report.seeds": ("Seeds", "随机种子"),
    "report.versions": ("Package versions", "软件包版本"),
    "report.runs": ("Runs", "运行次数"),
    "report.failures": ("Failed runs", "失败的运行"),
    "report.trajectories": ("Goal trajectories", "目标得分轨迹"),
    "report.trajectories_note": (
        "Mean over seeds with the 90% band of single runs, by design point.",
        "各设计点的种子均值及单次运行的 90% 区间。",
    ),
    "report.trajectories_many": (
        "{n} design points: thin lines are the design points' means; the band holds 90% of "
        "all runs.",
        "共 {n} 个设计点：细线为各设计点均值，阴影为全部运行的 90% 区间。",
    ),
    "report.comparison": ("Comparison of design points", "设计点比较"),
    "report.comparison_note": (
        "Goal scores in {year}: mean over seeds [5%, 95% of runs].",
        "{year} 年目标得分：种子均值 [单次运行的 5%, 95% 分位]。",
    ),
    "report.design_point": ("Design point", "设计点"),
    "report.truncated": (
        "first {shown} of {n} design points",
        "仅列出 {n} 个设计点中的前 {shown} 个",
    ),
    "report.score": ("Score (0-100)", "得分（0-100）"),
    "report.all_runs": ("all runs", "全部运行"),
    "report.index": ("Index", "指数"),
    "report.value": ("Value", "数值"),
    "report.interval": ("Interval", "区间"),
    "report.half_sample": ("First half of the sample (N/2)", "前一半样本（N/2）"),
    "report.full_sample": ("Whole sample (N)", "全部样本（N）"),
    "report.font_missing": (
        "no CJK font found: Chinese text in figures may not render",
        "未找到中文字体：图中中文可能无法显示",
    ),
    "report.yes": ("yes", "是"),
    "report.no": ("no", "否"),
    "report.row.method": ("method", "方法"),
    "report.row.trajectories": ("trajectories", "轨迹数"),
    "report.row.levels": ("levels", "水平数"),
    "report.row.n": ("base sample N", "基础样本量 N"),
    "report.row.second_order": ("second-order indices", "二阶指数"),
    "report.row.slices": ("slices", "分段数"),
    "report.row.model": ("model", "模型"),
    "report.row.sample_points": ("sample points", "样本点"),
    "report.row.replications": ("replications (seeds per point)", "重复次数（每点种子数）"),
    "report.row.runs": ("runs", "运行次数"),
    "report.row.model_runs": (
        "model runs (each with its no-reform twin)",
        "模型运行次数（每次另有同种子的不改革对照运行）",
    ),
    "report.row.sample_seed": ("sample seed (SALib)", "抽样种子（SALib）"),
    "report.row.paired_seeds": ("paired seeds", "配对种子"),
    "report.row.analysis_seed": ("analysis seed", "分析种子"),
    "report.row.resamples": ("bootstrap resamples", "自助法重抽样次数"),
    "report.row.conf_level": ("confidence level", "置信水平"),
    "report.row.base_scenario": ("base scenario", "基准情景"),
    "report.row.scale": ("scale (households per agent)", "规模（每个代理代表户数）"),
    "report.row.end_year": ("end year", "结束年份"),
    "report.row.executor": ("executor", "执行方式"),
    "report.row.wall_time": ("wall time", "用时"),
    "report.row.design_points": ("design points", "设计点"),
    "report.dropped": (
        "{runs} runs failed (listed below). The analysis leaves out the {blocks} of {total} "
        "trajectories or sample blocks that hold them (ezhou sensitivity --drop-failed): if "
        "failures cluster in one corner of the parameter space, the indices say nothing about "
        "that corner.",
        "{runs} 次运行失败（见下表）。分析中剔除了包含失败运行的 {blocks} 条轨迹或样本块"
        "（共 {total} 条；ezhou sensitivity --drop-failed）。若失败集中在参数空间的某一区域，"
        "指数不反映该区域。",
    ),
    "report.lang_switch": ("中文", "English"),
}


def _build() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for key, (en, zh) in {**INDICATORS, **REPORT, **DISTRIBUTION, **POLICY}.items():
        table[key] = {"en": en, "zh": zh}
    for reform in REFORMS:
        table[f"reform.{reform.key}"] = {"en": reform.title_en, "zh": reform.title_zh}
    for key, (en, zh) in CONDITIONS.items():
        table[f"conditions.{key}"] = {"en": en, "zh": zh}
    for reform in REFORMS:
        for field in reform.Levers.model_fields:
            en, zh = LEVERS.get(field, (field.replace("_", " "), field))
            table[f"levers.{reform.key}.{field}"] = {
                "en": f"{reform.title_en}: {en}",
                "zh": f"{reform.title_zh}：{zh}",
            }
    return table


LABELS: dict[str, dict[str, str]] = _build()


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The label of ``key`` in ``lang`` ("en" or "zh"), formatted with ``fields``; English
    where the language has none, the key itself where neither has."""
    entry = LABELS.get(key)
    text = key if entry is None else entry.get(lang) or entry["en"]
    return text.format(**fields) if fields else text


def short(key: str, lang: str = "en") -> str:
    """A compact label for figure axes: a lever's field label without its reform's title."""
    label = t(key, lang)
    if key.startswith("levers."):
        return label.split("：" if lang == "zh" else ": ", 1)[-1]
    return label
