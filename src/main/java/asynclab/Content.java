package asynclab;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The course's slow data source: posts and albums that each take one second to "download".
 *
 * <p>Every fetch waits {@link #FETCH_TIME} through the {@link Delay} given to the constructor,
 * so the same code runs against the wall clock in a lesson and against a {@code VirtualClock}
 * in a test. Each fetch comes in two shapes: a blocking one ({@link #getPosts()}), which holds
 * its thread for the whole second, and an asynchronous one ({@link #getPostsAsync()}), which
 * returns at once and completes a future a second later without holding any thread.
 *
 * {@snippet class=asynclab.ExamplesTest region=content :
 * var content = content();
 * List<Post> posts = content.getPosts();                            // one second later
 * CompletableFuture<List<Album>> albums = content.getAlbumsAsync(); // at once
 * }
 *
 * <p>The blocking methods declare no checked exception, so {@code content::getPosts} fits a
 * {@code Supplier}. If the waiting thread is interrupted, the fetch stops waiting, sets the
 * thread's interrupt flag again and throws {@link FetchInterruptedException}; it never throws
 * {@code CancellationException}, which belongs to cancelled futures. The asynchronous methods hold
 * no thread, so nothing can interrupt them; cancelling the future they return completes it with a
 * {@code CancellationException} at once, and the timer behind it still fires a second later,
 * doing nothing.
 */
public final class Content {
    /** How long every fetch takes: one second. */
    public static final Duration FETCH_TIME = Duration.ofSeconds(1);

    /** The names {@link #fetch(String)} understands, in the guide's order. */
    public static final List<String> NAMES = List.of("posts", "albums");

    private static final List<Post> POSTS = List.of(new Post(1, "Lorem Ipsum"));
    private static final List<Album> ALBUMS = List.of(new Album(1, "Mona Lisa"));

    private final Delay delay;

    /** A source whose fetches wait through {@code delay}, for instance a {@code VirtualClock}. */
    Content(Delay delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /**
     * Waits one second, then returns {@code [Post[id=1, title=Lorem Ipsum]]}.
     *
     * @throws FetchInterruptedException if the thread is interrupted while it waits (the flag stays set)
     */
    public List<Post> getPosts() {
        pause("posts");
        return POSTS;
    }

    /**
     * Waits one second, then returns {@code [Album[id=1, title=Mona Lisa]]}.
     *
     * @throws FetchInterruptedException if the thread is interrupted while it waits (the flag stays set)
     */
    public List<Album> getAlbums() {
        pause("albums");
        return ALBUMS;
    }

    /** Returns at once; the future completes with the posts one second later. */
    public CompletableFuture<List<Post>> getPostsAsync() {
        return delay.after(FETCH_TIME).thenApply(ignored -> POSTS);
    }

    /** Returns at once; the future completes with the albums one second later. */
    public CompletableFuture<List<Album>> getAlbumsAsync() {
        return delay.after(FETCH_TIME).thenApply(ignored -> ALBUMS);
    }

    /**
     * Fetches by name, blocking: {@code fetch("posts")} is {@code getPosts()}. This is how tasks
     * are made from a list of names, as the guide does with {@code ["posts", "albums"]}.
     *
     * @throws IllegalArgumentException for a name other than those in {@link #NAMES}
     * @throws FetchInterruptedException if the thread is interrupted while it waits
     */
    public List<?> fetch(String name) {
        return switch (known(name)) {
            case "posts" -> getPosts();
            default -> getAlbums();
        };
    }

    /** Fetches by name without blocking: {@code fetchAsync("albums")} is {@code getAlbumsAsync()}. */
    public CompletableFuture<List<?>> fetchAsync(String name) {
        return switch (known(name)) {
            case "posts" -> getPostsAsync().thenApply(list -> list);
            default -> getAlbumsAsync().thenApply(list -> list);
        };
    }

    private static String known(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("no content called " + (name == null ? "null" : "\"" + name + "\"")
                    + "; try one of " + NAMES);
        }
        return name;
    }

    private void pause(String what) {
        try {
            delay.sleep(FETCH_TIME);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchInterruptedException(what, e);
        }
    }

    @Override
    public String toString() {
        return "Content(" + delay + ")";
    }
}
