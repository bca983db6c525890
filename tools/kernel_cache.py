"""Make the Java kernel's start-up cache: a training run of the real kernel, then the JDK's cache.

A JJava kernel spends its first seconds loading and linking some 4,500 classes (its own, JShell's
and javac's) and running javac cold. The JDK can keep that work in a file made at set-up:
- JDK 24 and newer: an AOT cache (JEP 483; on 25 also the training run's method profiles, JEP
  515). The kernel runs once with -XX:AOTMode=record, then `java -XX:AOTMode=create` writes it.
- JDK 21-23: a dynamic CDS archive (-XX:ArchiveClassesAtExit), written when that run exits.
The training run is a kernel started like the real ones (install_kernelspecs.jvm_options: the
same --add-opens, or the JVM rejects the cache), sent the cells a lesson starts with (the setup
cell, a class, timed sequential and concurrent fetches on virtual threads and CompletableFuture),
then a shutdown_request: the JVM writes its record only on a clean exit.

The cache is tied to this JDK and this jjava.jar (the Makefile makes it again when either, or the
helper jar, changes). If it cannot be made, the kernels run without it: slower to start, no less
right. Nothing here fails the set-up.

Usage: python tools/kernel_cache.py JAVA_HOME [PREFIX] [--heap SIZE]
"""
import argparse
import json
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

import install_kernelspecs as specs   # beside this script: Python puts its folder first
from course import kernel, net
from course.paths import LIB, NOTEBOOKS

# What the first minutes of a lesson run, so the cache holds the classes and profiles they need.
TRAINING_CELLS = [
    "1 + 1",
    f"%classpath {LIB}/*.jar",
    """import static asynclab.Lab.*;
import asynclab.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;""",
    """class Shop {
    List<Integer> fetch(int id) {
        try { Thread.sleep(Duration.ofMillis(20)); }
        catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        return List.of(id);
    }
}
Shop shop = new Shop();""",
    "time(() -> System.out.println(shop.fetch(1)));",
    """time(() -> {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = CompletableFuture.supplyAsync(() -> shop.fetch(1), errands);
        var b = CompletableFuture.supplyAsync(() -> shop.fetch(2), errands);
        CompletableFuture.allOf(a, b).join();
        System.out.println(a.join() + " " + b.join());
    }
});""",
    """time("tasks", () -> {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<List<Integer>> a = errands.submit(() -> shop.fetch(1));
        Future<List<Integer>> b = errands.submit(() -> shop.fetch(2));
        System.out.printf("%s %s%n", a.get(5, TimeUnit.SECONDS), b.get(5, TimeUnit.SECONDS));
    }
});""",
    """var timed = measure(() -> CompletableFuture.supplyAsync(() -> shop.fetch(3))
        .thenApply(List::size).get(5, TimeUnit.SECONDS));
String.format(Locale.ROOT, "%d %s", timed.value(), timed.elapsed().isNegative());""",
    "record Pair(int a, String b) {}\nnew Pair(1, \"x\")",
    "for (int i = 0; i < 3; i++) { int j = i * 2; }\nSystem.out.println(\"done\");",
]


def train(java: str, options: list[str], start: list[str], work: pathlib.Path) -> None:
    """Runs the kernel through jupyter_client with `options`, sends TRAINING_CELLS, shuts it down
    with a shutdown_request (so the JVM exits cleanly and writes what it recorded)."""
    spec = work / "kernels" / "java-training"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [java, *options, *start, "{connection_file}"],
        "display_name": "Java (training the start-up cache)", "language": "java",
        "interrupt_mode": "message", "env": {}}))
    with kernel.started("java-training", NOTEBOOKS, kernel_dirs=[str(spec.parent)], stop=exit_cleanly,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as (_, kc):
        for cell in TRAINING_CELLS:
            kernel.run_ok(kc, cell)


def exit_cleanly(km, seconds: float = 300) -> None:
    """A shutdown_request, then SIGTERM if the kernel is still there after 5 s (JJava 1.0a8 answers
    the request but keeps running): both end in a normal JVM exit, where the JVM writes its record.
    Only after `seconds` is the kernel killed."""
    km.request_shutdown()
    if not net.until(lambda: not km.is_alive(), 5):
        km.signal_kernel(signal.SIGTERM)
    if not net.until(lambda: not km.is_alive(), seconds, 0.2):
        km.kill_kernel()
    km.cleanup_resources()


def make(java_home: str, prefix: str, heap: str | None) -> pathlib.Path | None:
    home = pathlib.Path(java_home).resolve()
    java = str(home / "bin" / "java")
    kernels = specs.kernels_dir(prefix)
    jar = kernels / "java" / "jjava.jar"
    cache = specs.cache_file(kernels, specs.feature_release(home))
    cache.unlink(missing_ok=True)
    options = specs.jvm_options(heap)
    start = specs.launcher(home, jar)   # the class path must be the kernels', or the JVM rejects the cache
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kernel-cache-") as tmp:
        work = pathlib.Path(tmp)
        if cache.suffix == ".aot":
            config = work / "jjava.aotconf"
            train(java, [*options, "-Xlog:aot=error", "-XX:AOTMode=record", f"-XX:AOTConfiguration={config}"], start, work)
            made = subprocess.run([java, *options, "-XX:AOTMode=create", f"-XX:AOTConfiguration={config}",
                                   f"-XX:AOTCache={cache}", *start],
                                  capture_output=True, text=True, timeout=600)
            if made.returncode != 0:
                raise RuntimeError(made.stdout[-2000:] + made.stderr[-2000:])
        else:
            train(java, [*options, f"-XX:ArchiveClassesAtExit={cache}"], start, work)
    if not cache.exists():
        raise RuntimeError(f"the JVM wrote no {cache.name}")
    print(f"Kernel start-up cache: {cache} ({cache.stat().st_size // 2**20} MiB, "
          f"{time.perf_counter() - began:.0f} s)")
    return cache


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("java_home")
    parser.add_argument("prefix", nargs="?", default=sys.prefix)
    parser.add_argument("--heap", help="the kernels' maximum heap, as for install_kernelspecs.py")
    args = parser.parse_args()
    try:
        make(args.java_home, args.prefix, args.heap)
    except Exception as error:  # the kernels still start without the cache, only slower
        print(f"No kernel start-up cache ({type(error).__name__}: {str(error).strip()[:500]}); "
              "the Java kernels start without it.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
