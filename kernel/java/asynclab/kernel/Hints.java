package asynclab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.Diag;
import jdk.jshell.ErroneousSnippet;
import jdk.jshell.Snippet;

/**
 * One line under a compile error that says what it means in this course and what to do, naming
 * the lesson that teaches it.
 *
 * <p>A hint is chosen from javac's diagnostic key (not its wording) and, for unreported checked
 * exceptions, from where the error sits: in a lambda given to a method that takes a Runnable, in
 * a CompletableFuture stage, or directly in a method's body. An error none of the rules knows gets
 * no hint: the kernel's own message stands alone.
 */
final class Hints {
    static final String THREADS = "lesson 02 · Threads and executors";
    static final String FAILURES = "lesson 05 · When things go wrong";
    static final String INTERRUPTS = "lesson 06 · Timeouts, cancellation and races";
    static final String SHARED_STATE = "lesson 08 · Shared state";
    static final String RERUN = "your exercise cell did not compile (or uses a name that is not defined):"
            + " fix it and run that cell again";

    /** Methods whose lambda is a Runnable (or may be one): its run() throws nothing checked. */
    private static final Set<String> RUNNABLE_TAKERS = Set.of("submit", "execute", "runAsync", "start",
            "startVirtualThread", "Thread", "unstarted", "newThread", "schedule", "scheduleAtFixedRate",
            "scheduleWithFixedDelay");
    /** CompletableFuture's stages: Suppliers, Functions, Consumers, none may throw a checked exception. */
    private static final Set<String> STAGES = Set.of("supplyAsync", "runAsync", "thenApply",
            "thenApplyAsync", "thenAccept", "thenAcceptAsync", "thenRun", "thenRunAsync", "thenCompose",
            "thenComposeAsync", "thenCombine", "thenCombineAsync", "handle", "handleAsync", "whenComplete",
            "whenCompleteAsync", "exceptionally", "exceptionallyAsync", "exceptionallyCompose",
            "thenAcceptBoth", "applyToEither", "acceptEither", "runAfterBoth", "runAfterEither",
            "completeAsync");
    private static final Pattern UNREPORTED = Pattern.compile("unreported exception ([\\w.$]+);");
    private static final Pattern SYMBOL = Pattern.compile("symbol:\\s+(class|variable|method|interface)\\s+(\\w+)");
    private static final String[] PACKAGES = {"java.util", "java.util.concurrent",
        "java.util.concurrent.atomic", "java.util.concurrent.locks", "java.util.function", "java.util.stream",
        "java.time", "java.io", "java.nio.file", "java.net", "java.net.http"};

    private Hints() {}

    /**
     * The hints for the diagnostics of a rejected snippet, one per rule, in order.
     *
     * @param removed the names of definitions this kernel knows did not compile (Definitions)
     */
    static List<String> of(Snippet snippet, List<Diag> diags, Set<String> removed) {
        List<String> hints = new ArrayList<>();
        for (Diag d : diags) {
            String hint = of(snippet, d, removed);
            if (hint != null && !hints.contains(hint)) {
                hints.add(hint);
            }
        }
        return hints;
    }

