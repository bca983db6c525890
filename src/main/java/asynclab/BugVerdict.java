package asynclab;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of {@code catchesBugs}: a learner's JUnit test class must pass against the
 * {@link Subject}'s correct version and fail against each broken one.
 */
final class BugVerdict {
    private BugVerdict() {}

    static <T> String line(Check check, Subject<T> subject, Class<?> testClass) {
        if (testClass == null) {
            return check.fail("expected a test class such as MyTest.class, got null");
        }
        Objects.requireNonNull(subject, "subject");
        try {
            int before = subject.use(subject.correct());
            TestResults right = TestRun.execute(check.timeout(), testClass);
            int total = right.passed() + right.failed();
            if (total == 0) {
                return check.fail("expected at least one test, got none: is each test method annotated with @Test?");
            }
            if (right.failed() > 0) {
                return check.fail("expected your tests to pass on the correct code, but " + right.failed() + " of " + total
                        + " failed: " + firstFailure(right));
            }
            if (subject.uses() == before) {
                return check.fail("expected your tests to test the code under test, but they never called its get()");
            }
            List<String> caught = new java.util.ArrayList<>();
            for (var bug : subject.brokenVersions().entrySet()) {
                subject.use(bug.getValue());
                TestResults broken = TestRun.execute(check.timeout(), testClass);
                if (broken.failed() == 0) {
                    return check.fail("expected your tests to fail on a version that " + bug.getKey() + ", but they all passed"
                            + (caught.isEmpty() ? "" : " (they did catch the version that " + String.join(", and the one that ", caught) + ")")
                            + ": assert on what that version gets wrong");
                }
                caught.add(bug.getKey());
            }
            int bugs = caught.size();
            return check.pass(total + (total == 1 ? " test" : " tests") + ", " + bugs + (bugs == 1 ? " bug" : " bugs") + " caught");
        } finally {
            subject.use(subject.correct());
        }
    }

    static String firstFailure(TestResults summary) {
        String first = summary.lines().stream().filter(l -> l.startsWith("✘")).findFirst().orElse("");
        return first.substring(Math.min(2, first.length()));
    }
}
