package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PassesTestsTest {
    private static final Check LEARNER = Check.that("your tests pass").hint("assert on the data");

    static class Green {
        @Test
        void one() {
            assertEquals(2, 1 + 1);
        }
    }

    static class Red {
        @Test
        void one() {
            assertEquals(3, 1 + 1, "one and one");
        }
    }

    static class Empty {
        void notATest() {
        }
    }

    @Test
    void passingTestsPass() {
        assertEquals("✔ your tests pass (1 test passed) — well done!", LEARNER.passesTestsLine(Green.class));
    }

    @Test
    void aFailingTestIsNamedWithItsMessage() {
        String line = LEARNER.passesTestsLine(Red.class);
        assertTrue(line.startsWith("✘ your tests pass: expected every test to pass, got 1 of 1 failing: Red.one()"), line);
        assertTrue(line.contains("one and one") && line.endsWith("Hint: assert on the data"), line);
    }

    @Test
    void noTestsAtAllIsAFailureWithAHint() {
        assertTrue(LEARNER.passesTestsLine(Empty.class).contains("expected at least one test, got none"));
        assertTrue(LEARNER.passesTestsLine().contains("got none"));
    }
}