    private static String of(Snippet snippet, Diag d, Set<String> removed) {
        String code = d.getCode() == null ? "" : d.getCode();
        String message = d.getMessage(null);
        String source = snippet.source();
        int start = (int) Math.max(0, Math.min(d.getStartPosition(), source.length()));
        int end = (int) Math.max(start, Math.min(d.getEndPosition(), source.length()));
        switch (code) {
            case "compiler.err.unreported.exception.need.to.catch.or.throw": {
                Matcher m = UNREPORTED.matcher(message);
                String exception = m.find() ? simpleName(m.group(1)) : "a checked exception";
                String call = lambdaCall(source, start);
                if (call != null) {
                    if (RUNNABLE_TAKERS.contains(call)
                            && (exception.equals("InterruptedException") || !STAGES.contains(call))) {
                        String instead = call.equals("submit")
                                ? ", or return a value from it: submit then takes it as a Callable, which may throw"
                                : exception.equals("InterruptedException")
                                ? " (and call Thread.currentThread().interrupt() there)" : "";
                        return "hint: the lambda given to " + call + " is a Runnable, whose run() may not throw "
                                + exception + ": catch it inside the lambda" + instead + " — " + THREADS;
                    }
                    if (STAGES.contains(call)) {
                        return "hint: a CompletableFuture stage (" + call + ") may not throw the checked "
                                + exception + ": catch it inside the lambda and throw new CompletionException(e),"
                                + " which fails the future (join() then throws it) — " + FAILURES;
                    }
                    return null;
                }
                if (snippet instanceof jdk.jshell.VarSnippet v && "Runnable".equals(v.typeName())
                        && source.indexOf("->") >= 0 && source.indexOf("->") < start) {
                    return "hint: a Runnable's run() may not throw " + exception + ": catch it inside the"
                            + " lambda, or make it a Callable (a lambda that returns a value), which may throw — "
                            + THREADS;
                }
                String method = methodName(snippet);
                if (method != null) {
                    return "hint: " + method + "() calls code that throws " + exception + ": declare it, "
                            + method + "() throws " + exception + " { … }, or catch it inside " + method
                            + "() — " + INTERRUPTS;
                }
                return null;
            }
            case "compiler.err.cant.ref.non.effectively.final.var": {
                String name = source.substring(start, end).trim();
                return "hint: a lambda may use a local variable only if it is never reassigned"
                        + (name.isEmpty() ? "" : " (" + name + " is)") + ": copy it into a new variable"
                        + " that stays put, or keep a shared count in an AtomicInteger — " + SHARED_STATE;
            }
            case "compiler.err.ref.ambiguous": {
                if (message.contains("Callable") && message.contains("Runnable")) {
                    return "hint: this fits both a Callable (returns a value) and a Runnable (returns"
                            + " nothing), as a reference to an overloaded method does: write the lambda"
                            + " out, () -> shop.fetch(), or cast it, (Callable<Integer>) — " + THREADS;
                }
                return null;
            }
            default:
                if (code.startsWith("compiler.err.cant.resolve")) {
                    Matcher m = SYMBOL.matcher(message);
                    if (!m.find()) {
                        return null;
                    }
                    String name = m.group(2);
                    String shown = m.group(1).equals("method") ? name + "()" : name;
                    if (removed.contains(shown)) {
                        return "hint: " + shown + " — " + RERUN;
                    }
                    String imported = importFor(name);
                    if (imported != null) {
                        return "hint: " + name + " is not imported in this notebook: add `import " + imported
                                + ";` to the setup cell (or write " + imported + ") and run it again";
                    }
                }
                return null;
        }
    }

    /** `import …` for a JDK type of that simple name in a package lessons use, or null. */
    static String importFor(String name) {
        if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return null;
        }
        for (String p : PACKAGES) {
            try {
                Class.forName(p + "." + name, false, ClassLoader.getPlatformClassLoader());
                return p + "." + name;
            } catch (ClassNotFoundException | LinkageError e) {
                // not in this package
            }
        }
        return null;
    }

    private static String simpleName(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String methodName(Snippet snippet) {
        if (snippet instanceof jdk.jshell.MethodSnippet m) {
            return m.name();
        }
        if (snippet instanceof ErroneousSnippet e && e.probableKind() == Snippet.Kind.METHOD) {
            Matcher m = Pattern.compile("(\\w+)\\s*\\(").matcher(e.source());
            return m.find() ? m.group(1) : null;
        }
        return null;
    }

    /**
     * The method whose argument list holds `pos` inside a lambda: scanning back from `pos`, the
     * first unmatched '(' with an arrow "->" between it and `pos`; the name before that '('.
     * Null when `pos` is in no lambda argument. A scan of the text, not a parse: strings holding
     * brackets can mislead it, which costs at most a missing hint.
     */
    static String lambdaCall(String source, int pos) {
        int depth = 0;
        boolean arrow = false;
        for (int i = Math.min(pos, source.length()) - 1; i >= 0; i--) {
            char c = source.charAt(i);
            if (c == ')' || c == '}' || c == ']') {
                depth++;
            } else if (c == '(' || c == '{' || c == '[') {
                if (depth > 0) {
                    depth--;
                } else if (c == '(') {
                    if (arrow) {
                        return identifierBefore(source, i);
                    }
                } else if (c == '{' && !arrow && startsMethodBody(source, i)) {
                    return null;            // reached the enclosing method's body: no lambda
                }
            } else if (c == '>' && i > 0 && source.charAt(i - 1) == '-' && depth == 0) {
                arrow = true;
            }
        }
        return null;
    }

    private static final Set<String> BLOCK_KEYWORDS = Set.of("if", "for", "while", "switch", "catch",
            "synchronized", "try");

    /** Whether the '{' at `brace` opens a method's body: `name(…) {`, not `if (…) {` nor `-> {`. */
    private static boolean startsMethodBody(String source, int brace) {
        int i = brace - 1;
        while (i >= 0 && Character.isWhitespace(source.charAt(i))) {
            i--;
        }
        if (i < 0 || source.charAt(i) != ')') {
            return false;
        }
        for (int depth = 0; i >= 0; i--) {
            char c = source.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                String name = identifierBefore(source, i);
                return name != null && !BLOCK_KEYWORDS.contains(name);
            }
        }
        return false;
    }

    private static String identifierBefore(String source, int paren) {
        int end = paren;
        while (end > 0 && Character.isWhitespace(source.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isJavaIdentifierPart(source.charAt(start - 1))) {
            start--;
        }
        return start < end ? source.substring(start, end) : null;
    }
}
