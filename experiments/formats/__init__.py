"""The files users write to describe experiments, parsed and checked before anything runs.

- :mod:`~experiments.formats.factors`: factor names as paths into the scenario schema, and the
  values they may take;
- :mod:`~experiments.formats.designs`: the designs of an experiment file (grid, Latin
  hypercube, explicit points);
- :mod:`~experiments.formats.experiment`: the experiment file of ``ezhou batch``;
- :mod:`~experiments.formats.sensitivity`: the sensitivity file of ``ezhou sensitivity``.

Every mistake is one line naming the file, the key path and what is allowed
(:class:`experiments.errors.SpecError`).
"""
