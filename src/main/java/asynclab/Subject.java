package asynclab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The code under test in a learner's JUnit test, swappable by a check: the correct version, and
 * broken versions (mutants) that a good test must catch.
 * {@snippet class=asynclab.ExamplesTest region=subject :
 * // given in the lesson, above the exercise:
 * static Subject<Function<Delay, Content>> contentUnderTest =
 *         subject((Function<Delay, Content>) delay -> content(delay))
 *                 .broken("asks for no delay", delay -> content(scaled(delay, 0)))
 *                 .broken("waits two seconds", delay -> content(scaled(delay, 2)));
 *
 * // the learner's test builds what it tests through it:
 * static class WaitsOneSecond {
 *     VirtualClock clock = virtualClock();
 *     Content content = contentUnderTest.get().apply(clock);
 *
 *     @Test
 *     void postsArriveAfterOneSecond() {
 *         clock.run(() -> content.getPosts());
 *         assertEquals(Duration.ofSeconds(1), clock.elapsed());
 *     }
 * }
 * }
 * and the check cell runs
 * {@code check("your test catches bugs").catchesBugs(contentUnderTest, WaitsOneSecond.class);}
 *
 * <p>Use it where an exercise asks for a test: a test that passes proves little until it also
 * fails against code that is wrong. {@link Check#catchesBugs} runs the test class once with
 * the correct version and once with each broken one.
 *
 * <p>The surprise: {@link #get()} returns the correct version except while a check runs a
 * broken one, and the version is shared by every thread (tests may start their own), so run
 * one such check at a time.
 *
 * @param <T> the type of the code under test, often a factory such as {@code Function<Delay, Content>}
 */
public final class Subject<T> implements Supplier<T> {
    private final T correct;
    private final Map<String, T> broken;
    private volatile T current;
    private final AtomicInteger uses = new AtomicInteger();

    private Subject(T correct, Map<String, T> broken) {
        this.correct = correct;
        this.broken = broken;
        this.current = correct;
    }

    /** A subject whose correct version is {@code correct}. */
    static <T> Subject<T> of(T correct) {
        return new Subject<>(Objects.requireNonNull(correct, "correct"), Map.of());
    }

    /** The same subject with one more broken version, described as in "a version that {@code bug}". */
    public Subject<T> broken(String bug, T version) {
        Objects.requireNonNull(bug, "bug");
        Objects.requireNonNull(version, "version");
        Map<String, T> more = new LinkedHashMap<>(broken);
        if (more.putIfAbsent(bug, version) != null) {
            throw new IllegalArgumentException("two broken versions called \"" + bug + "\"");
        }
        return new Subject<>(correct, java.util.Collections.unmodifiableMap(more));
    }

    /** The version under test now: the correct one, except while a check runs a broken one. */
    @Override
    public T get() {
        uses.incrementAndGet();
        return current;
    }

    /** The descriptions of the broken versions, in the order they were added. */
    public List<String> bugs() {
        return new ArrayList<>(broken.keySet());
    }

    T correct() {
        return correct;
    }

    Map<String, T> brokenVersions() {
        return broken;
    }

    /** Makes {@code version} the current one and returns how often {@link #get()} had been called. */
    int use(T version) {
        current = version;
        return uses.get();
    }

    int uses() {
        return uses.get();
    }

    @Override
    public String toString() {
        return "Subject[" + (current == correct ? "correct" : "broken") + ", bugs=" + bugs() + "]";
    }
}
