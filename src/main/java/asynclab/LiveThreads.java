package asynclab;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads alive now that a cell could have left behind: non-daemon platform threads, and
 * virtual threads, which {@code Thread.getAllStackTraces()} does not list. Virtual threads come
 * from a JSON thread dump ({@link ThreadDump#take()}, JDK 21+), which lists every virtual thread
 * started by {@code Thread.ofVirtual()} or an executor; if no dump can be made, only platform
 * threads are seen.
 */
final class LiveThreads {
    private LiveThreads() {}

    /** Thread id to a description such as {@code thread "worker"} or {@code virtual thread #42}. */
    static Map<Long, String> now() {
        Map<Long, String> alive = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.isDaemon()) {
                alive.put(t.threadId(), "thread \"" + t.getName() + "\"");
            }
        }
        for (ThreadDump.Entry t : virtualThreads()) {
            alive.put(t.id(), "virtual thread " + (t.name().isEmpty() ? "#" + t.id() : "\"" + t.name() + "\""));
        }
        return alive;
    }

    private static List<ThreadDump.Entry> virtualThreads() {
        try {
            return ThreadDump.take().threads().stream().filter(ThreadDump.Entry::virtual).toList();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }
}
