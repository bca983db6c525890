package asynclab.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.ErroneousSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.PersistentSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * What JShell did to the notebook's definitions in one cell, said in that cell.
 *
 * <p>Three things JShell knows at definition time and the notebook never shows:
 * <ul>
 * <li>A changed method makes JShell rebuild the variables whose type came from it ({@code var v =
 * f();}); in this kernel (JShell running in the kernel's JVM, which cannot redefine classes) the
 * rebuilt variable starts again at 0 or null (JJava issue 128). Here its value is copied into the
 * rebuilt variable, as JShell's own remote engine keeps it; only when it no longer fits (its type
 * changed) the cell says that the variable was reset and which cell to run again.</li>
 * <li>A definition that compiles but names something undefined ({@code Stream} without its
 * import) is accepted and fails only when called; the cell says which name is missing, and a later
 * cell that calls it says so before it runs.</li>
 * <li>A definition that does not compile leaves, after a syntax error, the earlier definition in
 * force, and after a type error none. Here an earlier method of that name is removed in both
 * cases, so nothing goes on running code the learner has since changed, and the cell says so; a
 * later cell that calls it gets the hint to fix and run the exercise cell again. Definitions after
 * the error in the same cell were not run, and the cell names them.</li>
 * </ul>
 */
final class Definitions {
    private static final Method CLASS_NAME;

    static {
        Method m = null;
        try {
            m = Snippet.class.getDeclaredMethod("classFullName");   // as JJava's CodeEvaluator does
            m.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // without it variables are not kept: the kernel still runs as JJava does
        }
        CLASS_NAME = m;
    }

    private final JShell shell;
    private final Supplier<ClassLoader> loader;
    private final List<SnippetEvent> events = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** Names (as shown: {@code ex1()}, {@code Pair}) whose last definition did not compile. */
    private final Set<String> failed = new LinkedHashSet<>();

    Definitions(JShell shell, Supplier<ClassLoader> loader) {
        this.shell = shell;
        this.loader = loader;
        shell.onSnippetEvent(events::add);
    }

    int eventCount() {
        return events.size();
    }

    Set<String> failed() {
        return failed;
    }

    /** Starts a cell: forgets the last one's events and notes. */
    void beginCell() {
        events.clear();
        notes.clear();
    }

    /**
     * Lines to show before a cell runs: each method it calls that cannot run (its definition
     * names something undefined).
     */
    List<String> beforeRun(String source) {
        List<String> lines = new ArrayList<>();
        for (MethodSnippet m : shell.methods().toList()) {
            if (shell.status(m) == Snippet.Status.RECOVERABLE_DEFINED
                    && Pattern.compile("\\b" + Pattern.quote(m.name()) + "\\s*\\(|::\\s*" + Pattern.quote(m.name())
                            + "\\b").matcher(source).find()) {
                lines.add("note: " + m.name() + "() cannot run: " + why(m) + " — " + Hints.RERUN);
            }
        }
        return lines;
    }

    /** The values of the notebook's variables now, by snippet, to put back after a rebuild. */
    Map<VarSnippet, Object[]> saveVariables() {
        Map<VarSnippet, Object[]> saved = new IdentityHashMap<>();
        if (CLASS_NAME == null) {
            return saved;
        }
        for (VarSnippet v : shell.variables().toList()) {
            if (!shell.status(v).isDefined()) {
                continue;
            }
            try {
                String className = className(v);
                Field field = field(className, v.name());
                saved.put(v, new Object[] {className, field.get(null)});
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // not loaded (never run) or not readable: nothing to keep
            }
        }
        return saved;
    }

