"""Users' files that are wrong in ways a schema alone does not catch: nesting deep enough to
break a recursive reader, a byte-order mark, an empty file, one year written twice, a name
that is a path, a sensitivity file its model cannot run, a base scenario that is not there.
Each is one line naming the file and the key, exit code 2, and nothing written."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from cli_messages import one_error_line

from experiments.cli import main
from experiments.formats.experiment import parse_experiment
from model.scenario import ScenarioError, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
DEEP_ARRAY = "[" * 500 + "]" * 500

SMALL_BATCH = f"""
base = "{BASELINE.as_posix()}"
replications = 1
end_year = 2011
scale = 1000
[factors."levers.talent.enabled"]
values = [false, true]
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def ishigami_spec(parameters: tuple[str, ...]) -> str:
    pi = repr(math.pi)
    blocks = "".join(f'[[parameters]]\npath = "{p}"\nbounds = [-{pi}, {pi}]\n' for p in parameters)
    return (
        'name = "ishigami"\nmodel = "ishigami"\n'
        '[method]\nname = "morris"\ntrajectories = 2\n'
        f'{blocks}[[outputs]]\nindicator = "y"\n'
    )


# ---------------------------------------------------------------- nesting too deep (item 5)


def test_deeply_nested_scenario_is_one_line_not_a_recursion_error(tmp_path, capsys) -> None:
    for text in (f"a = {DEEP_ARRAY}\n", f"[conditions]\ncpi_inflation_pct = {DEEP_ARRAY}\n"):
        path = write(tmp_path / "deep.toml", text)
        assert main(["validate", str(path)]) == 2
        one_error_line(capsys, str(path), "nested")


def test_the_app_gets_a_scenario_error_for_a_deep_upload() -> None:
    inline = "a = " + "{b = " * 500 + "1" + "}" * 500
    for text in (f"a = {DEEP_ARRAY}\n", inline):
        with pytest.raises(ScenarioError, match=r"^upload\.toml: .*nested"):
            parse_scenario(text, "upload.toml")


def test_deeply_nested_batch_and_sensitivity_files_fail_their_dry_runs(tmp_path, capsys) -> None:
    spec = write(tmp_path / "deep.toml", f"name = 'x'\nreplications = {DEEP_ARRAY}\n")
    assert main(["batch", str(spec), "--dry-run"]) == 2
    one_error_line(capsys, str(spec), "nested")
    assert main(["sensitivity", str(spec), "--out", str(tmp_path / "out"), "--dry-run"]) == 2
    one_error_line(capsys, str(spec), "nested")
    assert not (tmp_path / "out").exists()


def test_a_large_but_shallow_value_is_shown_short(tmp_path, capsys) -> None:
    path = write(tmp_path / "long.toml", f"[run]\nscale = {list(range(5000))}\n")
    assert main(["validate", str(path)]) == 2
    err = one_error_line(capsys, str(path), "run.scale")
    assert len(err) < 400, err


# ---------------------------------------------------------------- a dry run that lies (item 6)


def test_dry_run_refuses_an_ishigami_spec_missing_an_input(tmp_path, capsys) -> None:
    spec = write(tmp_path / "ishigami.toml", ishigami_spec(("x1", "x2")))
    assert main(["sensitivity", str(spec), "--out", str(tmp_path / "out"), "--dry-run"]) == 2
    one_error_line(capsys, str(spec), "parameters", "x3")
    complete = write(tmp_path / "complete.toml", ishigami_spec(("x1", "x2", "x3")))
    assert main(["sensitivity", str(complete), "--out", str(tmp_path / "o"), "--dry-run"]) == 0
    assert "= 8 runs" in capsys.readouterr().out


# ---------------------------------------------------------------- names are not paths (item 7)


@pytest.mark.parametrize("name", ["/tmp/elsewhere", "../../x", "..", "a/b", "a\\\\b", ".hidden"])
def test_batch_name_that_is_a_path_is_refused(name, tmp_path, capsys) -> None:
    spec = write(tmp_path / "spec.toml", f'name = "{name}"\n' + SMALL_BATCH)
    assert main(["batch", str(spec), "--dry-run"]) == 2
    one_error_line(capsys, str(spec), "name:", "allowed: letters, digits")


def test_batch_names_that_are_names_are_kept(tmp_path) -> None:
    for name in ("reform_sweep", "sweep-2.v1", "改革"):
        text = f'name = "{name}"\n' + SMALL_BATCH
        assert parse_experiment(text, tmp_path / "spec.toml").name == name
    unnamed = parse_experiment(SMALL_BATCH, tmp_path / "my_spec.toml")
    assert unnamed.name == "my_spec"


# ---------------------------------------------------------------- quietly surprising (item 8)


def test_empty_scenario_file_is_refused(tmp_path, capsys) -> None:
    for text in ("", "\n\n", "# only a comment\n"):
        path = write(tmp_path / "empty.toml", text)
        assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
        one_error_line(capsys, str(path), "sets nothing", 'name = "')
    assert not (tmp_path / "out").exists()
    with pytest.raises(ScenarioError, match="sets nothing"):
        parse_scenario("", "upload.toml")


def test_byte_order_mark_is_accepted(tmp_path, capsys) -> None:
    path = write(tmp_path / "bom.toml", 'name = "with_bom"\n[run]\nscale = 500\n', "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["validate", str(path)]) == 0
    assert "valid (with_bom;" in capsys.readouterr().out
    assert parse_scenario("\ufeffname = 'x'\n").name == "x"
    spec = write(tmp_path / "spec.toml", SMALL_BATCH, "utf-8-sig")
    assert main(["batch", str(spec), "--dry-run"]) == 0


def test_a_year_written_twice_in_one_table_is_refused(tmp_path, capsys) -> None:
    text = '[conditions.cpi_inflation_pct]\n"2011" = 2.0\n"02011" = 3.0\n'
    path = write(tmp_path / "twice.toml", text)
    assert main(["validate", str(path)]) == 2
    one_error_line(capsys, str(path), "conditions.cpi_inflation_pct", "2011", "twice")


# ---------------------------------------------------------------- base files (item 15)


def test_missing_base_says_it_is_read_from_the_spec_folder(tmp_path, capsys) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    batch = write(folder / "batch.toml", SMALL_BATCH.replace(BASELINE.as_posix(), "base.toml"))
    assert main(["batch", str(batch), "--dry-run"]) == 2
    one_error_line(capsys, str(batch), "base:", "relative to the experiment file's folder")
    study = write(
        folder / "study.toml",
        'name = "study"\nbase = "base.toml"\n[method]\nname = "morris"\ntrajectories = 2\n'
        '[[parameters]]\npath = "levers.talent.recruits_per_year"\nbounds = [0, 1000]\n'
        '[[outputs]]\nindicator = "goal2_per_capita_score"\nyear = 2012\n',
    )
    assert main(["sensitivity", str(study), "--out", str(tmp_path / "o"), "--dry-run"]) == 2
    one_error_line(capsys, str(study), "base:", "relative to the sensitivity file's folder")
