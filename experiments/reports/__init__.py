"""``ezhou report DIR``: one self-contained HTML file for a run, comparison, batch,
sensitivity, search or discovery folder.

The report is a single file, ``DIR/report.html``, that opens offline: figures are PNG images
embedded as base64 data, styles are inline, and nothing refers to another file or address.

- A **sensitivity** folder (``ezhou sensitivity``): the parameters that drive each output, the
  Morris μ*–σ plots or the Sobol S1/ST bars with their intervals (delta or PAWN likewise), a
  heat map of the indices across outputs, the convergence check (indices from the first half
  of the sample against the whole), the seed noise, the method, the file as written, the
  seeds and the package versions (:mod:`~experiments.reports.sensitivity`).
- A **batch** folder (``ezhou batch``): each goal's trajectory by design point with the 90%
  band of single runs, a table comparing the design points in the last year, the file as
  written, the seeds and the package versions (:mod:`~experiments.reports.batch`).
- A **search** folder (``ezhou search``): the Pareto set in parallel coordinates and in pairs
  of objectives, the levers of its packages (a table and a map), which reforms it holds, the
  hypervolume by generation, the futures of the ensemble (:mod:`~experiments.reports.search`).
- A **discovery** folder (``ezhou discover``): PRIM's peeling trajectory, the kept box's limits
  with their quasi-p-values, and the runs inside and outside the box
  (:mod:`~experiments.reports.discovery`). A batch, sensitivity or search report shows the
  discovery in the folder's ``discovery/`` as well.
- A **run** or **comparison** folder (``ezhou run``, ``ezhou compare``): each goal's trajectory
  by scenario, and who gains: Lorenz curves and income by decile in the first and last year,
  the Gini coefficient and poverty share with their seed intervals, each scenario against the
  first on the same seeds (:mod:`~experiments.reports.scenarios`,
  :mod:`~experiments.reports.distribution`).

:mod:`~experiments.reports.figures` draws the figures, :mod:`~experiments.reports.text` writes
numbers and labels, :mod:`~experiments.reports.render` fills the jinja templates of
``experiments/templates/``. Reports read results folders only: they import no engine.

``--lang zh`` writes every label in Chinese. Figures then need a font with Chinese glyphs:
:func:`~experiments.reports.figures.cjk_font_file` looks for one by file path (``make browser``
installs Debian's fonts-noto-cjk; ``EZHOU_CJK_FONT`` names another) and says so in one line if
there is none.
"""
