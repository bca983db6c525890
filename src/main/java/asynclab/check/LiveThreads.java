package asynclab.check;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads alive now that a cell could have left behind: non-daemon platform threads, and
 * virtual threads, which {@code Thread.getAllStackTraces()} does not list. Virtual threads come
 * from a JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}, JDK 21+), which lists
 * every virtual thread started by {@code Thread.ofVirtual()} or an executor; if no dump can be
 * made, only platform threads are seen.
 */
final class LiveThreads {
    private LiveThreads() {}

    /** One thread object in the dump: its id, whether it is virtual, and its name. */
    private static final Pattern THREAD = Pattern.compile(
            "\"tid\": \"(\\d+)\",(?:\\s*\"time\": \"[^\"]*\",)?(\\s*\"virtual\": true,)?\\s*\"name\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Thread id to a description such as {@code thread "worker"} or {@code virtual thread #42}. */
    static Map<Long, String> now() {
        Map<Long, String> alive = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.isDaemon()) {
                alive.put(t.threadId(), "thread \"" + t.getName() + "\"");
            }
        }
        Matcher m = THREAD.matcher(dump());
        while (m.find()) {
            if (m.group(2) != null) {
                String name = m.group(3);
                alive.put(Long.parseLong(m.group(1)), "virtual thread " + (name.isEmpty() ? "#" + m.group(1) : "\"" + name + "\""));
            }
        }
        return alive;
    }

    private static String dump() {
        try {
            Path file = Files.createTempFile("asynclab-threads", ".json");
            try {
                Files.delete(file); // dumpThreads refuses to overwrite
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            return "";
        }
    }
}
