package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadDumpTest {
    /** A dump as JDK 25 writes it, cut down: the root, the carrier pool, a scope and a scope inside it. */
    static final String DUMP = """
        {"threadDump": {"processId": "4242", "time": "2026-12-01T14:29:54Z", "runtimeVersion": "25.0.3+9-LTS",
          "threadContainers": [
            {"container": "<root>", "parent": null, "owner": null, "threads": [
              {"tid": "3", "name": "main", "state": "WAITING", "stack": [
                "java.base\\/jdk.internal.misc.Unsafe.park(Native Method)",
                "java.base\\/java.util.concurrent.StructuredTaskScopeImpl.join(StructuredTaskScopeImpl.java:243)",
                "Mall.main(Mall.java:12)"]},
              {"tid": "13", "name": "Finalizer", "state": "WAITING", "waitingOn": "java.lang.ref.ReferenceQueue$Lock@2cdd0d4b",
               "stack": ["java.base\\/java.lang.Object.wait0(Native Method)"]},
              {"tid": "28", "virtual": true, "name": "locker", "state": "TIMED_WAITING",
               "waitingOn": "java.lang.Object@44a7bfbc", "stack": [
                "java.base\\/java.lang.Object.wait0(Native Method)",
                "java.base\\/java.lang.Object.wait(Object.java:382)",
                "Mall.lambda$main$3(Mall.java:14)"]}], "threadCount": "3"},
            {"container": "ForkJoinPool-1\\/jdk.internal.vm.SharedThreadContainer@5939a379", "parent": "<root>",
             "owner": null, "threads": [
              {"tid": "24", "name": "ForkJoinPool-1-worker-1", "state": "WAITING",
               "parkBlocker": {"object": "java.util.concurrent.ForkJoinPool@e1de817"}, "stack": [
                "java.base\\/jdk.internal.misc.Unsafe.park(Native Method)",
                "java.base\\/java.util.concurrent.ForkJoinPool.awaitWork(ForkJoinPool.java:2109)"]}], "threadCount": "1"},
            {"container": "mall\\/jdk.internal.misc.ThreadFlock$ThreadContainerImpl@52102734", "parent": "<root>",
             "owner": "3", "threads": [
              {"tid": "23", "virtual": true, "name": "console", "state": "TIMED_WAITING", "stack": [
                "java.base\\/java.lang.VirtualThread.parkNanos(VirtualThread.java:784)",
                "java.base\\/java.lang.Thread.sleep(Thread.java:540)",
                "Mall.lambda$main$1(Mall.java:11)"]},
              {"tid": "25", "virtual": true, "name": "", "state": "WAITING", "stack": [
                "java.base\\/java.lang.VirtualThread.park(VirtualThread.java:600)",
                "java.base\\/java.util.concurrent.StructuredTaskScopeImpl.join(StructuredTaskScopeImpl.java:243)",
                "Mall.fittingRoom(Mall.java:20)"]}], "threadCount": "2"},
            {"container": "fitting room\\/jdk.internal.misc.ThreadFlock$ThreadContainerImpl@1", "parent":
             "mall\\/jdk.internal.misc.ThreadFlock$ThreadContainerImpl@52102734", "owner": "25", "threads": [
              {"tid": "30", "virtual": true, "name": "jacket", "state": "TIMED_WAITING",
               "parkBlocker": {"object": "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@21"},
               "stack": [
                "java.base\\/java.lang.VirtualThread.parkNanos(VirtualThread.java:784)",
                "java.base\\/java.util.concurrent.LinkedBlockingQueue.poll(LinkedBlockingQueue.java:460)",
                "Mall.lambda$fittingRoom$0(Mall.java:18)"]}], "threadCount": "1"}]}}
        """;

    @Test
    void readsThreadsContainersAndWhatEachWaitsOn() {
        ThreadDump dump = ThreadDump.parse(DUMP);
        assertEquals(4242, dump.processId());
        assertEquals("25.0.3+9-LTS", dump.runtimeVersion());
        assertEquals(List.of("main", "Finalizer", "locker", "ForkJoinPool-1-worker-1", "console", "", "jacket"),
                dump.names());
        ThreadDump.Entry console = dump.thread("console").orElseThrow();
        assertTrue(console.virtual());
        assertEquals("TIMED_WAITING", console.state());
        assertEquals("Thread.sleep", console.waitsOn());
        assertEquals("Mall.lambda$main$1(Mall.java:11)", console.at());
        assertEquals("LinkedBlockingQueue.poll", dump.thread("jacket").orElseThrow().waitsOn());
        assertEquals("Object.wait (monitor Object@44a7bfbc)", dump.thread("locker").orElseThrow().waitsOn());
        assertEquals("StructuredTaskScopeImpl.join", dump.thread("main").orElseThrow().waitsOn());
        assertEquals("#25", dump.threads().get(5).label());
        ThreadDump.Container mall = dump.containers().get(2);
        assertEquals("mall", mall.label());
        assertTrue(mall.scope());
        assertEquals(3, mall.owner());
        assertEquals("ForkJoinPool-1", dump.containers().get(1).label());
        assertFalse(dump.containers().get(1).scope());
    }

    @Test
    void theTasksAreVirtualThreadsScopesAndTheirOwnersNotTheJvmsThreads() {
        ThreadDump dump = ThreadDump.parse(DUMP);
        assertEquals(List.of("main", "locker", "console", "", "jacket"),
                dump.tasks().stream().map(ThreadDump.Entry::name).toList());
        assertEquals(List.of("main", "", "jacket"),
                dump.select(t -> t.name().equals("jacket")).stream().map(ThreadDump.Entry::name).toList(),
                "a thread in a nested scope brings the owners of every scope above it");
    }

    @Test
    void drawsTheTreeAsTextAndSvg() {
        ThreadDump dump = ThreadDump.parse(DUMP);
        String text = dump.text();
        assertEquals("""
                Thread dump of process 4242 (Java 25.0.3+9-LTS): 5 shown (4 virtual), 2 scopes; 2 other threads not shown
                <root>
                ├─ main  platform  WAITING  StructuredTaskScopeImpl.join  at Mall.main(Mall.java:12)
                ├─ locker  virtual  TIMED_WAITING  Object.wait (monitor Object@44a7bfbc)  at Mall.lambda$main$3(Mall.java:14)
                └─ scope mall (opened by main)
                   ├─ console  virtual  TIMED_WAITING  Thread.sleep  at Mall.lambda$main$1(Mall.java:11)
                   ├─ #25  virtual  WAITING  StructuredTaskScopeImpl.join  at Mall.fittingRoom(Mall.java:20)
                   └─ scope fitting room (opened by #25)
                      └─ jacket  virtual  TIMED_WAITING  LinkedBlockingQueue.poll  at Mall.lambda$fittingRoom$0(Mall.java:18)""",
                text);
        String svg = dump.svg();
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"), svg);
        for (String shown : List.of("scope mall (opened by main)", "console", "jacket", "TIMED_WAITING", "Thread.sleep")) {
            assertTrue(svg.contains(shown), shown);
        }
        assertFalse(svg.contains("ForkJoinPool-1-worker-1"));
    }

    @Test
    void takesADumpOfThisJvmWithItsNamedVirtualThreads() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ThreadDump dump;
        try (var pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("inspect-test-", 0).factory())) {
            for (int i = 0; i < 2; i++) {
                pool.submit(() -> go.await(10, TimeUnit.SECONDS));
            }
            Thread.sleep(200);
            dump = ThreadDump.take();
            go.countDown();
        }
        List<ThreadDump.Entry> mine = dump.threads().stream().filter(t -> t.name().startsWith("inspect-test-")).toList();
        assertEquals(List.of("inspect-test-0", "inspect-test-1"), mine.stream().map(ThreadDump.Entry::name).sorted().toList());
        for (ThreadDump.Entry t : mine) {
            assertTrue(t.virtual(), t.toString());
            assertEquals("CountDownLatch.await", t.waitsOn(), t.toString());
            assertTrue(t.container().contains("ThreadPerTaskExecutor"), t.container());
            assertTrue(t.at().startsWith("ThreadDumpTest.lambda$"), t.at());
        }
        assertEquals(ProcessHandle.current().pid(), dump.processId());
        assertTrue(dump.json().contains("\"threadDump\""));
        assertTrue(dump.text().contains("inspect-test-0  virtual  TIMED_WAITING  CountDownLatch.await"), dump.text());
    }

    @Test
    void jsonIsReadWithItsEscapesAndRefusedWhenBroken() {
        assertEquals(Map.of("a", List.of("x/y", "é\n", true, 1.5)), Json.parse("{\"a\": [\"x\\/y\", \"\\u00e9\\n\", true, 1.5]}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertThrows(IllegalArgumentException.class, () -> ThreadDump.parse("[]"));
    }
}
