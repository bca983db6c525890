"""n fake one-second fetches gathered on one asyncio event loop; prints one JSON line.

`python3 bench/python/scale.py 100000` -> {"n": 100000, "seconds": ..., "peak_rss_mb": ...}
The clock runs from just before the coroutines are made until the last one has finished, as in
the Java programs beside it; peak RSS is the process's high-water mark (VmHWM) at the end.
"""
import asyncio
import json
import sys
import time


async def fetch(i: int) -> int:
    await asyncio.sleep(1)  # one fake one-second fetch
    return i


async def gather(n: int) -> float:
    began = time.perf_counter()
    done = await asyncio.gather(*(fetch(i) for i in range(n)))
    elapsed = time.perf_counter() - began
    assert len(done) == n
    return elapsed


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    n = int(sys.argv[1])
    seconds = asyncio.run(gather(n))
    print(json.dumps({"approach": "asyncio.gather", "n": n, "seconds": seconds,
                      "peak_rss_mb": round(peak_rss_mb(), 1)}))
