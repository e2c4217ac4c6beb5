"""How long a user waits on the app, measured in headless chromium:

    python -m ui.bench_app [--servers 3] [--out FILE]

For each of ``--servers`` fresh servers (``streamlit run app.py`` started anew):

- **lab ready, fresh**: from the first request of the lab page to its Run button enabled and
  the page idle, the server having just started (its pool of workers not yet built);
- **lab ready, warm**: the same for a second visit (a new browser session) to that server;
- **click to cards**: the baseline at the default settings (5 seeds, scale 100), from the
  click on Run to the first goal cards (drawn from the first seeds while the others run) and
  to the results of every seed; the first click meets workers still starting, the second
  (other seeds, nothing reused) meets them warm.

Medians over the servers are printed with the machine and its load, and written as JSON to
``--out``. Runs on the machine as it is: quote the load with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from ui.browser import app_server, browser_page, click_to_cards, wait_idle

WAIT_MS = 180_000


def lab_ready(page, url: str) -> float:
    """Seconds from asking for the lab page to its Run button enabled and the page idle."""
    t0 = time.perf_counter()
    page.goto(f"{url}/?page=lab&lang=en")
    page.get_by_role("button", name="Run", exact=True).wait_for(timeout=WAIT_MS)
    page.wait_for_function(
        """() => {
            const s = document.querySelector('[data-testid="stStatusWidget"]');
            const b = [...document.querySelectorAll('button')].find((b) => b.innerText === 'Run');
            return (!s || !/Running|Stop/.test(s.innerText)) && b && !b.disabled;
        }""",
        timeout=WAIT_MS,
    )
    return time.perf_counter() - t0


def set_seed(page, seed: int) -> None:
    page.get_by_role("tab", name="Seeds, scale").click()
    box = page.get_by_label("Seed", exact=True)
    box.fill(str(seed))
    box.press("Enter")
    wait_idle(page, WAIT_MS)


def one_server(folder: Path, index: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with app_server(folder / f"streamlit_{index}.log") as url:
        with browser_page() as page:
            figures["lab_ready_fresh_s"] = lab_ready(page, url)
            # seeds never asked before on this server: nothing comes from the run cache
            set_seed(page, 1000 + 10 * index)
            first, every = click_to_cards(page, timeout=WAIT_MS)
            figures["cards_first_click_s"], figures["all_seeds_first_click_s"] = first, every
            wait_idle(page, WAIT_MS)
            set_seed(page, 1005 + 10 * index)
            first, every = click_to_cards(page, timeout=WAIT_MS)
            figures["cards_warm_s"], figures["all_seeds_warm_s"] = first, every
        with browser_page() as page:
            figures["lab_ready_warm_s"] = lab_ready(page, url)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=3, help="fresh servers to measure")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ezhou-bench-app-") as tmp:
        for index in range(args.servers):
            rows.append(one_server(Path(tmp), index))
            print(
                f"server {index + 1}: "
                + ", ".join(f"{k} {v:.2f}" for k, v in rows[-1].items())
                + f" (load {os.getloadavg()[0]:.2f})",
                flush=True,
            )
    medians = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
    print(f"\nmedians over {len(rows)} fresh servers ({machine}; load {load_before:.2f} before,")
    print(f"{os.getloadavg()[0]:.2f} after):")
    for key, value in medians.items():
        print(f"  {key:26s} {value:6.2f} s")
    if args.out:
        args.out.write_text(
            json.dumps({"servers": rows, "medians": medians, "machine": machine}, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
