"""The results folder of a search: which search it holds, and its files.

A search folder holds::

    DIR/search.json          what the search is (its fingerprint, spec, algorithm, seeds),
                             and once finished: the hypervolume's yardstick, runs, time
    DIR/spec.toml, DIR/base_scenario.toml
    DIR/generations/gen-NNNN/
                             each generation's runs: a batch folder (runs/, parts/,
                             manifest.json, design.csv) and, once all its runs are in,
                             outcomes.parquet (each run's objectives and constraints)
    DIR/evaluations.csv      every run: generation, candidate, future, seed, levers,
                             conditions, objectives and constraints, error
    DIR/candidates.csv       every candidate: its levers and its objectives and constraints
                             across the ensemble, failed runs, feasible
    DIR/pareto.csv           the final Pareto set (rows of candidates.csv)
    DIR/convergence.csv      per generation: candidates so far, front size, hypervolume
    DIR/futures.csv          the ensemble's futures: their condition values

The summary files are written together when the search ends (nothing half-written); a
stopped search has its generations' folders and ``search.json``, and ``--resume`` continues it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from experiments.engine.atomic import replace_text, utc_now
from experiments.engine.lock import LOCK_NAME, OWNER_NAME
from experiments.errors import UserError
from experiments.formats.search import Search
from experiments.provenance import git_commit, package_versions
from experiments.runner import staged

HEAD = "search.json"
FILES = ("evaluations.csv", "candidates.csv", "pareto.csv", "convergence.csv", "futures.csv")


def read_head(out: Path) -> dict | None:
    """The folder's ``search.json``; None when there is none."""
    path = Path(out) / HEAD
    try:
        head = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot be read ({exc}); choose another --out") from None
    if not isinstance(head, dict) or head.get("kind") != "search" or "fingerprint" not in head:
        raise UserError(f"{path}: not a search's description; choose another --out")
    return head


def check_search_folder(out: Path, fingerprint: str, resume: bool) -> None:
    """``out`` is new, empty, or holds this search (then only with ``resume``)."""
    out = Path(out)
    head = read_head(out)
    if head is not None:
        if not resume:
            raise UserError(
                f"{out} already holds a search: continue it with --resume, or choose another --out"
            )
        if head["fingerprint"] != fingerprint:
            raise UserError(
                f"{out} holds a search of a different spec (hash {head['fingerprint'][:12]}, "
                f"this spec {fingerprint[:12]}): resume with the spec it was started with, "
                "or choose another --out"
            )
        return
    if out.is_dir():
        entries = sorted(p.name for p in out.iterdir() if p.name not in (LOCK_NAME, OWNER_NAME))
        if entries:
            shown = ", ".join(entries[:5])
            raise UserError(
                f"{out}: holds {shown} but no {HEAD}, so it is not a search's folder; allowed: "
                "a new or empty folder, or a search's folder with --resume"
            )


def describe(search: Search, fingerprint: str) -> dict:
    """What the search is, as search.json says it."""
    spec = search.spec
    return {
        "kind": "search",
        "name": search.name,
        "description": spec.description,
        "fingerprint": fingerprint,
        "spec_file": str(search.path),
        "model": spec.model,
        "algorithm": search.algorithm,
        "population": spec.algorithm.population,
        "generations": spec.algorithm.generations,
        "seed": spec.seed,
        "decisions": [
            {
                "path": d.path,
                "kind": d.kind,
                "low": d.low,
                "high": d.high,
                "choices": list(d.choices),
            }
            for d in search.decisions
        ],
        "objectives": [
            {"name": name, **objective.model_dump(exclude_none=True)}
            for name, objective in zip(search.objective_names, spec.objectives, strict=True)
        ],
        "constraints": [
            {"name": name, **constraint.model_dump(exclude_none=True)}
            for name, constraint in zip(search.constraint_names, spec.constraints, strict=True)
        ],
        "robustness": {
            "futures": len(search.futures),
            "seeds": search.seeds,
            "statistic": spec.robustness.statistic,
            "percentile": spec.robustness.percentile,
        },
        "runs_per_candidate": search.runs_per_candidate,
        "base_scenario": search.base.name if search.base is not None else None,
        "scale": search.base.run.scale if search.base is not None else None,
        "end_year": search.base.run.end_year if search.base is not None else None,
        "versions": package_versions("pymoo"),
        "git_commit": git_commit(),
    }


def write_head(out: Path, search: Search, fingerprint: str) -> None:
    """Mark the folder as this search's, before its first run (kept as it was on resume)."""
    path = Path(out) / HEAD
    if path.is_file():
        return
    head = {**describe(search, fingerprint), "state": "running", "started": utc_now()}
    replace_text(path, json.dumps(head, indent=2, default=str) + "\n")


def write_results(
    out: Path,
    search: Search,
    fingerprint: str,
    evaluations: pd.DataFrame,
    candidates: pd.DataFrame,
    front: pd.DataFrame,
    convergence: pd.DataFrame,
    finish: dict,
) -> None:
    """The summary files and the finished search.json, all at once."""
    out = Path(out)
    started = (read_head(out) or {}).get("started", utc_now())
    head = {
        **describe(search, fingerprint),
        "state": "finished",
        "started": started,
        "finished": utc_now(),
        "candidates": len(candidates),
        "runs": len(evaluations),
        "pareto_size": len(front),
        **finish,
    }
    order = ["generation", "candidate", "future", "run_id", "seed"]
    evaluations = evaluations[order + [c for c in evaluations.columns if c not in order]]
    futures = pd.DataFrame(search.futures) if search.futures != [{}] else pd.DataFrame()
    futures.insert(0, "future", range(len(search.futures)))
    with staged(out) as tmp:
        (tmp / "spec.toml").write_text(search.text, encoding="utf-8")
        if search.base is not None:
            (tmp / "base_scenario.toml").write_text(search.base.to_toml(), encoding="utf-8")
        evaluations.to_csv(tmp / "evaluations.csv", index=False)
        candidates.to_csv(tmp / "candidates.csv", index=False)
        front.to_csv(tmp / "pareto.csv", index=False)
        convergence.to_csv(tmp / "convergence.csv", index=False)
        futures.to_csv(tmp / "futures.csv", index=False)
        (tmp / HEAD).write_text(json.dumps(head, indent=2, default=str) + "\n", encoding="utf-8")
