"""The app's own words in English and Chinese. Labels of indicators, levers and conditions
are shared with the reports (experiments/i18n.py, through ui/labels.py)."""

from __future__ import annotations

import re

import streamlit as st

from ui.policy_strings import POLICY_STRINGS

LANGS = {"en": "English", "zh": "中文"}

STRINGS: dict[str, tuple[str, str]] = {
    # frame
    "app_title": ("Ezhou reform simulator", "鄂州综合改革模拟器"),
    "pages": ("Pages", "页面"),
    "page_lab": ("Scenario lab", "情景实验室"),
    "page_compare": ("Compare", "情景比较"),
    "page_sensitivity": ("Sensitivity", "敏感性分析"),
    "page_classroom": ("Classroom", "课堂"),
    "page_about": ("About the model", "关于模型"),
    "sidebar_note": (
        "An agent-based model of Ezhou's 2011 comprehensive-reform programme: households, "
        "firms, villages and the five functional zones, quarter by quarter from 2010.",
        "鄂州2011年综合改革方案的主体建模：家庭、企业、村集体和五个功能区，自2010年起逐季度模拟。",
    ),
    # uploads
    "upload_title": ("Upload a scenario file", "上传情景文件"),
    "upload": ("Scenario file (TOML)", "情景文件（TOML）"),
    "upload_help": (
        "A scenario file like those in scenarios/; it is checked like `ezhou validate`.",
        "格式同 scenarios/ 目录中的情景文件；检查方式与 `ezhou validate` 相同。",
    ),
    "upload_error": (
        "This file cannot be used: {error}",
        "该文件无法使用：{error}",
    ),
    "upload_ok": (
        "{name} is valid and is now in the scenario list.",
        "{name} 有效，已加入情景列表。",
    ),
    # lab
    "lab_title": ("Scenario lab", "情景实验室"),
    "lab_intro": (
        "Pick a scenario, change its reforms, the outside world and the run settings, and run "
        "it over several seeds. Each result is compared with the same scenario without reform, "
        "on the same seeds.",
        "选择一个情景，调整改革、外部环境和运行设置，并用多个随机种子运行。"
        "每个结果都与同一情景在相同种子下不实施改革的结果比较。",
    ),
    "scenario": ("Scenario", "情景"),
    "lab_empty": (
        "Results appear here: press Run to simulate the scenario as set on the left.",
        "结果将显示在这里：点击“运行”，按左侧设置模拟该情景。",
    ),
    "levers": ("Reforms", "改革"),
    "levers_intro": (
        "The ten reforms of the programme: ● switched on, ○ off, “changed” where set otherwise "
        "than in the scenario file. Open one to switch it on or off and set its levers; "
        "sliders stay within the ranges the scenario schema allows. Hover over the help icon "
        "beside a lever for what it does and its unit.",
        "方案中的十项改革：● 已启用，○ 未启用，“已修改”表示与情景文件中的设定不同。"
        "展开一项即可启用或关闭该改革并设置其杠杆；滑块只能在情景规范允许的范围内取值。"
        "将鼠标移到杠杆旁的帮助图标上可查看其作用和单位。",
    ),
    "reform_changed": (" · changed", " · 已修改"),
    "conditions": ("Outside world", "外部环境"),
    "conditions_intro": (
        "What the city does not control. A number is held constant over the years; a table of "
        "years is interpolated between the years given.",
        "城市无法控制的因素。单个数值表示各年保持不变；按年份给出的表在年份之间线性插值。",
    ),
    "condition_table": (
        "Year by year, from {lo} to {hi}; years between are interpolated. Add or remove rows "
        "at the table's edge.",
        "逐年取值，范围 {lo} 至 {hi}；两年之间线性插值。可在表格边缘添加或删除行。",
    ),
    "hold_constant": ("Replace by a constant", "改为常数"),
    "run_settings": ("Seeds, scale", "种子与规模"),
    "seeds": ("Seeds", "随机种子数"),
    "seeds_help": (
        "Runs with different random seeds; results are shown as the mean and the 90% interval "
        "across seeds. One seed proves nothing.",
        "使用不同随机种子的运行次数；结果显示为各种子的均值和90%区间。单个种子说明不了问题。",
    ),
    "reset": ("Reset to the file's values", "恢复文件中的取值"),
    "heavy": (
        "Heavy run: {runs} runs at scale {scale} (about {minutes:.1f} minutes on this machine). "
        "It runs in the background and can be cancelled.",
        "计算量较大：规模 {scale} 下共 {runs} 次运行（在本机约需 {minutes:.1f} 分钟）。"
        "将在后台运行，可随时取消。",
    ),
    "heavy_confirm": ("Yes, start this heavy run", "确认开始这次大规模运行"),
    "run": ("Run", "运行"),
    "running": (
        "Running: {done} of {total} runs done, {seconds:.0f} s",
        "运行中：已完成 {done}/{total} 次，{seconds:.0f} 秒",
    ),
    "cancel": ("Cancel", "取消"),
    "cancelled": ("The run was cancelled; nothing was kept.", "运行已取消，未保留任何结果。"),
    "run_failed": ("A run failed: {error}", "运行失败：{error}"),
    "results_title": ("Results: {name}", "结果：{name}"),
    "live_cards": (
        "First results: {done} of {total} seeds done, {year}. The cards change as the other "
        "seeds finish; the charts come when all have.",
        "初步结果：已完成 {done}/{total} 个种子，{year} 年。其余种子完成后卡片会更新，"
        "全部完成后显示图表。",
    ),
    "results_meta": (
        "{seeds} seeds, scale {scale}, {start}-{end}; finished in {seconds:.1f} s.",
        "{seeds} 个种子，规模 {scale}，{start}-{end} 年；用时 {seconds:.1f} 秒。",
    ),
    "reused": (
        "{n} of the runs were taken from earlier identical runs (same scenario and seed).",
        "其中 {n} 次运行取自先前相同的运行（相同情景与种子）。",
    ),
    "year": ("Year", "年份"),
    "vs_reference": ("vs. no reform", "相对不改革"),
    "vs_start": ("since {year}", "相对{year}年"),
    "card_help": (
        "Mean across seeds; 90% of seeds between {lo} and {hi}. "
        "Change: 90% interval [{dlo}, {dhi}].",
        "各种子均值；90%的种子介于 {lo} 与 {hi} 之间。差值的90%置信区间为 [{dlo}, {dhi}]。",
    ),
    "card_caption": (
        "seeds: [{lo}, {hi}] · change: [{dlo}, {dhi}]",
        "种子区间：[{lo}, {hi}] · 变化区间：[{dlo}, {dhi}]",
    ),
    "trajectories": ("Trajectories", "变化轨迹"),
    "zones": ("Zones", "功能区"),
    "distributions": ("Distributions", "分布"),
    "downloads": ("Downloads", "下载"),
    "indicator": ("Indicator", "指标"),
    "series": ("Series", "序列"),
    "no_reform": ("no reform", "不改革"),
    "with_reform": ("with the reform", "实施改革"),
    "band_caption": (
        "Lines: mean across {n} seeds; bands: 90% of seeds.",
        "线：{n} 个种子的均值；阴影：90%种子区间。",
    ),
    "yangtze": ("Yangtze River", "长江"),
    "to_wuhan": ("← Wuhan", "← 武汉"),
    "zone_caption": (
        "Ezhou's three districts (their real boundaries), each zone over the district it lies "
        "in, coloured by the indicator in {year}: mean across seeds. Echeng and Huarong "
        "districts hold two zones each: the dashed line splits them with the model's zone "
        "areas, a sketch rather than an official boundary.",
        "鄂州三个区的实际边界，各功能区画在其所在的区上，颜色表示{year}年该指标的种子均值。"
        "鄂城区和华容区各含两个功能区：虚线按模型中的功能区面积划分，仅为示意，并非官方边界。",
    ),
    "zone": ("Zone", "功能区"),
    "mean": ("Mean", "均值"),
    "sectors_title": ("Value added by sector, {year}", "{year}年分行业增加值"),
    "bn_yuan": ("bn yuan", "十亿元"),
    "sectors_caption": (
        "Bars: mean across seeds; whiskers: 90% of seeds.",
        "柱：各种子均值；误差线：90%种子区间。",
    ),
    # the distributions tab (ui/distribution_tab.py)
    "dist_group": ("Residents", "人群"),
    "dist_measure": ("Figure by decile", "十分位组指标"),
    "lorenz_title": ("Lorenz curves of income per head, {year}", "{year}年人均收入洛伦兹曲线"),
    "lorenz_x": ("Share of residents, poorest first", "居民累计比例（由低到高）"),
    "lorenz_y": ("Share of their income", "收入累计比例"),
    "deciles_title": (
        "{group}, {year}, by income decile: {measure}",
        "{year}年{group}各收入十分位组：{measure}",
    ),
    "decile_axis": ("Income decile (1 = poorest tenth)", "收入十分位组（1 = 最低10%）"),
    "years_title": ("{measure}: {group}", "{group}：{measure}"),
    "figure": ("Figure", "指标"),
    "column_no_reform": ("No reform", "不改革"),
    "effects_title": (
        "With the reform against no reform: {group}, {year}",
        "{year}年{group}：实施改革与不改革对比",
    ),
    "effects_caption": (
        "{name}: mean across {n} seeds [90% of seeds]; no reform: mean on the same seeds; "
        "difference: the mean paired difference with its 90% confidence interval.",
        "{name}：{n} 个种子的均值 [90%种子区间]；不改革：相同种子的均值；"
        "差值：平均配对差值及其90%置信区间。",
    ),
    "spread_title": ("Inequality and poverty: {group}, {year}", "{year}年{group}：不平等与贫困"),
    "spread_caption": (
        "Mean across {n} seeds [90% of seeds]. This scenario switches no reform on: there is no "
        "run without reform to set it against.",
        "{n} 个种子的均值 [90%种子区间]。该情景未启用任何改革，因此没有可对照的不改革运行。",
    ),
    "dist_caption": (
        "Residents are ranked by their household's disposable income per head over the year "
        "and cut into ten groups of equal size; money in yuan of 2010. Lines and bars: mean "
        "across seeds; bands and whiskers: 90% of seeds; grey: no reform; dotted diagonal: "
        "equal shares. The poverty line is China's national rural line of the year "
        "(2,300 yuan at 2010 prices from 2011), applied to every resident.",
        "居民按其家庭全年人均可支配收入排序，分为人数相等的十组；金额为2010年价。"
        "线和柱：各种子均值；阴影和误差线：90%种子区间；灰色：不改革；点线对角线：完全平均。"
        "贫困线为当年国家农村贫困标准（2011年起为2010年价2300元），适用于全体居民。",
    ),
    "download_csv": ("Download results (CSV)", "下载结果（CSV）"),
    "download_zones": ("Download zone results (CSV)", "下载功能区结果（CSV）"),
    "download_distribution": (
        "Download the distribution by decile (CSV)",
        "下载收入十分位分布（CSV）",
    ),
    "download_toml": ("Download the scenario (TOML)", "下载情景文件（TOML）"),
    "download_named": ("Download {name}", "下载 {name}"),
    "reproduce": (
        "The CSV holds one row per seed and year, as `ezhou run` writes annual.csv. "
        "This command reproduces it from the scenario file:",
        "CSV 每行为一个种子的一年，与 `ezhou run` 写出的 "
        "annual.csv 相同。以下命令可由情景文件重现结果：",
    ),
    "goals_note": ("The three goals: {goals}.", "三个目标：{goals}。"),
    # compare
    "cmp_title": ("Compare scenarios", "情景比较"),
    "cmp_intro": (
        "Several scenarios on the same seeds. Each cell gives the mean across seeds and, for "
        "every scenario after the first, the paired difference from the first with its 90% "
        "confidence interval.",
        "多个情景使用相同的随机种子。每格给出各种子均值；除第一个情景外，"
        "还给出与第一个情景的配对差值及其90%置信区间。",
    ),
    "cmp_scenarios": ("Scenarios (the first is the reference)", "情景（第一个为参照）"),
    "cmp_scenarios_help": (
        "Files from scenarios/ and uploaded files. Run settings below apply to all.",
        "来自 scenarios/ 的文件和上传的文件。下面的运行设置适用于全部情景。",
    ),
    "cmp_need_two": ("Choose at least two scenarios.", "请至少选择两个情景。"),
    "cmp_indicators": ("Indicators besides the goal scores", "目标得分以外的指标"),
    "cmp_caption": (
        "Mean across {n} paired seeds (difference from {base} [90% confidence interval]).",
        "{n} 个配对种子的均值（与 {base} 的差值 [90%置信区间]）。",
    ),
    # sensitivity
    "sens_title": ("Sensitivity analysis", "敏感性分析"),
    "sens_intro": (
        "Which levers and outside conditions move the three goals most? Pick the results of a "
        "sensitivity study (`ezhou sensitivity`) or run a small screening here.",
        "哪些政策杠杆和外部条件对三个目标影响最大？"
        "选择一项敏感性分析（`ezhou sensitivity`）的结果，或在此运行一次小型筛选。",
    ),
    "sens_folder": ("Results folder", "结果文件夹"),
    "sens_folder_help": (
        "Folders under the app's results folder ({root}) that hold the results of "
        "`ezhou sensitivity` or a report.",
        "应用结果文件夹（{root}）下保存了 `ezhou sensitivity` 结果或报告的文件夹。",
    ),
    "sens_none": (
        "No sensitivity results under {root} yet. Run a small screening above, or "
        "`ezhou sensitivity SPEC --out {root}/NAME`.",
        "{root} 下还没有敏感性分析结果。可在上方运行一次小型筛选，或运行 "
        "`ezhou sensitivity SPEC --out {root}/NAME`。",
    ),
    "sens_what_matters": ("What matters for each goal", "各目标的主要影响因素"),
    "sens_driver": (
        "**{output}**: moved most by {factor}{second}.",
        "**{output}**：影响最大的是{factor}{second}。",
    ),
    "sens_then": (", then by {factor}", "，其次是{factor}"),
    "sens_weak": (
        "{weak} of the {n} factors matter little (under a tenth of the strongest).",
        "{n} 个因素中有 {weak} 个影响很小（不到最大者的十分之一）。",
    ),
    "sens_unclear": (
        "With this few runs the first two cannot yet be told apart.",
        "以目前的运行次数，前两个因素的影响还无法区分。",
    ),
    "sens_no_values": ("**{output}**: no values.", "**{output}**：没有数值。"),
    "sens_share": ("Influence (share of the strongest factor)", "影响程度（占最大因素的比例）"),
    "sens_chart_caption": (
        "Each bar: how much a factor moves that goal when it changes across its range, as a "
        "share of the factor that moves the goal most (index {index}). Factors are listed from "
        "the strongest to the weakest on average.",
        "每根柱表示某因素在其取值范围内变化时对该目标的影响，以对该目标影响最大的因素为100%"
        "（指数 {index}）。因素按平均影响从大到小排列。",
    ),
    "sens_no_indices": (
        "{folder} has no readable indices.csv; its files are listed below.",
        "{folder} 中没有可读取的 indices.csv；其文件列在下方。",
    ),
    "sens_tables": ("Tables and files (for specialists)", "表格与文件（供专业人员）"),
    "sens_tables_note": (
        "The files `ezhou sensitivity` wrote, with the first rows of each table.",
        "`ezhou sensitivity` 写出的文件，每个表格显示前若干行。",
    ),
    "sens_unreadable": ("{name}: not a readable CSV table", "{name}：不是可读取的 CSV 表格"),
    "sens_report": ("The full report", "完整报告"),
    "sens_report_note": (
        "Shown in a closed frame: nothing in the file can run in your browser. The download "
        "opens in a browser tab of its own.",
        "报告显示在隔离的框架中：文件中的任何脚本都不会在浏览器中运行。"
        "下载的文件可在浏览器中单独打开。",
    ),
    "sens_write_report": ("Write the report (ezhou report)", "生成报告（ezhou report）"),
    "morris_title": ("Run a small Morris screening", "运行小型 Morris 筛选"),
    "morris_intro": (
        "Which levers move the goals most? A Morris screening moves one factor at a time along "
        "random trajectories across the factors' full ranges (one seed per point). Its results "
        "land in a new folder below, as `ezhou sensitivity` writes them.",
        "哪些杠杆对目标影响最大？Morris 筛选沿随机轨迹在各因素的完整取值范围内一次改变一个因素"
        "（每个点一个种子）。结果写入下面的新文件夹，格式与 `ezhou sensitivity` 相同。",
    ),
    "morris_missing": (
        "The sensitivity engine (experiments/analysis/) is not installed here.",
        "此安装中没有敏感性分析引擎（experiments/analysis/）。",
    ),
    "morris_base": (
        "Base scenario (its enabled reforms' levers can be screened)",
        "基准情景（可筛选其已启用改革的杠杆）",
    ),
    "morris_factors": (
        "Factors (levers and conditions, over their full ranges)",
        "因素（杠杆与条件，取完整范围）",
    ),
    "morris_outputs": ("Outputs, in the last year", "输出（最后一年）"),
    "morris_trajectories": ("Trajectories", "轨迹数"),
    "morris_description": (
        "A Morris screening started from the app.",
        "在应用中启动的 Morris 筛选。",
    ),
    "morris_runs": ("{runs} model runs.", "共 {runs} 次模型运行。"),
    "morris_run": ("Run the screening", "运行筛选"),
    "morris_running": (
        "Screening in the background: {seconds:.0f} s so far.",
        "筛选正在后台运行：已用 {seconds:.0f} 秒。",
    ),
    "morris_done": (
        "Screening finished in {seconds:.0f} s: {folder}",
        "筛选完成，用时 {seconds:.0f} 秒：{folder}",
    ),
    "morris_failed": ("{n} runs failed; see {folder}", "{n} 次运行失败，见 {folder}"),
    "sens_no_report": (
        "{folder} has no report.html yet: `ezhou report` writes one.",
        "{folder} 中还没有 report.html：可用 `ezhou report` 生成。",
    ),
    # classroom
    "class_title": ("Classroom", "课堂"),
    "class_intro": (
        "Guided lessons on four reforms: read the question, make your prediction, run the "
        "model with and without the reform on the same seeds, and see the mechanism behind "
        "the result. The step-by-step tab advances a run quarter by quarter.",
        "围绕四项改革的引导式课程：阅读问题、作出预测、在相同种子下运行有无改革的模型，"
        "并了解结果背后的机制。"
        "“逐季推进”标签页可以一个季度一个季度地推进模拟。",
    ),
    "lesson": ("Lesson", "课程"),
    "guided": ("Predict and run", "预测与运行"),
    "stepwise": ("Step by step", "逐季推进"),
    "question": ("The question", "问题"),
    "pred_up": ("rises", "上升"),
    "pred_down": ("falls", "下降"),
    "pred_flat": ("no clear change", "无明显变化"),
    "predict_first": (
        "Make a prediction for each indicator before you run.",
        "运行前请对每个指标作出预测。",
    ),
    "run_lesson": ("Run with and without the reform", "运行有无改革两种情形"),
    "what_happened": ("What the model says", "模型结果"),
    "verdict": (
        "**{name}, {year}**: you predicted *{guess}*; the runs show *{outcome}*. "
        "Without the reform {ref}, with it {value}: difference {diff} "
        "(90% confidence interval {lo} to {hi}, {n} paired seeds).",
        "**{name}，{year}年**：你的预测是“{guess}”，模型结果为“{outcome}”。"
        "不改革为 {ref}，改革后为 {value}：差值 {diff}（90%置信区间 "
        "{lo} 至 {hi}，{n} 个配对种子）。",
    ),
    "difference": ("Difference [90% CI]", "差值 [90%置信区间]"),
    "lesson_caption": (
        "Means across {n} paired seeds; a change counts as clear when its 90% confidence "
        "interval excludes zero.",
        "{n} 个配对种子的均值；当90%置信区间不包含零时，才算明显变化。",
    ),
    "mechanism": ("The mechanism", "作用机制"),
    "step_intro": (
        "Two runs of the lesson's scenario on one seed, with and without the reform, advanced "
        "together. Watch what the reform does each quarter.",
        "本课情景在同一种子下的两次运行（有改革与无改革）同步推进，观察改革每个季度的作用。",
    ),
    "step_start": ("Restart", "重新开始"),
    "step_quarter": ("+1 quarter", "前进一个季度"),
    "step_year": ("+1 year", "前进一年"),
    "step_end": ("To the end", "运行到结束"),
    "stepping": ("Simulating…", "模拟中……"),
    "quarter": ("Quarter", "季度"),
    "step_progress": ("{t} of {n} quarters simulated", "已模拟 {t}/{n} 个季度"),
    "card_goal1_levels_score": ("Goal 1: levels", "目标一：发展水平"),
    "card_goal2_per_capita_score": ("Goal 2: per capita", "目标二：人均水平"),
    "card_goal3_quality_score": ("Goal 3: quality", "目标三：发展质量"),
    "step_none": ("Press +1 quarter to start.", "点击“前进一个季度”开始。"),
    "step_caption": (
        "One seed ({seed}) shows one possible path, not the spread across seeds.",
        "单个种子（{seed}）只显示一种可能路径，不代表各种子间的波动。",
    ),
    # about
    "about_title": ("About the model", "关于模型"),
    "sources_title": ("Data sources", "数据来源"),
    "sources_intro": (
        "Ezhou's figures the 2010 city is calibrated on, each with its source:",
        "2010年城市校准所用的鄂州数据及其来源：",
    ),
    "macro_intro": (
        "National and provincial series behind the historical conditions:",
        "历史情景外部条件所依据的全国和全省统计序列：",
    ),
    "col_indicator": ("indicator", "指标"),
    "col_series": ("series", "序列"),
    "col_year": ("year", "年份"),
    "col_value": ("value", "数值"),
    "col_unit": ("unit", "单位"),
    "col_source": ("source", "来源"),
    "cite_title": ("How to cite", "引用方式"),
    "cite_text": (
        "Please cite the simulator with its version and commit, and name the scenario files "
        "and seeds you used (the downloaded TOML and CSV carry them):",
        "引用时请注明模拟器的版本和提交号，以及所用的情景文件和随机种子（下载的 "
        "TOML 和 CSV 中已包含）：",
    ),
    "versions": ("Package versions", "软件包版本"),
}

