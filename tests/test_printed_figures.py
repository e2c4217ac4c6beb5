"""What the commands print: figures a reader can take at their word (nominal or yuan of 2010,
the same columns as the app), and no interval where one seed cannot give one."""

from __future__ import annotations

from pathlib import Path

from experiments.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"


def test_batch_with_one_seed_per_point_prints_no_interval(tmp_path, capsys) -> None:
    spec = tmp_path / "one_seed.toml"
    spec.write_text(
        f'base = "{BASELINE.as_posix()}"\nend_year = 2011\nscale = 1000\nreplications = 1\n'
        '[factors."levers.talent.enabled"]\nvalues = [false, true]\n',
        encoding="utf-8",
    )
    args = ["batch", str(spec), "--out", str(tmp_path / "out"), "--executor", "serial"]
    assert main([*args, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "goal scores in 2011" in out
    assert "[" not in out.split("goal scores in 2011")[1].split("results in")[0]
    assert "no interval across seeds" in out and "across 1 seeds" not in out
