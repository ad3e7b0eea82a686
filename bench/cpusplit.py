"""The CPU seconds of a bench's process split by who spent them (bench/processing.py)."""
from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path


def cpu_split(c0: float, children: float = 0.0) -> dict:
    """CPU seconds since ``c0`` (process_time) by who spent them: the main thread, the other threads (Kiwi's
    workers, the zstd helper: /proc/self/task, in ticks), the forked clean child."""
    other, me = 0.0, str(threading.get_native_id())
    with contextlib.suppress(OSError):
        for tid in (t for t in os.listdir("/proc/self/task") if t != me):
            f = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
            other += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    return {"main": time.thread_time() - c0, "threads": other, "child": children}