    /** After one snippet: puts saved values into variables JShell rebuilt with a new class. */
    void restoreVariables(Map<VarSnippet, Object[]> saved, int fromEvent) {
        for (SnippetEvent e : List.copyOf(events.subList(Math.min(fromEvent, events.size()), events.size()))) {
            if (e.causeSnippet() == null || !(e.snippet() instanceof VarSnippet v) || !e.status().isDefined()) {
                continue;
            }
            Object[] old = saved.get(v);
            if (old == null) {
                continue;
            }
            try {
                String className = className(v);
                if (className.equals(old[0])) {
                    continue;                              // redefined in place: the value stayed
                }
                Field field = field(className, v.name());
                if (fits(field.getType(), old[1])) {
                    field.set(null, old[1]);
                } else {
                    notes.add("note: " + v.name() + " was reset to " + field.get(null) + " when "
                            + shown(e.causeSnippet()) + " changed (its type changed): run the cell that made "
                            + v.name() + " again");
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
                notes.add("note: " + v.name() + " was reset when " + shown(e.causeSnippet())
                        + " changed: run the cell that made " + v.name() + " again");
            }
        }
    }

    /**
     * The lines a cell ends with: variables reset, definitions that cannot run yet. With
     * {@code rejected} (the snippet that did not compile) and {@code cell} (the cell's source),
     * also which definition is in force now and which of the cell's definitions were not run.
     */
    List<String> endCell(Snippet rejected, String cell) {
        List<String> lines = new ArrayList<>(notes);
        if (rejected != null) {
            lines.addAll(rejectedNotes(rejected, cell));
        }
        Set<Snippet> seen = new LinkedHashSet<>();
        for (SnippetEvent e : events) {
            Snippet s = e.snippet();
            if (!(s instanceof DeclarationSnippet d) || !seen.add(s)) {
                continue;
            }
            Snippet.Status now = shell.status(s);
            if (e.causeSnippet() != null && s instanceof VarSnippet v && !now.isDefined()
                    && now != Snippet.Status.OVERWRITTEN && now != Snippet.Status.DROPPED
                    && e.status() != Snippet.Status.OVERWRITTEN
                    && shell.variables().noneMatch(o -> o != v && o.name().equals(v.name())
                            && shell.status(o).isActive())
                    && shell.unresolvedDependencies(d).findAny().isEmpty()) {
                lines.add("note: " + shown(d) + " can no longer be used: it was made from "
                        + shown(e.causeSnippet()) + ", which changed; run the cell that made " + shown(d) + " again");
            } else if (now == Snippet.Status.RECOVERABLE_DEFINED || now == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                boolean unresolved = shell.unresolvedDependencies(d).findAny().isPresent();
                lines.add("note: " + shown(d) + (!unresolved ? (now == Snippet.Status.RECOVERABLE_DEFINED
                        ? " is defined, but cannot run: " : " is not defined: ") + why(d)
                        : (now == Snippet.Status.RECOVERABLE_DEFINED
                        ? " is defined, but cannot run until " : " is not defined until ")
                        + missing(d) + " is declared" + importHint(d)));
                failed.remove(shown(d));
            } else if (now.isDefined() && e.causeSnippet() == null) {
                failed.remove(shown(d));
            }
        }
        return lines;
    }

    private List<String> rejectedNotes(Snippet rejected, String cell) {
        List<String> lines = new ArrayList<>();
        PersistentSnippet meant = meant(rejected);
        if (meant != null) {
            String name = shown(meant);
            failed.add(name);
            List<PersistentSnippet> earlier = active(meant);
            boolean overwritten = events.stream().anyMatch(e -> e.status() == Snippet.Status.OVERWRITTEN
                    && e.snippet() instanceof PersistentSnippet p && p.kind() == meant.kind()
                    && name.equals(shown(p)));
            if (meant instanceof MethodSnippet && (!earlier.isEmpty() || overwritten)) {
                earlier.forEach(shell::drop);
                lines.add("note: " + name + " is not defined now: this cell's version did not compile, and the"
                        + " earlier one was removed, so nothing runs the old code; fix the error and run"
                        + " this cell again");
            } else if (!earlier.isEmpty()) {
                lines.add("note: the earlier " + name + " is still in force: this cell's version did not compile");
            } else {
                lines.add("note: " + name + " is not defined: this cell's version did not compile");
            }
        }
        for (String rest : after(cell, rejected.source())) {
            for (Snippet s : snippetsOf(rest)) {
                if (!(s instanceof PersistentSnippet p) || p.name() == null) {
                    continue;
                }
                String name = shown(p);
                List<PersistentSnippet> earlier = active(p);
                boolean same = earlier.stream().anyMatch(o -> o.source().strip().equals(p.source().strip()));
                if (p instanceof MethodSnippet && !earlier.isEmpty() && !same) {
                    earlier.forEach(shell::drop);
                    failed.add(name);
                    lines.add("note: " + name + " further down this cell was not run (a cell stops at its first"
                            + " error), and its earlier version was removed");
                } else {
                    if (earlier.isEmpty()) {
                        failed.add(name);
                    }
                    lines.add("note: " + name + " further down this cell was not run (a cell stops at its first"
                            + " error)" + (earlier.isEmpty() ? "; it is not defined"
                            : same ? "; its earlier, identical version is in force"
                            : "; its earlier version is still in force"));
                }
            }
        }
        return lines;
    }

    /** The declaration a rejected snippet meant: itself, or for a syntax error, its header's. */
    private PersistentSnippet meant(Snippet rejected) {
        if (rejected instanceof PersistentSnippet p && p.name() != null && !p.name().isEmpty()) {
            return p;
        }
        if (rejected instanceof ErroneousSnippet e) {
            String source = e.source();
            int brace = source.indexOf('{');
            if (brace > 0) {
                String header = source.substring(0, brace);
                String stub = e.probableKind() == Snippet.Kind.METHOD ? "{ throw null; }" : "{}";
                for (Snippet s : snippetsOf(header + stub)) {
                    if (s instanceof PersistentSnippet p && p.name() != null && s.kind() != Snippet.Kind.ERRONEOUS) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    /** The active definitions `p` would replace: same kind and name (for methods, same parameters). */
    private List<PersistentSnippet> active(PersistentSnippet p) {
        List<PersistentSnippet> found = new ArrayList<>();
        shell.snippets().filter(s -> s != p && s.kind() == p.kind() && shell.status(s).isActive())
                .map(s -> (PersistentSnippet) s)
                .filter(s -> s.name().equals(p.name()))
                .filter(s -> !(s instanceof MethodSnippet m && p instanceof MethodSnippet q)
                        || q.parameterTypes() == null || q.parameterTypes().equals(m.parameterTypes()))
                .forEach(found::add);
        return found;
    }

    private List<Snippet> snippetsOf(String source) {
        try {
            return shell.sourceCodeAnalysis().sourceToSnippets(source);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The snippets of `cell` after the one whose source is `failed`, split as JJava splits a cell. */
    private List<String> after(String cell, String failed) {
        List<String> rest = new ArrayList<>();
        if (cell == null || failed == null) {
            return rest;
        }
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        boolean past = false;
        SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(cell);
        while (info.completeness().isComplete()) {
            if (past) {
                rest.add(info.source());
            } else if (info.source().strip().equals(failed.strip())) {
                past = true;
            }
            info = sca.analyzeCompletion(info.remaining());
        }
        return rest;
    }

    private String missing(DeclarationSnippet d) {
        List<String> names = shell.unresolvedDependencies(d).map(Definitions::bareName).toList();
        return names.isEmpty() ? "the names it uses" : String.join(", ", names);
    }

    /**
     * Why a recoverable definition cannot run: the names it uses that are not declared, or, where
     * every name is declared (a method it calls was redefined, say, and now throws), what the
     * compiler says of it now.
     */
    private String why(DeclarationSnippet d) {
        if (shell.unresolvedDependencies(d).findAny().isPresent()) {
            return "it uses " + missing(d);
        }
        return shell.diagnostics(d).filter(Diag::isError).map(diag -> diag.getMessage(Locale.ROOT))
                .map(message -> "it does not compile against the code it uses now ("
                        + message.lines().findFirst().orElse(message).strip() + ")")
                .findFirst().orElse("it does not compile against the code it uses now");
    }

    private String importHint(DeclarationSnippet d) {
        for (String name : shell.unresolvedDependencies(d).map(Definitions::bareName).toList()) {
            String imported = Hints.importFor(name);
            if (imported != null) {
                return " (import " + imported + ";)";
            }
        }
        return "";
    }

    /** "class Stream" → "Stream", as JShell lists unresolved dependencies. */
    private static String bareName(String dependency) {
        return dependency.substring(dependency.indexOf(' ') + 1);
    }

    static String shown(Snippet s) {
        if (s instanceof MethodSnippet m) {
            return m.name() + "()";
        }
        return s instanceof PersistentSnippet p ? p.name() : s.source().strip();
    }

    private static String className(Snippet s) throws ReflectiveOperationException {
        return CLASS_NAME.invoke(s).toString();
    }

    private Field field(String className, String name) throws ReflectiveOperationException {
        Field field = Class.forName(className, true, loader.get()).getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static boolean fits(Class<?> type, Object value) {
        if (value == null) {
            return !type.isPrimitive();
        }
        if (!type.isPrimitive()) {
            return type.isInstance(value);
        }
        return (type == int.class && value instanceof Integer) || (type == long.class && value instanceof Long)
                || (type == double.class && value instanceof Double) || (type == boolean.class && value instanceof Boolean)
                || (type == float.class && value instanceof Float) || (type == char.class && value instanceof Character)
                || (type == short.class && value instanceof Short) || (type == byte.class && value instanceof Byte);
    }
}
