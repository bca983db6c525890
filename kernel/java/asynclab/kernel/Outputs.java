package asynclab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishStream.StreamType;

/**
 * {@code System.out} and {@code System.err} for the whole life of the kernel: every write goes to
 * the notebook cell it belongs to, also after that cell has ended.
 *
 * <p>JJava swaps its notebook streams in only while a cell runs and puts the process's streams
 * back afterwards, so whatever a thread prints once its cell has returned lands in the Jupyter
 * server's log. Here each thread has a home: the cell that was running when the thread was
 * created (an inheritable thread-local, set when a cell's own thread creates a thread, and passed
 * on to the threads that thread creates). A write goes, as an iopub {@code stream} message with
 * that cell's request as its parent, to the home cell while the notebook can still show it there
 * (the cell has not been run again since: the client's {@code cellId}); otherwise to the cell
 * running now, or else to the last cell that ran. Threads with no home (the common pool's
 * workers, which start with no inherited values) use the running or last cell too. The kernel's
 * own threads (channels, logging) keep the process's streams.
 *
 * <p>Text is kept per thread until a line ends, so lines of different threads never mix and each
 * thread's output keeps its order; a line left open is sent after 200 ms, or when its cell ends.
 *
 * <p>The surprise: a pool created in one cell keeps that cell as the home of its threads, so a
 * task it runs for a later cell prints under the earlier one while that earlier one is not run
 * again (JupyterLab shows it there).
 */
final class Outputs {
    /** The home of the kernel's own threads: they print to the process's streams. */
    private static final Object KERNEL = new Object();
    private static final String CELL_THREAD_PREFIX = "jjava-exec-";   // JJavaExecutionControl's threads
    static final Outputs INSTANCE = new Outputs();

    private final InheritableThreadLocal<Object> home = new InheritableThreadLocal<>() {
        @Override
        protected Object childValue(Object parent) {
            if (isCellThread(Thread.currentThread())) {     // a cell's code creates a thread
                Cell now = running;
                return now != null ? now : KERNEL;
            }
            return parent;
        }
    };
    private final Map<String, Cell> latestByCellId = new ConcurrentHashMap<>();
    private volatile Cell running;
    private volatile Cell last;
    private PrintStream processOut;
    private PrintStream processErr;
    private Router out;
    private Router err;

    /** One execute request: where its output goes. */
    static final class Cell {
        private final JupyterSocket iopub;
        private final Message<?> request;
        private final String cellId;
        private volatile boolean ended;

        Cell(JupyterSocket iopub, Message<?> request) {
            this.iopub = iopub;
            this.request = request;
            Object id = request.getMetadata() == null ? null : request.getMetadata().get("cellId");
            this.cellId = id == null ? null : id.toString();
        }

        void send(StreamType type, String text) {
            iopub.sendMessage(new Message<>(request, MessageType.PUBLISH_STREAM, new PublishStream(type, text)));
        }
    }

    /** Installs the streams; call once, first thing on the main thread, before the kernel is built. */
    synchronized void install() {
        if (out != null) {
            return;
        }
        home.set(KERNEL);
        processOut = System.out;
        processErr = System.err;
        out = new Router(StreamType.OUT, processOut);
        err = new Router(StreamType.ERR, processErr);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread flusher = new Thread(this::flushOpenLines, "asynclab-output-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    Cell begin(JupyterSocket iopub, Message<?> request) {
        Cell cell = new Cell(iopub, request);
        if (cell.cellId != null) {
            latestByCellId.put(cell.cellId, cell);
        }
        running = cell;
        last = cell;
        return cell;
    }

    void end(Cell cell) {
        flushAll();
        cell.ended = true;
        if (running == cell) {
            running = null;
        }
    }

    /** A line from the kernel itself to the running cell's stderr (to the process's if none runs). */
    void note(String text) {
        flushAll();
        Cell now = running;
        if (now != null) {
            now.send(StreamType.ERR, text.endsWith("\n") ? text : text + "\n");
        } else if (processErr != null) {
            processErr.println(text);
        }
    }

    void flushAll() {
        if (out != null) {
            out.flushAll(false);
            err.flushAll(false);
        }
    }

    private static boolean isCellThread(Thread thread) {
        return thread.getName().startsWith(CELL_THREAD_PREFIX);
    }

    /** The cell a write by the current thread goes to; null: the process's stream. */
    private Cell target() {
        Thread thread = Thread.currentThread();
        Cell now = running;
        if (isCellThread(thread)) {
            return now;
        }
        Object mine = home.get();
        if (mine == KERNEL) {
            return null;
        }
        if (mine instanceof Cell cell && (!cell.ended || cell.cellId == null
                || latestByCellId.get(cell.cellId) == cell)) {
            return cell;
        }
        return now != null ? now : last;
    }

    private void flushOpenLines() {
        while (true) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            out.flushAll(true);
            err.flushAll(true);
        }
    }

    /** Text a thread has written and not yet sent, and where it goes. */
    private static final class Pending {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Cell target;
        long lastWrite;
    }

    /** One of the two streams: per-thread pending text, sent at each line's end. */
    private final class Router extends OutputStream {
        private final StreamType type;
        private final PrintStream process;
        private final Map<Thread, Pending> pending = Collections.synchronizedMap(new WeakHashMap<>());

        Router(StreamType type, PrintStream process) {
            this.type = type;
            this.process = process;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Cell target = target();
            if (target == null) {
                process.write(b, off, len);
                return;
            }
            Pending p = pending.computeIfAbsent(Thread.currentThread(), t -> new Pending());
            synchronized (p) {
                if (p.target != target) {
                    send(p);
                    p.target = target;
                }
                p.bytes.write(b, off, len);
                p.lastWrite = System.nanoTime();
            }
        }

        /** Sends the thread's complete lines; an open line waits for its end (or 100 ms). */
        @Override
        public void flush() {
            Pending p = pending.get(Thread.currentThread());
            if (p != null) {
                synchronized (p) {
                    sendLines(p);
                }
            } else {
                process.flush();
            }
        }

        private void sendLines(Pending p) {
            byte[] bytes = p.bytes.toByteArray();
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end == 0 || p.target == null) {
                return;
            }
            p.bytes.reset();
            p.bytes.write(bytes, end, bytes.length - end);
            deliver(p.target, new String(bytes, 0, end, StandardCharsets.UTF_8));
        }

        /** Sends every thread's pending text; with `idleOnly`, only text untouched for 100 ms. */
        void flushAll(boolean idleOnly) {
            List<Pending> all;
            synchronized (pending) {
                all = new ArrayList<>(pending.values());
            }
            long now = System.nanoTime();
            for (Pending p : all) {
                synchronized (p) {
                    if (!idleOnly || now - p.lastWrite > 100_000_000L) {
                        send(p);
                    }
                }
            }
        }

        private void send(Pending p) {
            if (p.bytes.size() == 0 || p.target == null) {
                return;
            }
            String text = p.bytes.toString(StandardCharsets.UTF_8);
            p.bytes.reset();
            deliver(p.target, text);
        }

        private void deliver(Cell target, String text) {
            try {
                target.send(type, text);
            } catch (RuntimeException e) {
                process.print(text);          // the connection is gone: the log is all there is
            }
        }
    }
}