# one line on each reform, shown at the top of its group of levers
REFORM_ABOUT: dict[str, tuple[str, str]] = {
    "functional_zones": (
        "One government, three levels of management: shorter approvals speed firm entry; "
        "merged departments cut administrative cost.",
        "一级政府三级管理：缩短审批加快企业进入；大部门制降低行政成本。",
    ),
    "public_institutions": (
        "Public services bought from providers instead of staffed in-house: more service per yuan.",
        "政府购买公共服务代替自办：每元获得更多服务。",
    ),
    "five_securities": (
        "Pensions, insurance, housing and start-up support: households consume more, move to "
        "town and start businesses more readily.",
        "养老、医保、住房和创业扶持：家庭消费增加，更愿意进城和创业。",
    ),
    "social_requisition": (
        "Land requisition pays more per mu, and more of it to households.",
        "征地补偿标准提高，更多补偿直接给农户。",
    ),
    "heavy_industry": (
        "Audits, a tightening standard, lake-basin closures and ecological compensation: "
        "cleaner industry and lake at a short-run cost in output.",
        "清洁生产审核、逐年收紧的标准、湖区关停和生态补偿："
        "以短期产出为代价换取更清洁的工业和湖泊。",
    ),
    "inland_opening": (
        "The port, Wuhan integration and relocating industry: more outside demand and firms.",
        "港口、武鄂同城化和承接产业转移：更多外部需求和企业。",
    ),
    "talent": (
        "Recruits, founders, incubators, training and returnees: more knowledge workers and "
        "high-tech firms.",
        "引进人才、创业、孵化器、培训和返乡创业：更多知识型劳动者和高新技术企业。",
    ),
    "investment_financing": (
        "A venture-capital guidance fund and looser credit: new high-tech firms and investment.",
        "创业投资引导基金和宽松信贷：新设高新技术企业，增加投资。",
    ),
    "land_capitalisation": (
        "Land rights, a farmland market, homestead exit, cooperatives and registration reform.",
        "土地确权、土地流转市场、宅基地退出、股份合作社和户籍改革。",
    ),
    "urban_rural_equalisation": (
        "Rural services, infrastructure and sewage treatment extended to villages.",
        "把公共服务、基础设施和污水处理延伸到农村。",
    ),
}
for _k, _v in REFORM_ABOUT.items():
    STRINGS[f"reform_about_{_k}"] = _v
STRINGS.update(POLICY_STRINGS)


def join_lines(text: str, lang: str) -> str:
    """Markdown written over several lines, with the lines of each Chinese paragraph joined
    (a line break between Chinese characters would show as a space)."""
    if lang != "zh":
        return text
    return re.sub(r"(?<=[^\n])\n(?=[^\n*])", "", text)


def lang() -> str:
    """The language chosen in the sidebar ("en" or "zh")."""
    value = st.session_state.get("lang", "en")
    return value if value in LANGS else "en"


def t(key: str, **fields: object) -> str:
    """The string ``key`` in the chosen language, formatted with ``fields``."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang() == "zh" else pair[0]
    return text.format(**fields) if fields else text
