"""Pausing Python's cyclic garbage collector while a request builds rows by the ten thousand.

The rows an analysis builds (tuples, lists, strings: no reference cycles) are freed by reference counting; the
cyclic collector still walks them, again and again as they pile up, and its passes took about 40 % of the map's
answer at 10,000 claims and 30,000 links (bench/discourse.py). Anything cyclic made meanwhile waits for the next
pass after the pause.
"""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
