package asynclab;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ForkJoinPool;

/**
 * The verdicts of the errand verbs ({@code runsAtOnce}, {@code runsOneAtATime}, {@code capsAt},
 * {@code cancels}): they judge the {@link Errands}' records of what the answer did, not the clock.
 */
final class ErrandVerdict {
    private ErrandVerdict() {}

    enum Shape { AT_ONCE, ONE_AT_A_TIME, CAPPED, CANCELS }

    static Work<Object> block(Block answer) {
        return answer == null ? null : () -> {
            answer.run();
            return null;
        };
    }

    /** What the answer returned, the spans when it did, and how many errands had started by then. */
    private record Returned<T>(T value, List<Errands.Errand> spans, int started) {}

    static <T> String line(Check check, Shape shape, int n, Errands errands, Work<? extends T> answer, T expected, boolean checkValue) {
        if (errands == null) {
            throw new IllegalArgumentException("the check needs the Errands the answer uses, got null");
        }
        if (shape == Shape.CAPPED && n < 1) {
            throw new IllegalArgumentException("a cap must be at least 1: " + n);
        }
        String goal = switch (shape) {
            case AT_ONCE -> "the errands to run at the same time";
            case ONE_AT_A_TIME -> "the errands to run one at a time";
            case CAPPED -> "at most " + n + " errands at once";
            case CANCELS -> "the answer to give up and cancel what it started";
        };
        if (answer == null) {
            return check.fail("expected " + goal + ", but got no answer at all (null instead of code to run)");
        }
        errands.begin();
        long each = errands.each().toNanos();
        int planned = Math.max(2, errands.handedOut().size());
        Duration time = check.timeoutGiven() ? check.timeout() : Sandbox.max(check.timeout(), Duration.ofNanos(each * planned + 2_000_000_000L));
        Lag lag = Lag.start();
        long start = System.nanoTime();
        Sandbox.Outcome<Returned<T>> out;
        try {
            out = Sandbox.run(() -> {
                T value = answer.get();
                int started = errands.started();
                return new Returned<>(value, errands.spans(0, started), started);
            }, time, Sandbox.Where.DAEMON);
        } finally {
            lag.stop();
        }
        double took = (System.nanoTime() - start) / 1e9;
        List<String> handedOut = errands.handedOut();
        List<Errands.Errand> spans = out.problem() == null ? lateStarters(errands, out.value(), handedOut) : errands.spans();
        boolean stopped = errands.stopStragglers(Duration.ofSeconds(1));
        errands.finish();
        long overshoot = spans.stream().filter(sp -> !sp.running() && !sp.interrupted())
                .mapToLong(sp -> sp.end().orElseThrow().minus(sp.start()).toNanos() - each).max().orElse(0);
        long late = Math.max(lag.worst(), overshoot);
        boolean busy = late > Math.max(100_000_000L, each / 2);
        String busyLine = check.tooBusy(late);

        if (out.problem() != null) {
            String seen = spans.isEmpty() ? "" : " (by then the errands had run like this: " + spans(spans) + ")";
            return check.fail("expected " + goal + ", " + out.problem() + seen);
        }
        if (checkValue) {
            String wrong = wrongValue(expected, out.value().value());
            if (wrong != null) {
                return check.fail("expected the answer to return " + wrong);
            }
        }
        if (spans.isEmpty()) {
            return check.fail("expected " + goal + ", but no errand started: call get() on each fetch (or call() on each callable)");
        }
        List<String> never = handedOut.stream().filter(name -> spans.stream().noneMatch(sp -> sp.name().equals(name))).toList();
        if (!never.isEmpty() && shape != Shape.CANCELS) {
            return check.fail("expected every errand to run, but " + quoted(never) + " never started");
        }
        Optional<Errands.Errand> pooled = spans.stream().filter(Errands.Errand::commonPool).findFirst();
        if (pooled.isPresent()) {
            return check.fail("expected the errands to run on threads meant for waiting, but \"" + pooled.get().name()
                    + "\" ran on the common pool (" + pooled.get().thread() + "), which has only "
                    + ForkJoinPool.getCommonPoolParallelism() + " thread" + (ForkJoinPool.getCommonPoolParallelism() == 1 ? "" : "s")
                    + " here and is meant for short computations: pass an executor (supplyAsync(work, executor))");
        }
        List<Errands.Errand> left = spans.stream().filter(Errands.Errand::running).toList();
        if (!left.isEmpty()) {
            String names = quoted(left.stream().map(Errands.Errand::name).distinct().toList());
            String cleanup = stopped ? "" : " (it ignored the interrupt afterwards too: " + Sandbox.RESTART + ")";
            if (shape == Shape.CANCELS && left.stream().allMatch(Errands.Errand::interrupted)) {
                return check.fail("expected every errand to be stopped by the time the answer returned, but " + names
                        + " was interrupted and had not ended yet: wait for it to stop before returning (close the"
                        + " executor, or awaitTermination)" + cleanup);
            }
            if (shape == Shape.CANCELS) {
                return check.fail("expected every errand to be stopped by the time the answer returned, but " + names
                        + " was not finished and had not been interrupted: cancel it with an interrupt"
                        + " (Future.cancel(true) from an ExecutorService, shutdownNow, or a scope);"
                        + " CompletableFuture.cancel and orTimeout do not interrupt" + cleanup);
            }
            return check.fail("expected every errand to have ended when the answer returned, but " + names
                    + " was not finished when the answer returned: wait for the tasks (join them, or close the executor)"
                    + " before returning" + cleanup);
        }
        int most = Errands.mostAtOnce(spans);
        switch (shape) {
            case AT_ONCE -> {
                if (spans.size() < 2) {
                    return check.fail("expected at least two errands at once, but only " + quoted(List.of(spans.get(0).name())) + " ran");
                }
                if (most < spans.size()) {
                    if (busy) {
                        return busyLine;
                    }
                    return check.fail("expected " + goal + ", but " + (most == 1 ? "they ran one after the other"
                            : "at most " + most + " of " + spans.size() + " ran at once") + ": " + spans(spans)
                            + " (start them all before waiting for any)");
                }
                double sequential = each * spans.size() / 1e9;
                if (took > sequential + 1.0) {
                    return busy ? busyLine : check.fail(String.format(Locale.ROOT, "expected %s, and they overlapped, but the"
                            + " answer took %.2f s, longer than running them one after the other (%.2f s): is it waiting for"
                            + " something else?", goal, took, sequential));
                }
                return check.pass(String.format(Locale.ROOT, "%d at once, %.2f s", most, took));
            }
            case ONE_AT_A_TIME -> {
                if (most > 1) {
                    return check.fail("expected " + goal + ", but " + most + " ran at once: " + spans(spans)
                            + " (wait for each before starting the next)");
                }
                return check.pass(String.format(Locale.ROOT, "%d one after the other, %.2f s", spans.size(), took));
            }
            case CAPPED -> {
                if (most > n) {
                    return check.fail("expected " + goal + ", but " + most + " ran at once (check.timeout() them: a Semaphore of " + n
                            + " permits, or a pool of " + n + " threads)");
                }
                int reachable = Math.min(n, spans.size());
                if (most < reachable) {
                    if (busy) {
                        return busyLine;
                    }
                    return check.fail("expected " + goal + " and " + reachable + " at once at the busiest moment, but "
                            + (most == 1 ? "they ran one after the other" : "at most " + most + " ran at once")
                            + ": the cap is " + n + ", so let " + n + " run together");
                }
                return check.pass(String.format(Locale.ROOT, "at most %d at once, %.2f s", most, took));
            }
            case CANCELS -> {
                long cut = spans.stream().filter(Errands.Errand::interrupted).count();
                if (cut == 0) {
                    return check.fail("expected " + goal + ", but every errand ran to its end (" + Sandbox.secs(errands.each())
                            + " each) and none was interrupted; the answer returned after " + String.format(Locale.ROOT, "%.2f s", took) + ". If it"
                            + " gave up and cancelled before that, the cancel never reached the errands: a task that waits in"
                            + " CompletableFuture.join() (or acquireUninterruptibly, or any wait that ignores interrupts) is not"
                            + " stopped by cancel(true), a deadline or a scope; wait with get(timeout) instead. If it did not,"
                            + " give up sooner, then cancel");
                }
                return check.pass(cut + (cut == 1 ? " errand" : " errands") + " cancelled, none left running");
            }
        }
        throw new AssertionError(shape);
    }

