package asynclab;

/**
 * How a verdict line reaches the learner and the grader: printed, and in grading mode (the
 * environment variable {@value #VARIABLE} set, as nbgrader's autograde sets it) a ✘ line then
 * throws {@link AssertionError}, so the cell scores zero.
 */
final class Grading {
    /** The environment variable that turns on grading mode. */
    static final String VARIABLE = "NBGRADER_EXECUTION";

    private Grading() {}

    /** Prints the line; in grading mode a ✘ line then throws, so the cell scores zero. */
    static void emit(String line) {
        emit(line, grading());
    }

    static void emit(String line, boolean grading) {
        System.out.println(line);
        System.out.flush();
        if (grading && line.startsWith("✘")) {
            throw new AssertionError(line);
        }
    }

    static boolean grading() {
        String v = System.getenv(VARIABLE);
        return v != null && !v.isEmpty();
    }
}
