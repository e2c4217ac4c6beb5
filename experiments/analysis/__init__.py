"""Analyses over many runs; today global sensitivity analysis (SALib).

- :mod:`~experiments.analysis.sampling`: the SALib sample of a sensitivity file, its runs'
  seeds and tasks, and the work functions (the model, or the Ishigami function);
- :mod:`~experiments.analysis.outputs`: from the runs' annual tables to each sample point's
  outputs, and the share of their variance that is seed noise;
- :mod:`~experiments.analysis.indices`: SALib's indices with bootstrap intervals and the
  convergence check;
- :mod:`~experiments.analysis.sensitivity`: the whole study: sample, run through the batch
  engine, analyse, write the results folder.

The file it reads is :mod:`experiments.formats.sensitivity`.
"""
