"""How long each stage of a build took, and the peak memory by then: what `gongkai build --timings` prints
and the benchmarks break a build down by (issue 14)."""
from __future__ import annotations

import json
import resource
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


def peak_rss_mib() -> float:
    """Peak resident memory so far of this process and of the children it waited for (Pagefind), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)  # Linux reports KiB


@dataclass
class Stages:
    times: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.times[name] = round(self.times.get(name, 0.0) + time.perf_counter() - start, 3)
            self.peaks[name] = peak_rss_mib()

    def as_dict(self) -> dict:
        return {"stages": [{"stage": n, "seconds": s, "peak_rss_mib": self.peaks[n]} for n, s in self.times.items()],
                "total_seconds": round(sum(self.times.values()), 3)}

    def print(self, out=sys.stderr) -> None:
        out.write("GONGKAI_TIMINGS " + json.dumps(self.as_dict(), ensure_ascii=False) + "\n")
