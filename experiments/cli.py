"""The ``ezhou`` command: the commands of :mod:`experiments.commands` under one typer app.

User mistakes (a bad scenario file, a bad option) print one line and exit with code 2.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

try:  # typer ships its own copy of click from 0.16 on
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer
    from click import exceptions as click_exceptions

from experiments.commands.app import app_command
from experiments.commands.batch import batch_command
from experiments.commands.bench import bench
from experiments.commands.decompose import decompose_command
from experiments.commands.discover import discover_command
from experiments.commands.report import report_command
from experiments.commands.scenarios import compare, run, validate
from experiments.commands.search import search_command
from experiments.commands.sensitivity import sensitivity_command
from experiments.errors import UserError
from experiments.memory import keep_freed_memory
from experiments.provenance import PACKAGES, git_commit, package_version
from model.scenario import ScenarioError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Ezhou reform simulator: run scenarios of Ezhou's 2011 comprehensive-reform "
    "programme and see how its three goals move.",
)


def version_line() -> str:
    """The project's installed version and the git commit of its code."""
    commit = git_commit()
    where = f"git commit {commit}" if commit else "not a git checkout"
    return f"ezhou {package_version(PACKAGES[0])} ({where})"


def print_version(wanted: bool) -> None:
    if wanted:
        print(version_line())
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=print_version,
            is_eager=True,
            help="Print the version and git commit of the code, then exit.",
        ),
    ] = False,
) -> None:
    """Options of ``ezhou`` itself, before any command."""


# in the order `ezhou --help` lists them
app.command(name="run")(run)
app.command(name="compare")(compare)
app.command(name="validate")(validate)
app.command(name="decompose")(decompose_command)
app.command(name="bench")(bench)
app.command(name="batch")(batch_command)
app.command(name="app")(app_command)
app.command(name="sensitivity")(sensitivity_command)
app.command(name="search")(search_command)
app.command(name="discover")(discover_command)
app.command(name="report")(report_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: one-line messages and exit code 2 for user mistakes."""
    keep_freed_memory()  # (a scale-1 run's page faults: experiments/memory.py)
    try:
        # a command's typer.Exit(code), and an interrupt (130), come back as the return value
        code = app(args=argv, standalone_mode=False)
    except (ScenarioError, UserError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except click_exceptions.UsageError as exc:
        cmd = exc.ctx.command_path if exc.ctx else "ezhou"
        print(f"error: {cmd}: {exc.format_message()}", file=sys.stderr)
        return 2
    except OSError as exc:
        # the commands check their files and folders first; this is what is left (a disk
        # that fills, a file removed under a run): one line naming the path, not a traceback
        where = exc.filename or "ezhou"
        print(f"error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    return code if isinstance(code, int) else 0


def main_exit() -> None:
    sys.exit(main())


if __name__ == "__main__":
    main_exit()
