"""The batch engine: runs a design's tasks on an executor and streams their tables to disk.

- :mod:`~experiments.engine.tasks`: a task (one run of a design) and what a worker does with it;
- :mod:`~experiments.engine.model_task`: the work function that runs the model for a task;
- :mod:`~experiments.engine.store`: the results folder's layout, reading it back, the summary;
- :mod:`~experiments.engine.parts`: Parquet parts with an index of checksums, written
  atomically and checked on resume (a part deleted, cut short or damaged runs again);
- :mod:`~experiments.engine.manifest`: manifest.json and design.csv;
- :mod:`~experiments.engine.lock`: one process at a time writes a folder (an OS lock; a
  second process is refused, told who holds it);
- :mod:`~experiments.engine.folder`: opening a folder for a session: refuse mixes, lock,
  check and clean the parts, rebuild a lost manifest;
- :mod:`~experiments.engine.atomic`: whole files or nothing, and one line for an OS error;
- :mod:`~experiments.engine.execute`: running every task not yet done through an executor;
- :mod:`~experiments.engine.progress`: the progress bar or log lines.

The executors themselves (serial, process pool, Dask) are :mod:`experiments.executors`, kept at
the package's top because ``python -m experiments.executors slurm`` is a documented command.
The engine knows no file format: experiment and sensitivity files (:mod:`experiments.formats`)
hand it tasks.
"""
