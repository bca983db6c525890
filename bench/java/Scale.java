import static asynclab.Lab.*;
import asynclab.Content;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * n fake one-second fetches at once, one way per run, in a fresh JVM; prints one JSON line.
 *
 * <pre>java -cp build/bench:lib/asynclab.jar Scale virtual 100000
 * java -cp build/bench:lib/asynclab.jar Scale delayed 100000
 * java -cp build/bench:lib/asynclab.jar Scale pool 10000 1000    (a fixed pool of 1000 threads)</pre>
 *
 * The three methods have the same bodies as the ones notebooks/09-scale.ipynb declares, so this
 * and the kernel time the same code. The clock runs from the first task made to the last one
 * done; peak RSS is the process's high-water mark (VmHWM) when the work is over.
 */
public final class Scale {
    static final Content content = content();

    static int withVirtualThreads(int tasks) {
        var fetched = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < tasks; i++) {
                pool.submit(() -> { content.getPosts(); fetched.incrementAndGet(); });
            }
        }
        return fetched.get();
    }

    static int withDelayedExecutor(int tasks) {
        var oneSecondLater = CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS);
        var fetches = new CompletableFuture<?>[tasks];
        for (int i = 0; i < tasks; i++) {
            fetches[i] = CompletableFuture.supplyAsync(() -> "posts", oneSecondLater);
        }
        CompletableFuture.allOf(fetches).join();
        return fetches.length;
    }

    static int withPlatformPool(int threads, int tasks) {
        var fetched = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < tasks; i++) {
                pool.submit(() -> { content.getPosts(); fetched.incrementAndGet(); });
            }
        }
        return fetched.get();
    }

    public static void main(String[] args) throws Exception {
        String approach = args[0];
        int n = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long start = System.nanoTime();
        int done = switch (approach) {
            case "virtual" -> withVirtualThreads(n);
            case "delayed" -> withDelayedExecutor(n);
            case "pool" -> withPlatformPool(threads, n);
            default -> throw new IllegalArgumentException("virtual, delayed or pool, not " + approach);
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        if (done != n) {
            throw new IllegalStateException(done + " of " + n + " fetches finished");
        }
        System.out.println(String.format(Locale.ROOT,
                "{\"approach\": \"%s\", \"n\": %d, \"threads\": %d, \"seconds\": %.6f, \"peak_rss_mb\": %.1f}",
                approach, n, threads, seconds, peakRssMb()));
    }

    /** VmHWM from /proc/self/status, in MiB (NaN where there is no /proc). */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
