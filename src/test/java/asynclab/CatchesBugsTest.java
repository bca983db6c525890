package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** A learner's test is judged by the bugs it catches, not only by passing. */
class CatchesBugsTest {
    /** The code under test: doubles a number. Broken versions add instead, or forget to. */
    static final Subject<IntUnaryOperator> DOUBLER = Subject.of((IntUnaryOperator) x -> x * 2)
            .broken("adds two", x -> x + 2)
            .broken("returns its input", x -> x);

    static class Good {
        @Test
        void doubles() {
            assertEquals(10, DOUBLER.get().applyAsInt(5));
        }
    }

    /** Passes on the correct version and on "adds two" (2 + 2 = 2 * 2). */
    static class Weak {
        @Test
        void doublesTwo() {
            assertEquals(4, DOUBLER.get().applyAsInt(2));
        }
    }

    static class Empty {
        @Test
        void nothing() {
        }
    }

    static class Wrong {
        @Test
        void expectsTriple() {
            assertEquals(15, DOUBLER.get().applyAsInt(5));
        }
    }

    static class None {
        void notATest() {
        }
    }

    private static final Check C = Check.that("your test catches bugs");

    /** Asserts the check gives the learner's `test` class a ✘ line that says `why`. */
    private static void assertCrossed(Class<?> test, String why) {
        String line = C.catchesBugsLine(DOUBLER, test);
        assertTrue(line.startsWith("✘ ") && line.contains(why), line);
    }

    @Test
    void aTestThatCatchesEveryBugPasses() {
        assertEquals("✔ your test catches bugs (1 test, 2 bugs caught) — well done!", C.catchesBugsLine(DOUBLER, Good.class));
        assertEquals(10, DOUBLER.get().applyAsInt(5), "the correct version is put back");
    }

    @Test
    void aTestThatMissesABugFailsNamingIt() {
        assertCrossed(Weak.class, "fail on a version that adds two, but they all passed");
    }

    @Test
    void anEmptyTestFails() {
        assertCrossed(Empty.class, "never called its get()");
    }

    @Test
    void aTestThatFailsOnTheCorrectCodeFails() {
        assertCrossed(Wrong.class, "pass on the correct code, but 1 of 1 failed");
    }

    @Test
    void noTestsOrNullFail() {
        assertTrue(C.catchesBugsLine(DOUBLER, None.class).contains("expected at least one test"));
        assertTrue(C.catchesBugsLine(DOUBLER, null).contains("got null"));
        assertThrows(IllegalArgumentException.class, () -> Subject.of(1).broken("x", 2).broken("x", 3));
    }
}
