package asynclab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A thread dump of this JVM, taken in JSON, read into threads and the containers they run in, and
 * drawn as a tree of the program's tasks.
 *
 * <p>{@link #take()} asks {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)} for the dump,
 * which is what {@code jcmd <pid> Thread.dump_to_file -format=json <file>} writes from outside.
 * Use it when a program seems stuck or slow and you need to know what every task is doing: each
 * thread comes with its name, its state, what it waits on and where in your code it is. Unlike
 * {@code Thread.getAllStackTraces()}, the dump lists <b>virtual threads</b>, and it groups threads
 * by <b>thread container</b>: the root, each executor, and each structured task scope (a container
 * with an owner, the thread that opened it).
 *
 * <p>The surprise: the dump is a snapshot of a moving program. A task that started a microsecond
 * after it, or ended a microsecond before, is not in it; take it while the tasks you look for are
 * waiting. Also, a virtual thread that was created but has not started yet is in no container, and
 * the dump needs the JDK's {@code jdk.management} module (every full JDK has it).
 *
 * <p>{@link #show()} draws only the program's tasks (see {@link #tasks()}): the JVM's own threads
 * and the virtual-thread scheduler's idle carrier threads would otherwise fill the picture.
 */
public final class ThreadDump {

    /**
     * One thread as the dump saw it.
     *
     * @param id        the thread id ({@code Thread.threadId()})
     * @param name      the thread's name; unnamed virtual threads have an empty name
     * @param state     {@code RUNNABLE}, {@code WAITING}, {@code TIMED_WAITING}, {@code BLOCKED}...
     * @param virtual   whether it is a virtual thread
     * @param container the name of the container it runs in ({@code <root>} for the root)
     * @param waitsOn   what it waits on, as the JDK method your code called ({@code Thread.sleep},
     *                  {@code LinkedBlockingQueue.poll}, {@code StructuredTaskScopeImpl.join}),
     *                  with the lock when there is one; empty when it is running
     * @param at        the first frame of the stack that is not the JDK's: where your code is
     * @param stack     the whole stack, innermost frame first
     */
    public record Entry(long id, String name, String state, boolean virtual, String container,
                        String waitsOn, String at, List<String> stack) {
        /** The name, or {@code #id} for a thread without one. */
        public String label() {
            return name.isEmpty() ? "#" + id : name;
        }

        /** One line: {@code fetch-0 (virtual, TIMED_WAITING in Thread.sleep, at Content.getPosts(...))}. */
        @Override
        public String toString() {
            return label() + " (" + (virtual ? "virtual" : "platform") + ", " + state
                    + (waitsOn.isEmpty() ? "" : " in " + waitsOn) + (at.isEmpty() ? "" : ", at " + at) + ")";
        }
    }

    /**
     * A thread container: the root, an executor, a pool or a structured task scope.
     *
     * @param name    as the JDK names it ({@code mall/jdk.internal.misc.ThreadFlock$...@2f1e},
     *                {@code java.util.concurrent.ThreadPerTaskExecutor@5b20})
     * @param parent  the parent container's name; null for the root
     * @param owner   the id of the thread that owns it (the one that opened a scope), or 0
     * @param threads the threads in it when the dump was taken
     */
    public record Container(String name, String parent, long owner, List<Entry> threads) {
        /** A short name: a scope's own name, or the executor's class and hash ({@code ThreadPerTaskExecutor@5b20}). */
        public String label() {
            int slash = name.indexOf('/');
            String first = slash > 0 ? name.substring(0, slash) : name;
            return first.startsWith("<") ? first : simple(first);
        }

        /** A structured task scope: a container that has an owner. */
        public boolean scope() {
            return owner != 0;
        }
    }

    private static final String ROOT = "<root>";
    private static final Pattern JDK_FRAME = Pattern.compile("^(java|jdk)\\.[\\w.]+/.*");

    private final String json;
    private final long processId;
    private final String runtimeVersion;
    private final List<Container> containers;

    private ThreadDump(String json, long processId, String runtimeVersion, List<Container> containers) {
        this.json = json;
        this.processId = processId;
        this.runtimeVersion = runtimeVersion;
        this.containers = List.copyOf(containers);
    }

    /**
     * Takes a JSON thread dump of this JVM now, through {@code HotSpotDiagnosticMXBean.dumpThreads}
     * (a file in a fresh temporary folder, read and deleted again).
     */
    static ThreadDump take() {
        try {
            Path dir = Files.createTempDirectory("thread-dump");
            Path file = dir.resolve("threads.json");       // dumpThreads refuses a file that exists
            try {
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(),
                                com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return parse(Files.readString(file));
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON thread dump, as {@link #take()} or {@code jcmd <pid> Thread.dump_to_file -format=json} wrote it. */
    static ThreadDump parse(String json) {
        Map<?, ?> dump = map(map(Json.parse(json)).get("threadDump"));
        List<Container> containers = new ArrayList<>();
        for (Object c : list(dump.get("threadContainers"))) {
            Map<?, ?> container = map(c);
            String name = text(container.get("container"));
            List<Entry> threads = new ArrayList<>();
            for (Object t : list(container.get("threads"))) {
                threads.add(entry(map(t), name));
            }
            Object parent = container.get("parent");
            containers.add(new Container(name, parent == null ? null : text(parent),
                    number(container.get("owner")), List.copyOf(threads)));
        }
        return new ThreadDump(json, number(dump.get("processId")), text(dump.get("runtimeVersion")), containers);
    }

    /** The JSON text, as the JDK wrote it. */
    public String json() {
        return json;
    }

    /** The process id of the JVM that was dumped. */
    public long processId() {
        return processId;
    }

    /** The Java runtime's version, as the dump states it ({@code 25.0.1+8-LTS}). */
    public String runtimeVersion() {
        return runtimeVersion;
    }

    /** Every container in the dump, the root first, in the JDK's order. */
    public List<Container> containers() {
        return containers;
    }

    /** Every thread in the dump, virtual and platform, container by container. */
    public List<Entry> threads() {
        return containers.stream().flatMap(c -> c.threads().stream()).toList();
    }

    /** The names of every thread in the dump, in its order. */
    public List<String> names() {
        return threads().stream().map(Entry::name).toList();
    }

    /** The first thread with this name. */
    public Optional<Entry> thread(String name) {
        return threads().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The program's tasks: every virtual thread, every thread in a structured scope, and the owner
     * of every scope that holds one of these (the thread that opened it, platform or virtual).
     * Left out: platform threads elsewhere, which are the JVM's own, the kernel's, the
     * virtual-thread scheduler's carriers and the workers of platform-thread pools; draw those
     * with {@link #show(Predicate)}.
     */
    public List<Entry> tasks() {
        return select(this::isTask);
    }

    /** The threads that pass the test, plus the owners of the containers they run in. */
    public List<Entry> select(Predicate<Entry> test) {
        Set<Long> chosen = new LinkedHashSet<>();
        Map<String, Container> byName = byName();
        for (Container c : containers) {
            for (Entry t : c.threads()) {
                if (test.test(t)) {
                    chosen.add(t.id());
                    for (Container up = c; up != null; up = up.parent() == null ? null : byName.get(up.parent())) {
                        if (up.owner() != 0) {
                            chosen.add(up.owner());
                        }
                    }
                }
            }
        }
        return threads().stream().filter(t -> chosen.contains(t.id())).toList();
    }

    private boolean isTask(Entry t) {
        if (t.virtual()) {
            return true;
        }
        Map<String, Container> byName = byName();
        for (Container c = byName.get(t.container()); c != null; c = c.parent() == null ? null : byName.get(c.parent())) {
            if (c.scope()) {
                return true;
            }
        }
        return false;
    }

    /** The tree of {@link #tasks()} as text, one line per container and thread. */
    public String text() {
        return ThreadTree.of(this, tasks()).text();
    }

    /** The tree of {@link #tasks()} as an SVG picture. */
    public String svg() {
        return ThreadTree.of(this, tasks()).svg();
    }

    /** Draws the tree of {@link #tasks()} under the cell in a notebook, or prints its text elsewhere. */
    public void show() {
        ThreadTree tree = ThreadTree.of(this, tasks());
        Notebook.showSvg(tree.svg(), tree.text());
    }

    /** Draws the tree of the threads that pass the test (and the owners of their scopes). */
    public void show(Predicate<Entry> test) {
        ThreadTree tree = ThreadTree.of(this, select(test));
        Notebook.showSvg(tree.svg(), tree.text());
    }

    @Override
    public String toString() {
        return "ThreadDump[process " + processId + ", " + threads().size() + " threads, "
                + containers.size() + " containers]";
    }

    Map<String, Container> byName() {
        Map<String, Container> map = new LinkedHashMap<>();
        containers.forEach(c -> map.put(c.name(), c));
        return map;
    }

    // ---------------------------------------------------------------------------------------------

    private static Entry entry(Map<?, ?> t, String container) {
        List<String> stack = list(t.get("stack")).stream().map(ThreadDump::text).toList();
        String state = text(t.get("state"));
        return new Entry(number(t.get("tid")), text(t.get("name")), state, Boolean.TRUE.equals(t.get("virtual")),
                container, waitsOn(t, state, stack), at(stack), stack);
    }

    private static String waitsOn(Map<?, ?> t, String state, List<String> stack) {
        if (state.equals("RUNNABLE") || state.equals("NEW") || state.equals("TERMINATED")) {
            return "";
        }
        String api = "";
        for (int i = 0; i < stack.size(); i++) {
            if (!JDK_FRAME.matcher(stack.get(i)).matches()) {
                api = i > 0 ? method(stack.get(i - 1)) : "";
                break;
            }
        }
        if (api.isEmpty() && !stack.isEmpty()) {
            api = method(stack.get(0));
        }
        String lock = t.get("blockedOn") != null ? text(t.get("blockedOn"))
                : t.get("waitingOn") != null ? text(t.get("waitingOn")) : "";
        return lock.isEmpty() ? api : api + " (monitor " + simple(lock) + ")";
    }

    private static String at(List<String> stack) {
        for (String frame : stack) {
            if (!JDK_FRAME.matcher(frame).matches()) {
                return clean(frame);
            }
        }
        return "";
    }

    /** {@code java.base/java.lang.Thread.sleep(Thread.java:540)} → {@code Thread.sleep}. */
    static String method(String frame) {
        String f = frame.substring(frame.indexOf('/') + 1);
        int paren = f.indexOf('(');
        String qualified = paren >= 0 ? f.substring(0, paren) : f;
        int dot = qualified.lastIndexOf('.');
        if (dot < 0) {
            return qualified;
        }
        return simple(qualified.substring(0, dot)) + qualified.substring(dot);
    }

    /** A frame without module, JShell wrapper or package: {@code Content.getPosts(#12:5)}. */
    static String clean(String frame) {
        String f = frame.replaceFirst("^[^/(]*//?(?=[^/]*\\()", "");
        f = f.replaceAll("REPL\\.\\$JShell\\$\\d+[A-Z]?[.$]", "");
        int paren = f.indexOf('(');
        String head = paren >= 0 ? f.substring(0, paren) : f;
        String tail = paren >= 0 ? f.substring(paren) : "";
        int dot = head.lastIndexOf('.');
        String owner = dot >= 0 ? simple(head.substring(0, dot)) + "." : "";
        return owner + head.substring(dot + 1) + tail;
    }

    /** {@code java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@2177} → {@code AbstractQueuedSynchronizer$ConditionObject@2177}. */
    static String simple(String qualified) {
        int at = qualified.indexOf('@');
        String cls = at >= 0 ? qualified.substring(0, at) : qualified;
        String rest = at >= 0 ? qualified.substring(at) : "";
        int dot = cls.lastIndexOf('.');
        return cls.substring(dot + 1) + rest;
    }

    private static Map<?, ?> map(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("not a JSON thread dump: an object was expected, found " + o);
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static long number(Object o) {
        if (o == null) {
            return 0;
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(o.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
