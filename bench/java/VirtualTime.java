import static asynclab.Lab.*;
import asynclab.VirtualClock;
import asynclab.Content;
import asynclab.Post;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The course's test of a "one-second" fetch, timed in real time: on a VirtualClock (blocking
 * fetch through clock.run, and the asynchronous one through runUntilIdle), and with the real
 * delay. Prints one JSON line: the first run of each (class loading included) and the median
 * of the warm runs after it, in milliseconds. {@code java -cp build/bench:lib/asynclab.jar VirtualTime 20}
 */
public final class VirtualTime {
    static final List<Post> EXPECTED = List.of(new Post(1, "Lorem Ipsum"));

    /** The guide's test_get_posts with a virtual clock: data arrives, one 1 s sleep was asked for. */
    static void blockingOnVirtualClock() {
        var clock = virtualClock();
        var content = content(clock);
        List<Post> posts = clock.run(content::getPosts);
        expect(posts.equals(EXPECTED) && clock.requestedDelays().equals(List.of(Duration.ofSeconds(1)))
                && clock.elapsed().equals(Duration.ofSeconds(1)), "virtual blocking");
    }

    static void asyncOnVirtualClock() {
        var clock = virtualClock();
        var content = content(clock);
        CompletableFuture<List<Post>> posts = content.getPostsAsync();
        clock.runUntilIdle();
        expect(posts.join().equals(EXPECTED) && clock.requestedDelays().equals(List.of(Duration.ofSeconds(1))),
                "virtual async");
    }

    static void blockingOnRealDelay() {
        expect(content().getPosts().equals(EXPECTED), "real");
    }

    public static void main(String[] args) {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int realWarm = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        StringBuilder json = new StringBuilder("{");
        json.append(entry("virtual_blocking", warm, VirtualTime::blockingOnVirtualClock)).append(", ");
        json.append(entry("virtual_async", warm, VirtualTime::asyncOnVirtualClock)).append(", ");
        json.append(entry("real_blocking", realWarm, VirtualTime::blockingOnRealDelay)).append("}");
        System.out.println(json);
    }

    static String entry(String name, int warm, Runnable test) {
        double first = millis(test);
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < warm; i++) {
            runs.add(millis(test));
        }
        Collections.sort(runs);
        double median = runs.isEmpty() ? first : runs.get(runs.size() / 2);
        double max = runs.isEmpty() ? first : runs.get(runs.size() - 1);
        return String.format(Locale.ROOT, "\"%s\": {\"first_ms\": %.3f, \"warm_median_ms\": %.3f, \"warm_max_ms\": %.3f, \"warm_runs\": %d}",
                name, first, median, max, runs.size());
    }

    static double millis(Runnable test) {
        long start = System.nanoTime();
        test.run();
        return (System.nanoTime() - start) / 1e6;
    }

    static void expect(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("the " + what + " test failed");
        }
    }
}
