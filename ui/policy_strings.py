"""The Policy design page's words in English and Chinese, merged into :data:`ui.i18n.STRINGS`.
The discovery's own words (trajectory, box, cases) are the report's (experiments/i18n.py)."""

from __future__ import annotations

POLICY_STRINGS: dict[str, tuple[str, str]] = {
    "page_policy": ("Policy design", "政策设计"),
    "pol_title": ("Policy design", "政策设计"),
    "pol_intro": (
        "Which packages of the ten reforms take the goals furthest for the least debt, and "
        "under which outside conditions do they fall short? Open a search (`ezhou search`) or "
        "a scenario discovery (`ezhou discover`) from the results folder, narrow the Pareto "
        "set objective by objective, and take a package to the Scenario lab as a scenario file.",
        "哪些十项改革的组合能以最少的债务把各目标推进得最远？在哪些外部条件下会达不到目标？"
        "从结果文件夹中打开一次搜索（`ezhou search`）或情景发现（`ezhou discover`），逐个目标"
        "缩小帕累托集，并把选中的组合作为情景文件带到情景实验室运行。",
    ),
    "pol_folder": ("Results folder", "结果文件夹"),
    "pol_folder_help": (
        "Folders under the app's results folder ({root}) that hold a finished search or a "
        "scenario discovery.",
        "应用结果文件夹（{root}）下保存了已完成的搜索或情景发现结果的文件夹。",
    ),
    "pol_none": (
        "No search or discovery under {root} yet. Run a small search above, or "
        "`ezhou search experiments/specs/search_packages.toml --out {root}/search_packages`.",
        "{root} 下还没有搜索或情景发现结果。可在上方运行一次小型搜索，或运行 "
        "`ezhou search experiments/specs/search_packages.toml --out {root}/search_packages`。",
    ),
    "pol_summary": (
        "{algorithm} tried {candidates} packages over {generations} generations, each on "
        "{futures} future(s) with {seeds} seed(s): {runs} runs. {pareto} of them form the "
        "Pareto set: none can do better on one objective without doing worse on another.",
        "{algorithm} 在 {generations} 代中尝试了 {candidates} 个组合，每个组合在 {futures} "
        "种未来情形、每种 {seeds} 个种子下运行，共 {runs} 次运行。其中 {pareto} 个构成帕累托集："
        "任何一个都无法在某一目标上改进而不在其他目标上变差。",
    ),
    "pol_filter": ("Narrow the Pareto set", "缩小帕累托集"),
    "pol_filter_note": (
        "Keep the packages that reach at least (↑) or at most (↓) each value.",
        "只保留各目标至少（↑）或至多（↓）达到所设数值的组合。",
    ),
    "pol_at_least": ("{objective}: at least", "{objective}：至少"),
    "pol_at_most": ("{objective}: at most", "{objective}：至多"),
    "pol_same": (
        "{objective}: {value} in every package of the Pareto set.",
        "{objective}：帕累托集中所有组合均为 {value}。",
    ),
    "pol_kept": (
        "{kept} of {n} packages of the Pareto set meet every limit.",
        "帕累托集的 {n} 个组合中有 {kept} 个满足全部条件。",
    ),
    "pol_none_kept": (
        "No package of the Pareto set meets every limit: loosen one.",
        "帕累托集中没有组合满足全部条件：请放宽某个条件。",
    ),
    "pol_chart_caption": (
        "Each line is a package, each axis an objective from the worst package tried (bottom) "
        "to the best (top). Grey: packages the limits leave out.",
        "每条线代表一个组合，每条轴代表一个目标，底端为所有尝试过组合中最差的值，顶端为最好的值。"
        "灰色：被筛选条件排除的组合。",
    ),
    "pol_axis": ("Objective", "目标"),
    "pol_position": ("Worst tried → best tried", "最差 → 最好"),
    "pol_package": ("Package", "组合"),
    "pol_pick": ("Package to look at", "查看的组合"),
    "pol_levers": ("What it does with each reform", "各项改革的设置"),
    "pol_reform": ("Reform", "改革"),
    "pol_setting": ("Setting", "设置"),
    "pol_levers_of": ("Levers: {levers}", "杠杆：{levers}"),
    "pol_scenario": ("As a scenario file", "作为情景文件"),
    "pol_scenario_note": (
        "The search's base scenario ({base}: its outside world, scale and years) with this "
        "package's levers. Upload it in the Scenario lab, or run `ezhou run {file}`. The "
        "search judged the package over {futures} future(s); the file holds the base's.",
        "即搜索的基准情景（{base}：其外部环境、规模和年份）加上该组合的杠杆设置。可在情景实验室"
        "上传运行，或运行 `ezhou run {file}`。搜索在 {futures} 种未来情形下评价该组合；"
        "文件中为基准情景的外部环境。",
    ),
    "pol_download": ("Download the scenario ({file})", "下载情景文件（{file}）"),
    "pol_no_scenario": (
        "A search of the test problem has no scenario to download.",
        "测试问题的搜索没有可下载的情景。",
    ),
    "pol_unreadable": ("This folder cannot be shown: {error}", "无法显示该文件夹：{error}"),
    # the small search
    "pol_run_title": ("Run a small search", "运行小型搜索"),
    "pol_run_intro": (
        "Choose reforms: each is searched on or off, with its start year and main intensity, "
        "in the ranges of experiments/specs/search_packages.toml. The search runs in the "
        "background through the batch engine and opens below when it ends; Cancel stops it.",
        "选择改革：每项改革都按 experiments/specs/search_packages.toml 中的范围搜索其启用与否、"
        "开始年份和主要强度。搜索通过批量引擎在后台运行，完成后在下方打开；点击“取消”可中止。",
    ),
    "pol_base": (
        "Base scenario (outside world, the other reforms)",
        "基准情景（外部环境与其他改革）",
    ),
    "pol_reforms": ("Reforms to search", "要搜索的改革"),
    "pol_objectives": ("Objectives, in the last year", "目标（最后一年）"),
    "pol_population": ("Packages per generation", "每代组合数"),
    "pol_generations": ("Generations", "代数"),
    "pol_futures": ("Futures (1: the base's own)", "未来情形数（1：基准情景自身）"),
    "pol_runs": ("{runs} model runs.", "共 {runs} 次模型运行。"),
    "pol_run": ("Run the search", "运行搜索"),
    "pol_description": (
        "A small search started from the app's Policy design page.",
        "从应用的政策设计页面启动的小型搜索。",
    ),
    "pol_done": (
        "Search finished in {seconds:.0f} s; {folder} is open below.",
        "搜索完成，用时 {seconds:.0f} 秒；{folder} 已在下方打开。",
    ),
    "pol_cancelled": (
        "The search was cancelled after {done} runs; what finished is kept in {folder}.",
        "搜索已在完成 {done} 次运行后取消；已完成的部分保存在 {folder}。",
    ),
    "pol_failed": ("The search failed: {error}", "搜索失败：{error}"),
}
