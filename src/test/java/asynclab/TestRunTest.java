package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestRunTest {
    @Test
    void oneLinePerTestAndASummary() {
        TestResults s = TestRun.execute(Duration.ofSeconds(5), Samples.Mixed.class);
        assertEquals(1, s.passed());
        assertEquals(2, s.failed());
        assertEquals(1, s.skipped());
        List<String> lines = s.lines();
        assertTrue(lines.contains("✔ Mixed.passes()"), lines.toString());
        assertTrue(lines.contains("✘ Mixed.fails(): one is not two ==> expected: <1> but was: <2>"), lines.toString());
        assertTrue(lines.contains("✘ Mixed.throwsSomething(): IllegalStateException: bad state"), lines.toString());
        assertTrue(lines.contains("– Mixed.skipped() skipped: not today"), lines.toString());
        assertTrue(lines.getLast().matches("4 tests: 1 passed, 2 failed, 1 skipped \\(\\d+\\.\\d\\d s\\)"), lines.getLast());
    }

    @Test
    void runTestsPrintsTheLines() throws Exception {
        String out = Out.capture(() -> TestRun.runTests(Samples.Mixed.class));
        assertTrue(out.contains("✔ Mixed.passes()") && out.contains("4 tests:"), out);
    }

    @Test
    void aSlowTestTimesOut() {
        long start = System.nanoTime();
        TestResults s = TestRun.execute(Duration.ofMillis(300), Samples.Slow.class);
        assertTrue((System.nanoTime() - start) / 1e9 < 5);
        assertEquals(1, s.failed());
        assertTrue(s.lines().getFirst().startsWith("✘ Slow.sleepsTooLong(): "), s.lines().toString());
        assertTrue(s.lines().getFirst().contains("timed out"), s.lines().toString());
    }

    @Test
    void aTestThatIgnoresInterruptsDoesNotHangTheRun() {
        long start = System.nanoTime();
        try {
            TestResults s = TestRun.execute(Duration.ofMillis(300), Samples.Deaf.class);
            double took = (System.nanoTime() - start) / 1e9;
            assertTrue(took < 10, "took " + took);
            assertEquals(1, s.failed(), s.lines().toString());
            assertEquals(1, s.passed(), s.lines().toString());
            assertTrue(s.lines().stream().anyMatch(l -> l.startsWith("✘ Deaf.ignoresInterrupts(): ") && l.contains("timed out")), s.lines().toString());
        } finally {
            Samples.STOP.set(true);
        }
    }

    @Test
    void noTestsIsSaidPlainly() {
        TestResults s = TestRun.execute(Duration.ofSeconds(1), Samples.NoTests.class);
        assertTrue(s.lines().getLast().startsWith("no tests found in NoTests"), s.lines().toString());
        assertTrue(TestRun.execute(Duration.ofSeconds(1)).lines().getFirst().startsWith("no test classes"));
    }

    @Test
    void aBrokenSetupIsOneFailure() {
        TestResults s = TestRun.execute(Duration.ofSeconds(1), Samples.BrokenSetup.class);
        assertTrue(s.lines().contains("✘ BrokenSetup: IllegalStateException: no database"), s.lines().toString());
        assertEquals(1, s.failed());
    }

    @Test
    void jshellNamesAreShortened() {
        assertEquals("PostsTest", TestRun.simple("REPL.$JShell$12$PostsTest"));
        assertEquals("PostsTest", TestRun.simple("a.b.PostsTest"));
    }

    @Test
    void theContextClassLoaderIsPutBack() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        TestRun.execute(Duration.ofSeconds(1), Samples.Mixed.class);
        assertEquals(before, Thread.currentThread().getContextClassLoader());
    }
}
