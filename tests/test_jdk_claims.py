"""Every version claim lessons 00–04 and the README make, proven on the JDKs of this machine.

Each test runs a small Java program (single-file source launch, `java Prog.java`) on JDK 17 (the
machine's default `java`) and on Temurin 25 (the course's JDK), with the processor count forced by
`-XX:ActiveProcessorCount` where the claim depends on it. The claims, and where the lessons make
them:
- the course needs 21+ for virtual threads (README, 00);
- the common pool's parallelism is max(1, cores - 1) (01, 02, 03);
- `CompletableFuture`'s async methods without an executor: a new thread per task when that
  parallelism is below 2 on JDK 17 (through 24, JDK-8319447's release note), the common pool
  on 25, whatever the parallelism; parallelism 0 set by property becomes 2 on 25 (02, 03, README);
- the delayed executor's timer is a thread of its own, and the delayed action runs on the
  executor given (01, 02);
- on 25 a virtual thread that sleeps or waits inside `synchronized` leaves its carrier (JEP 491,
  JDK 24), while one blocked in a class initializer keeps it (01, 02, README).
"""
import os
import pathlib
import re
import subprocess

import pytest

pytestmark = pytest.mark.slow
JDK17 = pathlib.Path("/usr/lib/jvm/java-17-openjdk-amd64")
JDK25 = pathlib.Path("/usr/lib/jvm/temurin-25-jdk-amd64")

COMMON_POOL = r"""
import java.util.concurrent.*;
public class CommonPool {
    public static void main(String[] args) throws Exception {
        var names = new ConcurrentLinkedQueue<String>();
        Runnable nap = () -> {
            names.add(Thread.currentThread().getName());
            try { Thread.sleep(1000); } catch (InterruptedException e) { }
        };
        long start = System.nanoTime();
        CompletableFuture.allOf(CompletableFuture.runAsync(nap),
            CompletableFuture.runAsync(nap)).get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean common = new CompletableFuture<>().defaultExecutor()
            == ForkJoinPool.commonPool();
        System.out.printf("feature=%d cpus=%d parallelism=%d seconds=%.2f "
            + "common=%b threads=%s%n", Runtime.version().feature(),
            Runtime.getRuntime().availableProcessors(),
            ForkJoinPool.getCommonPoolParallelism(), seconds, common, names);
    }
}
"""

TIMER = r"""
import java.util.concurrent.*;
public class Timer {
    public static void main(String[] args) throws Exception {
        var one = Executors.newSingleThreadExecutor(r -> new Thread(r, "the-only-worker"));
        try {
            Executor later = CompletableFuture.delayedExecutor(
                200, TimeUnit.MILLISECONDS, one);
            var seen = CompletableFuture.supplyAsync(
                () -> Thread.currentThread().getName(), later);
            System.out.println("action=" + seen.get(5, TimeUnit.SECONDS));
        } finally {
            one.shutdown();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().toLowerCase().contains("delay")) {
                System.out.println("timer=" + t.getName());
            }
        }
    }
}
"""

VIRTUAL = r"""
public class Virtual {
    public static void main(String[] args) throws Exception {
        Thread t = Thread.ofVirtual().start(() -> { });
        t.join();
        System.out.println("virtual=" + t.isVirtual());
    }
}
"""

PINNING = r"""
import java.util.concurrent.*;
public class Pinning {
    static void nap() {
        try { Thread.sleep(1000); } catch (InterruptedException e) { }
    }
    static class ShopA { static { nap(); } static void open() { } }
    static class ShopB { static { nap(); } static void open() { } }
    static void twice(String how, Runnable first, Runnable second) {
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.submit(first);
            pool.submit(second);
        }
        System.out.printf("%s=%.2f%n", how, (System.nanoTime() - start) / 1e9);
    }
    public static void main(String[] args) {
        twice("sleep", Pinning::nap, Pinning::nap);
        Runnable inMonitor = () -> { synchronized (new Object()) { nap(); } };
        twice("synchronized", inMonitor, inMonitor);
        Runnable waits = () -> {
            Object lock = new Object();
            synchronized (lock) {
                try { lock.wait(1000); } catch (InterruptedException e) { }
            }
        };
        twice("wait", waits, waits);
        twice("initializer", ShopA::open, ShopB::open);
    }
}
"""


def run_java(jdk: pathlib.Path, source: str, tmp_path, *options: str) -> subprocess.CompletedProcess:
    if not (jdk / "bin" / "java").exists():
        pytest.skip(f"{jdk} is not installed here")
    name = re.search(r"public class (\w+)", source).group(1)
    program = tmp_path / f"{name}.java"
    program.write_text(source)
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")}
    return subprocess.run([str(jdk / "bin" / "java"), *options, str(program)], env=env,
                          capture_output=True, text=True, timeout=120)