    /**
     * The spans as the answer returned, plus the errands that started after it returned (tasks it
     * submitted and did not wait for), shown as still running. Which errands those are is told by
     * count ({@link Errands#spans(int, int)}), so one that starts a moment after the answer
     * returns is never missed. Every answer's leftovers get a quarter of a second to start,
     * whatever was handed out (an answer may run one errand twice, the second time unawaited);
     * errands handed out but not yet started get up to half a second. An errand still running when
     * the answer returned counts as interrupted if its record says so by the end of that wait.
     */
    private static List<Errands.Errand> lateStarters(Errands errands, Returned<?> returned, List<String> handedOut) {
        long started = System.nanoTime();
        long grace = started + 250_000_000L;
        long deadline = started + 500_000_000L;
        while ((errands.started() < handedOut.size() && System.nanoTime() < deadline) || System.nanoTime() < grace) {
            Sandbox.sleepQuietly(10);
        }
        // An errand interrupted just before the answer returned may have been caught between its
        // thread's flag being cleared (the sleep threw) and its record saying so: read it again.
        Set<Duration> interruptedSince = new HashSet<>();
        for (Errands.Errand sp : errands.spans(0, returned.started())) {
            if (sp.interrupted()) {
                interruptedSince.add(sp.start());
            }
        }
        List<Errands.Errand> all = new java.util.ArrayList<>();
        for (Errands.Errand sp : returned.spans()) {
            all.add(sp.running() && !sp.interrupted() && interruptedSince.contains(sp.start())
                    ? new Errands.Errand(sp.name(), sp.start(), sp.end(), sp.thread(), sp.virtual(), sp.commonPool(), true)
                    : sp);
        }
        for (Errands.Errand sp : errands.spans(returned.started(), Integer.MAX_VALUE)) {
            all.add(new Errands.Errand(sp.name(), sp.start(), Optional.empty(), sp.thread(), sp.virtual(), sp.commonPool(),
                    sp.interrupted()));
        }
        return List.copyOf(all);
    }

    private static String wrongValue(Object expected, Object got) {
        boolean equal;
        try {
            equal = Objects.deepEquals(expected, got);
        } catch (RuntimeException e) {
            equal = false;
        }
        return equal ? null : Check.describe(expected) + ", got " + Check.describe(got);
    }

    private static String quoted(List<String> names) {
        List<String> q = names.stream().limit(3).map(x -> "\"" + x + "\"").toList();
        return String.join(", ", q) + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    private static String spans(List<Errands.Errand> spans) {
        List<String> parts = new java.util.ArrayList<>();
        for (Errands.Errand sp : spans.stream().limit(4).toList()) {
            parts.add(sp.name() + " " + String.format(Locale.ROOT, "%.2f", sp.start().toNanos() / 1e9) + "–"
                    + sp.end().map(e -> String.format(Locale.ROOT, "%.2f s", e.toNanos() / 1e9)).orElse("(running)"));
        }
        return String.join(", ", parts) + (spans.size() > 4 ? ", …" : "");
    }

}
