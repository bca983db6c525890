package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ContentTest {
    @Test
    void theGuidesData() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        assertEquals("[Post[id=1, title=Lorem Ipsum]]", clock.run(content::getPosts).toString());
        assertEquals("[Album[id=1, title=Mona Lisa]]", clock.run(content::getAlbums).toString());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), clock.requestedDelays());
        assertEquals(Duration.ofSeconds(1), Content.FETCH_TIME);
    }

    @Test
    void fetchByName() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        for (String name : Content.NAMES) {
            assertEquals(1, clock.run(() -> content.fetch(name)).size());
        }
        var async = content.fetchAsync("albums");
        clock.runUntilIdle();
        assertEquals(List.of(new Album(1, "Mona Lisa")), async.join());
    }

    @Test
    void unknownOrNullNamesAreRefusedAtOnce() {
        Content content = new Content(new VirtualClock());
        var e = assertThrows(IllegalArgumentException.class, () -> content.fetch("photos"));
        assertTrue(e.getMessage().contains("[posts, albums]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> content.fetchAsync(null));
        assertThrows(NullPointerException.class, () -> new Content(null));
    }

    @Test
    void anInterruptedFetchSaysSoAndKeepsTheFlag() throws Exception {
        Content content = Lab.content();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                content.getPosts();
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread.sleep(50);
        t.interrupt();
        assertTrue(t.join(Duration.ofSeconds(2)));
        assertTrue(thrown.get() instanceof FetchInterruptedException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getCause() instanceof InterruptedException, String.valueOf(thrown.get().getCause()));
        assertEquals("the fetch of posts was interrupted", thrown.get().getMessage());
        assertTrue(flag.get(), "interrupt flag restored");
    }

    @Test
    void asyncFetchesBlockNoThreadAndRunTogetherOnTheRealClock() {
        Content content = Lab.content();
        var timed = Lab.measure(() -> {
            CompletableFuture<List<Post>> posts = content.getPostsAsync();
            CompletableFuture<List<Album>> albums = content.getAlbumsAsync();
            assertFalse(posts.isDone(), "returns before the second is up");
            return posts.thenCombine(albums, List::of).join();
        });
        assertEquals(2, timed.value().size());
        assertTrue(timed.seconds() >= 0.99 && timed.seconds() < 1.5, "took " + timed.seconds());
    }

    @Test
    void gatheredTakesOneSecondSequentialTwo() {
        Content content = Lab.content();
        var gathered = Lab.measure(() -> {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var posts = pool.submit(content::getPosts);
                var albums = pool.submit(content::getAlbums);
                return List.of(posts.get(), albums.get());
            }
        });
        var sequential = Lab.measure(() -> List.of(content.getPosts(), content.getAlbums()));
        assertTrue(gathered.seconds() >= 0.99 && gathered.seconds() < 1.5, "gathered " + gathered.seconds());
        assertTrue(sequential.seconds() >= 1.99 && sequential.seconds() < 2.5, "sequential " + sequential.seconds());
        System.out.println("real Content: gathered " + gathered.line() + " sequential " + sequential.line());
    }

    @Test
    void aSubtaskCanTellItWasInterrupted() throws Exception {
        Content content = Lab.content();
        java.util.concurrent.Callable<List<Album>> albums = () -> {
            try {   // @start region=interrupted
                return content.getAlbums();
            } catch (FetchInterruptedException e) {          // this thread was asked to stop
                System.out.println("albums: interrupted");
                throw e;                                     // the flag is still set
            }
            // @end
        };
        String printed = asynclab.Out.capture(() -> {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var future = pool.submit(albums);
                Thread.sleep(100);
                future.cancel(true);                         // interrupts the thread
            }
        });
        assertEquals("albums: interrupted", printed.strip());
    }
}