def fields(out: str) -> dict:
    return dict(re.findall(r"(\w+)=(\[[^\]]*\]|\S+)", out))


def common_pool(jdk, tmp_path, *options):
    done = run_java(jdk, COMMON_POOL, tmp_path, *options)
    assert done.returncode == 0, done.stderr
    seen = fields(done.stdout)
    seen["seconds"] = float(seen["seconds"])
    return seen


def test_jdk_17_has_no_virtual_threads_and_25_has(tmp_path):
    old = run_java(JDK17, VIRTUAL, tmp_path)
    assert old.returncode != 0 and "ofVirtual" in old.stderr, old.stdout + old.stderr
    new = run_java(JDK25, VIRTUAL, tmp_path)
    assert new.returncode == 0 and "virtual=true" in new.stdout, new.stderr


@pytest.mark.parametrize("jdk", [JDK17, JDK25], ids=["17", "25"])
@pytest.mark.parametrize("cpus, parallelism", [(1, 1), (2, 1), (3, 2)])
def test_common_pool_parallelism_is_cores_minus_one_but_at_least_one(jdk, cpus, parallelism, tmp_path):
    seen = common_pool(jdk, tmp_path, f"-XX:ActiveProcessorCount={cpus}")
    assert seen["cpus"] == str(cpus) and seen["parallelism"] == str(parallelism), seen


@pytest.mark.parametrize("cpus", [1, 2])
def test_jdk_17_starts_a_thread_per_task_when_parallelism_is_below_two(cpus, tmp_path):
    seen = common_pool(JDK17, tmp_path, f"-XX:ActiveProcessorCount={cpus}")
    assert seen["parallelism"] == "1" and seen["common"] == "false", seen
    assert "commonPool" not in seen["threads"], seen
    assert 0.95 <= seen["seconds"] < 1.7, seen      # both blocking naps at once


@pytest.mark.parametrize("cpus", [1, 2])
def test_jdk_25_queues_blocking_tasks_on_the_one_common_pool_worker(cpus, tmp_path):
    seen = common_pool(JDK25, tmp_path, f"-XX:ActiveProcessorCount={cpus}")
    assert seen["parallelism"] == "1" and seen["common"] == "true", seen
    assert seen["threads"].count("ForkJoinPool.commonPool-worker-1") == 2, seen
    assert 1.95 <= seen["seconds"] < 2.8, seen      # one nap after the other


@pytest.mark.parametrize("jdk", [JDK17, JDK25], ids=["17", "25"])
def test_with_parallelism_two_both_jdks_use_the_common_pool(jdk, tmp_path):
    seen = common_pool(jdk, tmp_path, "-XX:ActiveProcessorCount=3")
    assert seen["common"] == "true" and seen["threads"].count("commonPool-worker") == 2, seen
    assert 0.95 <= seen["seconds"] < 1.7, seen


def test_parallelism_zero_by_property_becomes_two_on_25_and_a_thread_per_task_on_17(tmp_path):
    zero = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=0"
    new = common_pool(JDK25, tmp_path, zero)
    assert new["common"] == "true" and new["parallelism"] == "2", new
    old = common_pool(JDK17, tmp_path, zero)
    assert old["common"] == "false" and "commonPool" not in old["threads"], old


@pytest.mark.parametrize("jdk, timer", [(JDK17, "CompletableFutureDelayScheduler"),
                                        (JDK25, "ForkJoinPool.commonPool-delayScheduler")],
                         ids=["17", "25"])
def test_the_delayed_executor_keeps_a_timer_thread_and_runs_the_action_on_yours(jdk, timer, tmp_path):
    done = run_java(jdk, TIMER, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "action=the-only-worker" in done.stdout, done.stdout
    assert f"timer={timer}" in done.stdout, done.stdout


def test_on_25_synchronized_and_wait_do_not_pin_but_a_class_initializer_does(tmp_path):
    one_carrier = ("-Djdk.virtualThreadScheduler.parallelism=1",
                   "-Djdk.virtualThreadScheduler.maxPoolSize=1")
    done = run_java(JDK25, PINNING, tmp_path, *one_carrier)
    assert done.returncode == 0, done.stderr
    seen = {k: float(v) for k, v in fields(done.stdout).items()}
    # one carrier: two one-second waits overlap only if each wait gives the carrier back
    for unpinned in ("sleep", "synchronized", "wait"):
        assert 0.95 <= seen[unpinned] < 1.7, seen
    assert 1.95 <= seen["initializer"] < 2.8, seen
