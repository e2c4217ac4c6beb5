"""Scenario files: valid ones load, malformed ones fail in one line with exit code 2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from experiments.cli import main
from model.scenario import ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent

MALFORMED = {
    "unknown_key.toml": ("[conditions]\nnational_growth = 7.0\n", "conditions.national_growth"),
    "wrong_type.toml": ('[run]\nscale = "big"\n', "run.scale"),
    "out_of_range.toml": ("[conditions]\ncpi_inflation_pct = 80\n", "conditions.cpi_inflation_pct"),
    "bad_toml.toml": ("[run\nscale = 10\n", "not valid TOML"),
}


def test_baseline_file_is_valid() -> None:
    sc = load_scenario(ROOT / "scenarios" / "baseline.toml")
    assert sc.name == "baseline"
    assert sc.run.start_year == 2010 and sc.run.end_year == 2020 and sc.run.scale == 100


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_scenario_exits_2_with_one_line(name, tmp_path, capsys) -> None:
    text, expect = MALFORMED[name]
    path = tmp_path / name
    path.write_text(text)
    out_dir = tmp_path / "out"
    code = main(["run", str(path), "--out", str(out_dir)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert str(path) in err and expect in err
    assert not out_dir.exists()


def test_missing_file_exits_2(tmp_path, capsys) -> None:
    code = main(["validate", str(tmp_path / "nope.toml")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "no such file" in err


def test_messages_say_what_is_allowed() -> None:
    with pytest.raises(ScenarioError, match=r"from -5 to 20 \(percent per year\)"):
        parse_scenario("[conditions]\ncpi_inflation_pct = 80\n", "x.toml")
    with pytest.raises(ScenarioError, match=r"allowed here: seed, start_year, end_year, scale"):
        parse_scenario("[run]\nseeds = 3\n", "x.toml")
    with pytest.raises(ScenarioError, match=r"run.end_year: 2040 is out of range"):
        parse_scenario("[run]\nend_year = 2040\n", "x.toml")
    with pytest.raises(ScenarioError, match=r"year 1990 is outside"):
        parse_scenario("[conditions.cpi_inflation_pct]\n1990 = 2.0\n", "x.toml")


def test_bad_command_line_option_exits_2(capsys) -> None:
    baseline = str(ROOT / "scenarios" / "baseline.toml")
    assert main(["run", baseline, "--scale", "0"]) == 2
    assert main(["run", baseline, "--no-such-option"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error:") for line in err)


def test_condition_tables_interpolate_and_hold() -> None:
    sc = parse_scenario("[conditions.cpi_inflation_pct]\n2012 = 2.0\n2014 = 4.0\n")
    years = np.arange(2010, 2017, dtype=float)
    assert sc.conditions.path("cpi_inflation_pct", years).tolist() == [2, 2, 2, 3, 4, 4, 4]


def test_resolved_scenario_round_trips() -> None:
    text = 'name = "x"\n[conditions.cpi_inflation_pct]\n2012 = 2.0\n[run]\nscale = 50\n'
    sc = parse_scenario(text)
    again = parse_scenario(sc.to_toml())
    assert again == sc
