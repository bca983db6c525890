package asynclab;

import static asynclab.Lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples in the library's Javadoc, as a lesson would write them (through {@link Lab}),
 * compiled and run here; {@link SnippetsTest} checks that each Javadoc shows its region line for
 * line.
 */
@ExtendWith(TextOnly.class)
class ExamplesTest {
    /** A learner's answer: both errands at once, on virtual threads. */
    static List<String> loadBoth(Callable<String> posts, Callable<String> albums) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> p = pool.submit(posts);
            Future<String> a = pool.submit(albums);
            return List.of(p.get(), a.get());
        }
    }

    static List<Post> posts() {
        var clock = virtualClock();
        return clock.run(() -> content(clock).getPosts());
    }

    @Test
    void checkExample() throws Exception {
        String out = Out.capture(() -> {
            check("posts are loaded").hint("call content.getPosts()")     // @start region=check
                    .expect(List.of(new Post(1, "Lorem Ipsum")), () -> posts());
            var errands = errands(Duration.ofMillis(100));
            check("both at once").runsAtOnce(errands,
                    () -> loadBoth(errands.callable("posts"), errands.callable("albums")));
            // @end
        });
        assertTrue(out.startsWith("✔ posts are loaded — well done!\n✔ both at once (2 at once,"), out);
    }

    @Test
    void errandsRecordWhatRan() throws Exception {
        String out = Out.capture(() -> {
            var errands = errands(Duration.ofMillis(100));       // @start region=errands
            Supplier<String> posts = errands.supplier("posts");   // get() blocks 0.1 s, returns "posts"
            Callable<String> albums = errands.callable("albums"); // call() the same
            check("both at once").runsAtOnce(errands, () -> loadBoth(posts::get, albums));
            errands.mostAtOnce();                                 // 2: they ran at once
            // @end
            assertEquals(2, errands.mostAtOnce());
        });
        assertTrue(out.startsWith("✔ both at once (2 at once,"), out);
    }

    @Test
    void contentExample() throws Exception {
        var content = content();                                          // @start region=content
        List<Post> posts = content.getPosts();                            // one second later
        CompletableFuture<List<Album>> albums = content.getAlbumsAsync(); // at once
        // @end
        assertEquals(List.of(new Post(1, "Lorem Ipsum")), posts);
        assertEquals(List.of(new Album(1, "Mona Lisa")), albums.join());
    }

    @Test
    void runOnTheVirtualClock() {
        var clock = virtualClock();
        var content = content(clock);
        List<Post> posts = clock.run(() -> content.getPosts());   // returns at once; elapsed() is PT1S @start region=run
        // @end
        assertEquals(1, posts.size());
        assertEquals(Duration.ofSeconds(1), clock.elapsed());
    }

    @Test
    void delayExample() throws Exception {
        var later = new CompletableFuture<String>();
        Delay delay = realDelay();                                 // @start region=delay
        delay.sleep(Duration.ofSeconds(1));                        // this thread waits one second
        delay.after(Duration.ofSeconds(1)).thenRun(() -> later.complete("a second later")); // nothing waits
        // @end
        assertEquals("a second later", later.join());
    }

    @Test
    void chartExample() throws Exception {
        String out = Out.capture(() -> {
            chart("Time to run n sleeping tasks")                  // @start region=chart
                .x("tasks").y("seconds").logX()
                .series("platform threads", List.of(10, 100, 1000), List.of(1.0, 1.1, 4.2))
                .series("virtual threads", List.of(10, 100, 1000), List.of(1.0, 1.0, 1.0))
                .show();
            // @end
        });
        assertTrue(out.contains("platform threads") && out.contains("virtual threads"), out);
    }

    @Test
    void mallServerExample() throws Exception {
        String stats;
        try (var server = mallServer(Duration.ofMillis(100));           // @start region=mall
             var client = HttpClient.newHttpClient()) {
            var request = HttpRequest.newBuilder(server.uri("/posts")).build();
            client.send(request, BodyHandlers.ofString()).body();       // after 0.1 s
            stats = server.stats().toString();  // requests=1 answered=1 failed=0 cancelled=0 ...
        }                                       // stopped: no port open, no thread left
        // @end
        assertTrue(stats.startsWith("requests=1 answered=1 failed=0 cancelled=0 rejected=0 mostAtOnce=1"), stats);
    }

    // ---- the code under test and a learner's test of it, for catchesBugs ----------------------

    /** Passes every wait on to {@code d}, {@code k} times as long. */
    static Delay scaled(Delay d, long k) {
        return new Delay() {
            @Override
            public void sleep(Duration wait) throws InterruptedException {
                d.sleep(wait.multipliedBy(k));
            }

            @Override
            public CompletableFuture<Void> after(Duration wait) {
                return d.after(wait.multipliedBy(k));
            }
        };
    }

    // given in the lesson, above the exercise: @start region=subject
    static Subject<Function<Delay, Content>> contentUnderTest =
            subject((Function<Delay, Content>) delay -> content(delay))
                    .broken("asks for no delay", delay -> content(scaled(delay, 0)))
                    .broken("waits two seconds", delay -> content(scaled(delay, 2)));

    // the learner's test builds what it tests through it:
    static class WaitsOneSecond {
        VirtualClock clock = virtualClock();
        Content content = contentUnderTest.get().apply(clock);

        @Test
        void postsArriveAfterOneSecond() {
            clock.run(() -> content.getPosts());
            assertEquals(Duration.ofSeconds(1), clock.elapsed());
        }
    }
    // @end

    @Test
    void catchesBugsExample() throws Exception {
        String out = Out.capture(() ->
            check("your test catches bugs").catchesBugs(contentUnderTest, WaitsOneSecond.class));
        assertEquals("✔ your test catches bugs (1 test, 2 bugs caught) — well done!\n", out.replace("\r", ""));
    }
}
