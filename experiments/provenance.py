"""Where a result came from: the versions of the packages that made it and the git commit of
the code. Written into every results folder (run.json, manifest.json, sensitivity.json) and
shown on the app's About page."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

# the packages every result depends on; a command adds the ones its own files depend on
PACKAGES = ("ezhou-reform-simulator", "mesa", "numpy", "pandas", "pydantic", "pyarrow")


def package_version(name: str) -> str:
    """The installed version of a package, or "not installed"."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def package_versions(*extra: str) -> dict[str, str]:
    """Versions of the project's core packages and Python, then of ``extra`` packages (in
    this order: the files that hold them keep it)."""
    versions = {name: package_version(name) for name in PACKAGES}
    versions["python"] = platform.python_version()
    for name in extra:
        versions[name] = package_version(name)
    return versions


def git_commit() -> str | None:
    """The commit the code was checked out at; None outside a git checkout."""
    try:
        here = Path(__file__).resolve().parent.parent
        res = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5
        )
        return res.stdout.strip() or None if res.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None
