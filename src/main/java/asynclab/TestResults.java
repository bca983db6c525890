package asynclab;

import java.util.List;

/**
 * What a run of JUnit tests found, as {@link Lab#testResults} returns it: the lines
 * {@link Lab#runTests} would print, and the counts.
 *
 * @param lines   one line per test, then the summary line
 * @param passed  how many tests passed
 * @param failed  how many failed (a failing class setup counts once)
 * @param skipped how many were skipped
 */
public record TestResults(List<String> lines, int passed, int failed, int skipped) {}
