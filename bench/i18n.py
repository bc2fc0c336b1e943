"""What localisation costs: reading the catalogs at start-up, and one translated message.

    python bench/i18n.py [--repeat N]

Each run is a fresh interpreter (``python -c``), so the import and the first read of every
.po catalog (Babel parses it and compiles it in memory) are measured as the app pays them
at start-up. Then, in this process, N translated messages with placeholders (the pulse
face label) and N whole pulse DMs built in French. Prints medians; last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

START_UP = """
import time
t0 = time.perf_counter()
import bot.core.i18n as i18n
t1 = time.perf_counter()
for code in i18n.SUPPORTED:
    i18n.translator(code)
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""


def start_up(runs: int) -> tuple[float, float]:
    """Median milliseconds: importing bot.core.i18n, then reading all catalogs."""
    imports, catalogs = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", START_UP], capture_output=True, text=True, check=True
        ).stdout.split()
        imports.append(float(out[0]))
        catalogs.append(float(out[1]))
    return statistics.median(imports), statistics.median(catalogs)


def per_message(repeat: int) -> tuple[float, float]:
    """Microseconds per translated face label, per French pulse DM built."""
    from bot.core.i18n import translator
    from bot.pulse.questions import ENPS_QUESTION
    from bot.pulse.views import build_pulse_blocks, face_label

    t = translator("fr")
    began = time.perf_counter()
    for n in range(repeat):
        face_label(n % 5 + 1, t)
    label = (time.perf_counter() - began) / repeat * 1e6
    began = time.perf_counter()
    for n in range(repeat // 10):
        build_pulse_blocks(send_id=n, question=ENPS_QUESTION, threshold=5, t=t)
    dm = (time.perf_counter() - began) / (repeat // 10) * 1e6
    return label, dm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters for start-up")
    args = parser.parse_args()
    imported, catalogs = start_up(args.runs)
    label, dm = per_message(args.repeat)
    print(f"import bot.core.i18n (Babel):       {imported:8.1f} ms (median of {args.runs})")
    print(f"read + compile all 6 catalogs:      {catalogs:8.1f} ms")
    print(f"one translated face label:          {label:8.2f} µs")
    print(f"one French pulse DM (eNPS), built:  {dm:8.1f} µs")
    figures = {
        "import_ms": round(imported, 1),
        "catalogs_ms": round(catalogs, 1),
        "label_us": round(label, 2),
        "pulse_dm_us": round(dm, 1),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
