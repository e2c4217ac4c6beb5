"""The batch engine: runs a design's tasks on an executor and streams their tables to disk.

- :mod:`~experiments.engine.tasks`: a task (one run of a design) and what a worker does with it;
- :mod:`~experiments.engine.model_task`: the work function that runs the model for a task;
- :mod:`~experiments.engine.store`: the results folder (Parquet parts, manifest, resume scan,
  summary) and reading it back;
- :mod:`~experiments.engine.execute`: running every task not yet done through an executor;
- :mod:`~experiments.engine.progress`: the progress bar or log lines.

The executors themselves (serial, process pool, Dask) are :mod:`experiments.executors`, kept at
the package's top because ``python -m experiments.executors slurm`` is a documented command.
The engine knows no file format: experiment and sensitivity files (:mod:`experiments.formats`)
hand it tasks.
"""
