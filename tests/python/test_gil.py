"""Core calls release the GIL: Python threads keep running while the engine works."""

from __future__ import annotations

import threading
import time

from conftest import TEXTS
from ospo import _ospo


def test_python_runs_while_the_engine_works() -> None:
    # Identifying a long text (five copies of matplotlib's licence field) takes tens of
    # milliseconds of native work per call, with a small result to convert.
    text = (TEXTS / "matplotlib-3.11.2.License.txt").read_text(encoding="utf-8") * 5
    _ospo.identify(text)  # the index is built once, outside the measurement
    calls = 5
    done = threading.Event()

    def engine() -> None:
        for _ in range(calls):
            _ospo.identify(text)
        done.set()

    ticks = 0
    t = threading.Thread(target=engine)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    # Holding the GIL, the engine thread would let this loop run only between its calls
    # (about `calls` ticks); released, the loop ticks every millisecond or so.
    assert elapsed > 0.05, elapsed
    assert ticks > 10 * calls, (ticks, elapsed)
