package asynclab;

import static asynclab.Lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Errands as a Delay: what a check counts of the fetches a Content made through them. */
class ErrandsDelayTest {
    @Test
    void eachFetchIsAnErrandOfEach() throws Exception {
        var waits = errands(Duration.ofMillis(100));        // @start region=delay
        var content = content(waits.delay());    // each fetch: an errand of 0.1 s
        // @end
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Post>> posts = pool.submit(content::getPosts);
            Future<List<Album>> albums = pool.submit(content::getAlbums);
            assertEquals(List.of(new Post(1, "Lorem Ipsum")), posts.get(5, TimeUnit.SECONDS));
            assertEquals(List.of(new Album(1, "Mona Lisa")), albums.get(5, TimeUnit.SECONDS));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "each wait lasts each, not the second asked for");
        assertEquals(2, waits.started());
        assertEquals(2, waits.mostAtOnce());
        assertEquals(0, waits.running());
        assertEquals(0, waits.interrupted());
        assertEquals(0, waits.onCommonPool());
    }

    @Test
    void anAsynchronousFetchIsCountedToo() throws Exception {
        var waits = errands(Duration.ofMillis(50));
        var albums = content(waits.delay()).getAlbumsAsync();
        assertEquals(List.of(new Album(1, "Mona Lisa")), albums.get(5, TimeUnit.SECONDS));
        assertEquals(1, waits.started());
        assertEquals(0, waits.onCommonPool(), "the wait runs on a thread of the errands' own");
    }

    @Test
    void aFetchOnTheCommonPoolIsToldByItsThread() throws Exception {
        var waits = errands(Duration.ofMillis(50));
        var content = content(waits.delay());
        CompletableFuture.supplyAsync(content::getPosts).get(5, TimeUnit.SECONDS);
        assertEquals(1, waits.onCommonPool());
    }

    @Test
    void anInterruptedWaitIsCountedAndEnded() throws Exception {
        var waits = errands(Duration.ofSeconds(30));
        var content = content(waits.delay());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Post>> posts = pool.submit(content::getPosts);
            while (waits.running() == 0) {
                Thread.sleep(5);
            }
            assertEquals(1, waits.running());
            posts.cancel(true);
        }
        assertEquals(1, waits.interrupted());
        assertEquals(0, waits.running());
    }

    @Test
    void reversedWaitsEndInTheOppositeOrder() throws Exception {
        var waits = errands(Duration.ofMillis(100));
        var content = content(waits.reversedDelay(3));
        var ended = new ConcurrentLinkedQueue<Integer>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int order = i;
                all.add(pool.submit(() -> ended.add(order + content.getPosts().size() - 1)));
                while (waits.started() == i) {      // the next begins only after this one
                    Thread.sleep(5);
                }
            }
            for (Future<?> f : all) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertEquals(3, waits.started());
        assertEquals(3, waits.mostAtOnce());
        assertEquals(List.of(2, 1, 0), List.copyOf(ended), "300, 200 and 100 ms: the first ends last");
    }

    @Test
    void aReversedDelayNeedsAWait() {
        var waits = errands(Duration.ofMillis(10));
        assertThrows(IllegalArgumentException.class, () -> waits.reversedDelay(0));
    }
}
