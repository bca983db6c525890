package asynclab.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static asynclab.Lab.content;
import static asynclab.Lab.virtualClock;

import asynclab.Album;
import asynclab.Content;
import asynclab.Post;
import asynclab.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The tests of lesson 10 ({@code notebooks/10-testing-without-waiting.ipynb}) as they live in a
 * project: the same assertions as the notebook's {@code ContentTest} and {@code LoadTimeTest},
 * run by {@code make test-java} through the JUnit console launcher.
 *
 * <p>Every fetch waits one second on a {@link VirtualClock}, so the whole class runs in a few
 * milliseconds of real time, and the clock still says how long each load took. A new instance,
 * with a new clock, is made for every test.
 */
class ContentLessonTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final VirtualClock clock = virtualClock();
    private final Content content = content(clock);

    @Test
    void getPostsReturnsThePostsAfterOneSecond() {
        assertEquals(List.of(new Post(1, "Lorem Ipsum")), clock.run(() -> content.getPosts()));
        assertEquals(List.of(ONE_SECOND), clock.requestedDelays());   // the guide's assert_called_with(1)
    }

    @Test
    void getAlbumsReturnsTheAlbumsAfterOneSecond() {
        assertEquals(List.of(new Album(1, "Mona Lisa")), clock.run(() -> content.getAlbums()));
        assertEquals(List.of(ONE_SECOND), clock.requestedDelays());
    }

    @Test
    void gatheredTakesOneVirtualSecond() {
        var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::of);
        clock.runUntilIdle();
        assertTrue(both.isDone());
        assertEquals(ONE_SECOND, clock.elapsed());
    }

    @Test
    void gatheredOnThreadsTakesOneVirtualSecond() {
        clock.run(() -> {
            try (var errands = clock.newExecutor()) {
                Future<List<Post>> posts = errands.submit(content::getPosts);
                Future<List<Album>> albums = errands.submit(content::getAlbums);
                return List.of(posts.get(), albums.get());
            }
        });
        assertEquals(ONE_SECOND, clock.elapsed());
        assertEquals(List.of(ONE_SECOND, ONE_SECOND), clock.requestedDelays());
    }

    @Test
    void sequentialTakesTwoVirtualSeconds() {
        clock.run(() -> List.of(content.getPosts(), content.getAlbums()));
        assertEquals(Duration.ofSeconds(2), clock.elapsed());
        assertEquals(List.of(ONE_SECOND, ONE_SECOND), clock.requestedDelays());
    }
}
