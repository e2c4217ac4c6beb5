"""``ezhou app``: start the Streamlit app (app.py) on the loopback address."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from experiments.errors import UserError

APP = Path(__file__).resolve().parent.parent.parent / "app.py"


def app_command(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
    address: Annotated[
        str, typer.Option(help="Address to bind (loopback unless you mean to share it).")
    ] = "127.0.0.1",
    browser: Annotated[bool, typer.Option(help="Open a browser tab.")] = False,
) -> None:
    """Open the app: scenario lab, comparison, sensitivity, classroom (Chinese and English)."""
    if not 1 <= port <= 65535:
        raise UserError(f"--port {port}: allowed 1 to 65535")
    if not APP.exists():
        raise UserError(f"{APP}: the app is not in this installation (run from the repository)")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "false" if browser else "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    print(f"Ezhou reform simulator: http://{address}:{port}", file=sys.stderr)
    proc = subprocess.Popen(cmd, cwd=APP.parent)
    # stopping `ezhou app` stops the server too
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait()
        code = 130
    raise typer.Exit(code)
