"""Labels in English and Chinese for policy design: the report sections of a search
(:mod:`experiments.reports.search`) and of a scenario discovery
(:mod:`experiments.reports.discovery`). Merged into :data:`experiments.i18n.LABELS`, so
:func:`experiments.i18n.t` finds them."""

from __future__ import annotations

POLICY: dict[str, tuple[str, str]] = {
    # search
    "report.search_title": ("Policy search", "政策搜索"),
    "report.search_summary": (
        "{algorithm} tried {candidates} packages of levers over {generations} generations, each "
        "on the same {futures} future(s) with {seeds} seed(s): {runs} runs. {pareto} packages "
        "form the Pareto set: none of them can be bettered on one objective without losing on "
        "another.",
        "{algorithm} 在 {generations} 代中共尝试了 {candidates} 个政策组合，每个组合都在相同的 "
        "{futures} 种未来情形、每种 {seeds} 个随机种子下运行，共 {runs} 次运行。其中 {pareto} "
        "个组合构成帕累托集：任何一个都无法在某一目标上改进而不在其他目标上变差。",
    ),
    "report.statistic_mean": ("the mean across futures", "各未来情形的均值"),
    "report.statistic_percentile": (
        "the {percentile:g}th percentile across futures, counted from the bad side",
        "各未来情形中从不利一侧计的第 {percentile:g} 百分位数",
    ),
    "report.objectives_note": (
        "Each objective is {statistic}; ↑ to maximise, ↓ to minimise.",
        "每个目标取{statistic}；↑ 表示越大越好，↓ 表示越小越好。",
    ),
    "report.parallel": ("The Pareto set, objective by objective", "帕累托集：逐个目标"),
    "report.parallel_note": (
        "One line per package, one axis per objective, each axis from the worst value of any "
        "package tried (bottom) to the best (top). Grey: every other package tried; coloured: "
        "the Pareto set. Lines that cross between two axes trade those objectives off.",
        "每条线代表一个政策组合，每条竖轴代表一个目标，轴的底端是所有尝试过的组合中最差的值，顶端是"
        "最好的值。灰色：其他尝试过的组合；彩色：帕累托集。两轴之间相互交叉的线说明这两个目标此消彼长。",
    ),
    "report.tradeoffs": ("Trade-offs between pairs of objectives", "目标两两之间的权衡"),
    "report.tradeoffs_note": (
        "Every package tried (grey) and the Pareto set (coloured), for each pair of objectives.",
        "每对目标下所有尝试过的组合（灰色）与帕累托集（彩色）。",
    ),
    "report.pareto_levers": ("The levers of the Pareto set", "帕累托集的政策杠杆"),
    "report.pareto_levers_note": (
        "Each row is a package of the Pareto set, best on the first objective first; each cell "
        "of a reform gives its levers in the order of the second header row, or 'off'. The map "
        "shows each lever from the low end of its range (dark) to the high end (light); blank "
        "where the reform is off.",
        "每行是帕累托集中的一个组合，按第一个目标从好到差排列；每项改革的单元格按第二行表头的顺序"
        "列出其杠杆取值，或“关闭”。下图按各杠杆取值范围从低（深色）到高（浅色）显示；改革关闭处留空。",
    ),
    "report.reform_shares": ("Which reforms the Pareto set holds", "帕累托集包含哪些改革"),
    "report.reform_shares_note": (
        "How many packages of the Pareto set switch each reform on, and the range of its "
        "levers among them.",
        "帕累托集中有多少个组合启用了每项改革，以及这些组合中其杠杆的取值范围。",
    ),
    "report.truncated_packages": (
        "the first {shown} of {n} packages; every one is in pareto.csv",
        "仅列出 {n} 个组合中的前 {shown} 个；全部见 pareto.csv",
    ),
    "report.reform": ("Reform", "改革"),
    "report.on_in": ("On in", "启用于"),
    "report.lever_range": ("Levers among them", "其中杠杆取值"),
    "report.off": ("off", "关闭"),
    "report.on": ("on", "启用"),
    "report.policy": ("Package", "组合"),
    "report.lever_map": ("Levers of the Pareto set", "帕累托集的杠杆取值"),
    "report.hypervolume": ("Convergence: hypervolume by generation", "收敛：各代的超体积"),
    "report.hypervolume_note": (
        "The hypervolume is the share of objective space the Pareto set found so far "
        "dominates, with each objective scaled by the first generation's best and worst "
        "packages (reference point 1.1). A curve that flattens says further generations "
        "find little more.",
        "超体积是迄今找到的帕累托集所支配的目标空间大小，各目标按第一代最好与最差的组合缩放"
        "（参考点为 1.1）。曲线趋平说明继续迭代收获不大。",
    ),
    "report.generation": ("Generation", "代数"),
    "report.front_size": ("Pareto set size", "帕累托集大小"),
    "report.candidates": ("Packages tried", "已尝试组合"),
    "report.futures": ("The futures of the ensemble", "情景集合中的未来情形"),
    "report.futures_note": (
        "Every package ran in each of these futures (the conditions a search does not choose).",
        "每个组合都在以下每种未来情形中运行（搜索不选择的外部条件）。",
    ),
    "report.future": ("Future", "未来情形"),
    "report.row.algorithm": ("algorithm", "算法"),
    "report.row.population": ("packages per generation", "每代组合数"),
    "report.row.generations": ("generations", "代数"),
    "report.row.decisions": ("decisions (levers chosen)", "决策变量（所选杠杆）"),
    "report.row.futures": ("futures", "未来情形数"),
    "report.row.seeds_per_future": ("seeds per future", "每种未来情形的种子数"),
    "report.row.statistic": ("objective across the ensemble", "目标在情景集合上的统计量"),
    "report.row.candidates": ("packages tried", "已尝试组合"),
    "report.row.pareto_size": ("Pareto set", "帕累托集"),
    "report.row.failed_runs": ("failed runs", "失败的运行"),
    "report.row.search_seed": ("search seed", "搜索种子"),
    "report.row.wall_time_session": ("wall time (last session)", "用时（最近一次）"),
    "report.row.hypervolume": ("hypervolume, last generation", "最后一代的超体积"),
    # discovery
    "report.discovery_title": ("Scenario discovery", "情景发现"),
    "report.discovery_of": (
        "Scenario discovery (PRIM) on {folder}",
        "对 {folder} 的情景发现（PRIM）",
    ),
    "report.discovery_summary": (
        "{cases} of {runs} runs ({share}) have {where}. Of the runs where {box}, {density} do, "
        "and they hold {coverage} of all runs that do.",
        "{runs} 次运行中有 {cases} 次（{share}）满足 {where}。"
        "在{box}的运行中，{density} 满足该条件，它们占全部满足条件运行的 {coverage}。",
    ),
    "report.discovery_no_box": (
        "{cases} of {runs} runs ({share}) have {where}; no box of levers and conditions holds "
        "them better than all runs do.",
        "{runs} 次运行中有 {cases} 次（{share}）满足 {where}；"
        "没有任何杠杆与条件的取值范围比全部运行更集中地包含它们。",
    ),
    "report.and": (" and ", "且"),
    "report.peeling": ("Peeling trajectory", "剥离轨迹"),
    "report.peeling_note": (
        "Each point is a box PRIM passed through as it peeled the runs away: coverage is the "
        "share of all cases of interest inside it, density the share of its runs that are "
        "cases. The box kept is ringed; steps after the peeling drop restrictions that could "
        "be chance.",
        "每个点是 PRIM 逐步剥离运行时经过的一个盒子：覆盖率是盒内目标情形占全部目标情形的比例，"
        "密度是盒内运行中目标情形所占的比例。圆圈标出选定的盒子；剥离之后的步骤去掉了可能出于偶然的限制。",
    ),
    "report.coverage": ("Coverage", "覆盖率"),
    "report.density": ("Density", "密度"),
    "report.restricted": ("Inputs restricted", "受限输入数"),
    "report.chosen_box": ("box kept", "选定的盒子"),
    "report.box_limits": ("The box's limits", "盒子的边界"),
    "report.box_limits_note": (
        "Each restricted input's range in the box (blue) within the range the runs took "
        "(grey). The quasi-p-value is the chance of so dense a box were the restriction "
        "dropped; below 0.05 it counts.",
        "盒内每个受限输入的取值范围（蓝色）及其在全部运行中的取值范围（灰色）。"
        "拟 p 值表示去掉该限制后仍得到同样密度的盒子的概率；低于 0.05 即视为显著。",
    ),
    "report.input": ("Input", "输入"),
    "report.in_box": ("In the box", "盒内"),
    "report.runs_range": ("Range in the runs", "运行中的取值范围"),
    "report.qp_value": ("quasi-p", "拟 p 值"),
    "report.significant": ("significant", "显著"),
    "report.no_restriction": (
        "The box kept restricts nothing: no range of the inputs holds the cases better than "
        "all runs do.",
        "选定的盒子没有任何限制：没有哪个输入的取值范围比全部运行更集中地包含目标情形。",
    ),
    "report.cases": ("Cases inside and outside the box", "盒内与盒外的情形"),
    "report.cases_note": (
        "Runs by whether they are cases of interest ({where}) and whether they fall in the box.",
        "按是否为目标情形（{where}）及是否落在盒内划分的运行。",
    ),
    "report.of_interest": ("Cases of interest", "目标情形"),
    "report.other_runs": ("Other runs", "其他运行"),
    "report.outside_box": ("Outside the box", "盒外"),
    "report.total": ("Total", "合计"),
    "report.case_share": ("Share of cases", "目标情形比例"),
    "report.restrict.at_most": ("{name} at most {high}", "{name}不超过 {high}"),
    "report.restrict.at_least": ("{name} at least {low}", "{name}不低于 {low}"),
    "report.restrict.between": ("{name} from {low} to {high}", "{name}在 {low} 至 {high} 之间"),
    "report.restrict.on": ("{name} on", "{name}开启"),
    "report.restrict.off": ("{name} off", "{name}关闭"),
    "report.restrict.is": ("{name} is {value}", "{name}为 {value}"),
    "report.restrict.is_not": ("{name} is not {value}", "{name}不为 {value}"),
    "report.row.where": ("cases of interest", "目标情形"),
    "report.row.source": ("runs of", "运行来源"),
    "report.row.cases": ("cases of interest", "目标情形数"),
    "report.row.runs_without_outcomes": ("runs without the outcomes", "缺少结果的运行"),
    "report.row.chosen_box": ("box kept (step)", "选定的盒子（步骤）"),
    "report.row.peel_alpha": ("peel alpha", "剥离比例"),
    "report.row.paste_alpha": ("paste alpha", "粘贴比例"),
    "report.row.mass_min": ("smallest box (share of runs)", "最小盒子（运行比例）"),
    "report.row.min_coverage": ("least coverage asked", "要求的最低覆盖率"),
}
