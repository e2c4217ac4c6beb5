"""The ``ezhou`` command: the commands of :mod:`experiments.commands` under one typer app.

User mistakes (a bad scenario file, a bad option) print one line and exit with code 2.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated

import typer
from typer.core import TyperGroup

try:  # typer ships its own copy of click from 0.16 on
    from typer._click import core as click_core
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - older typer
    from click import core as click_core
    from click import exceptions as click_exceptions

from experiments.errors import UserError
from experiments.memory import keep_freed_memory
from experiments.provenance import PACKAGES, git_commit, package_version
from model.scenario import ScenarioError

# each command and where it lives, in the order `ezhou --help` lists them: a command's module
# (and what it imports: the model, the engine, the analyses) is imported only when the
# command runs, so `ezhou run` does not wait for the sensitivity and search code to load
COMMANDS = {
    "run": ("experiments.commands.scenarios", "run"),
    "compare": ("experiments.commands.scenarios", "compare"),
    "validate": ("experiments.commands.scenarios", "validate"),
    "decompose": ("experiments.commands.decompose", "decompose_command"),
    "bench": ("experiments.commands.bench", "bench"),
    "batch": ("experiments.commands.batch", "batch_command"),
    "app": ("experiments.commands.app", "app_command"),
    "sensitivity": ("experiments.commands.sensitivity", "sensitivity_command"),
    "search": ("experiments.commands.search", "search_command"),
    "discover": ("experiments.commands.discover", "discover_command"),
    "report": ("experiments.commands.report", "report_command"),
}


class CommandsByName(MutableMapping[str, click_core.Command]):
    """The commands by name: every name of ``COMMANDS`` is there from the start (so help
    lists them and typer suggests them for a typo), each command made from its function
    when first looked up."""

    def __init__(self) -> None:
        self._made: dict[str, click_core.Command] = {}

    def __getitem__(self, name: str) -> click_core.Command:
        if name not in self._made:
            module, function = COMMANDS[name]  # (KeyError for a name that is no command)
            one = typer.Typer(add_completion=False, rich_markup_mode=None)
            one.command(name=name)(getattr(importlib.import_module(module), function))
            self._made[name] = typer.main.get_command(one)
        return self._made[name]

    def __setitem__(self, name: str, command: click_core.Command) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(COMMANDS), **self._made})

    def __len__(self) -> int:
        return len({**dict.fromkeys(COMMANDS), **self._made})


class Commands(TyperGroup):
    """The ``ezhou`` group, whose commands are made when first asked for."""

    def __init__(self, **settings) -> None:
        super().__init__(**settings)
        self.commands = CommandsByName()


app = typer.Typer(
    cls=Commands,
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
    code = main()
    # the process ends here: Python's shutdown would walk every object the command left
    # (the modules of pandas, SciPy, Mesa, the model) with the collector several times,
    # about 0.2 s of a run; frozen, they are left for the process's end to free
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main_exit()
