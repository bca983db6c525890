package asynclab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP server for the mall's data, on this machine only: the guide's posts and albums, and
 * the dashboard's shops, offers and parking, each as a line of JSON after a latency you set.
 *
 * <p>Use it when a lesson needs a real network call that works offline: it listens on the loopback
 * address {@code 127.0.0.1}, on a port the system picks, and answers each request on a virtual
 * thread of its own. Every request is counted, so a test can ask what the server saw: how many
 * requests, how many at once at most, how many failed on purpose, how many clients went away
 * before their answer.
 * {@snippet class=asynclab.ExamplesTest region=mall :
 * try (var server = mallServer(Duration.ofMillis(100));
 *      var client = HttpClient.newHttpClient()) {
 *     var request = HttpRequest.newBuilder(server.uri("/posts")).build();
 *     client.send(request, BodyHandlers.ofString()).body();       // after 0.1 s
 *     stats = server.stats().toString();  // requests=1 answered=1 failed=0 cancelled=0 ...
 * }                                       // stopped: no port open, no thread left
 * }
 *
 * <p>Paths: {@code /posts}, {@code /albums}, {@code /shops}, {@code /offers}, {@code /parking};
 * any other path answers 404 at once. A request chosen to fail (see {@link #setFailureRate} and
 * {@link #failNext}) waits its latency too, then answers 503 with {@code {"error":"try again"}}.
 * With a {@linkplain #capAt cap}, a request beyond it answers 429 at once.
 *
 * @apiNote <b>The server notices a client that went away only when it answers.</b> HTTP/1.1 has no
 * message for "never mind": a client that gives up (a request timeout, an interrupted
 * {@code send}, {@code cancel(true)} on a {@code sendAsync} future, on JDK 25) closes its
 * connection, and {@code HttpServer} gives a handler no way to watch the connection while it
 * waits. So each answer is written in two parts a few milliseconds apart, and a write that fails
 * counts the exchange as {@code cancelled}: at the end of its latency, not at the moment the
 * client left. {@link #awaitIdle(Duration)} waits for that.
 */
public final class MallServer implements AutoCloseable {
    /** The paths the server answers, in the order the guide and the dashboard use them. */
    public static final List<String> PATHS = List.of("/posts", "/albums", "/shops", "/offers", "/parking");

    private static final Map<String, String> BODIES = Map.of(
            "/posts", "[{\"id\":1,\"title\":\"Lorem Ipsum\"}]",
            "/albums", "[{\"id\":1,\"title\":\"Mona Lisa\"}]",
            "/shops", "[{\"name\":\"Game World\",\"floor\":1},{\"name\":\"Fitting Rooms\",\"floor\":2},"
                    + "{\"name\":\"Cafe\",\"floor\":0}]",
            "/offers", "[{\"shop\":\"Game World\",\"offer\":\"console bundle, 20% off\"}]",
            "/parking", "{\"level\":\"P2\",\"free\":42}");
    private static final String FAILURE = "{\"error\":\"try again\"}";
    private static final String TOO_MANY = "{\"error\":\"too many requests at once\"}";
    /** The gap between the two parts of an answer, in which a client's close becomes visible. */
    private static final long GAP_MILLIS = 5;

    private final HttpServer http;
    private final ExecutorService handlers;
    private final int port;
    private final long startNanos = System.nanoTime();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Object statsLock = new Object();
    private final List<Long> arrivals = new ArrayList<>();
    private volatile Duration defaultLatency;
    private volatile int cap = Integer.MAX_VALUE;
    private volatile Duration retryAfter;
    private Random random;
    // inFlight: admitted and not yet answering their last bytes (what "at once" counts and the cap
    // caps); unsettled: admitted and not yet counted as answered, failed or cancelled.
    private int requests, answered, failed, cancelled, rejected, inFlight, unsettled, mostAtOnce;
    private volatile boolean closed;

    private static final class Endpoint {
        volatile Duration latency;
        volatile double failureRate;
        final AtomicInteger failNext = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
    }

    private MallServer(Duration latency) throws IOException {
        this.defaultLatency = requireLatency(latency);
        this.random = new Random(0);
        for (String path : PATHS) {
            endpoints.put(path, new Endpoint());
        }
        AtomicLong count = new AtomicLong();
        handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mall-handler-", count.getAndIncrement()).factory());
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
        port = http.getAddress().getPort();
    }

    /** Starts a server whose every path answers after one second, like the guide's fetches. */
    static MallServer start() {
        return start(Duration.ofSeconds(1));
    }

    /** Starts a server on 127.0.0.1 and a free port, every path answering after {@code latency}. */
    static MallServer start(Duration latency) {
        try {
            return new MallServer(latency);
        } catch (IOException e) {
            throw new UncheckedIOException("the mall server could not start on 127.0.0.1", e);
        }
    }

    /** The port the system chose. */
    public int port() {
        return port;
    }

    /** The address of a path on this server, such as {@code http://127.0.0.1:41234/posts}. */
    public URI uri(String path) {
        Objects.requireNonNull(path, "path");
        return URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
    }

    /** Sets the latency of every path (also those set one by one before). */
    public void setLatency(Duration latency) {
        defaultLatency = requireLatency(latency);
        endpoints.values().forEach(e -> e.latency = null);
    }

    /** Sets the latency of one path. */
    public void setLatency(String path, Duration latency) {
        endpoint(path).latency = requireLatency(latency);
    }

    /**
     * Makes a share of one path's requests fail (503), drawn from a random sequence seeded with 0
     * (see {@link #seed}), so a client that sends one request at a time sees the same failures on
     * every run.
     */
    public void setFailureRate(String path, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("a failure rate is between 0 and 1, not " + rate);
        }
        endpoint(path).failureRate = rate;
    }

    /** Makes the next {@code n} requests to one path fail (503), before any failure rate applies. */
    public void failNext(String path, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        endpoint(path).failNext.set(n);
    }

    /** Starts the random sequence behind {@link #setFailureRate} again from {@code seed}. */
    public void seed(long seed) {
        synchronized (statsLock) {
            random = new Random(seed);
        }
    }

    /** Answers 429 at once to any request beyond {@code n} in flight; {@code Integer.MAX_VALUE} for none. */
    public void capAt(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a cap is at least 1: " + n);
        }
        cap = n;
    }

    /**
     * Makes every 503 and 429 answer say when to come back: a {@code Retry-After} header of
     * {@code after} in whole seconds, rounded up; {@code null} (the default) for none.
     *
     * <p>Use it to test a client that honours the header: such a client waits that long before it
     * calls again, rather than its own backoff. A real server may also send an HTTP date there;
     * this one always sends seconds.
     */
    public void setRetryAfter(Duration after) {
        if (after != null && after.isNegative()) {
            throw new IllegalArgumentException("Retry-After cannot be negative: " + after);
        }
        retryAfter = after;
    }

    /** What the server saw since it started or since the last {@link #resetStats()}. */
    public Stats stats() {
        synchronized (statsLock) {
            return new Stats(requests, answered, failed, cancelled, rejected, mostAtOnce, unsettled);
        }
    }

    /** How many requests reached one path since the start or the last {@link #resetStats()}. */
    public int requests(String path) {
        return endpoint(path).requests.get();
    }

    /**
     * When each request arrived, as time since the server started, in order of arrival (since the
     * start or the last {@link #resetStats()}). The gaps between them show a client's waits.
     */
    public List<Duration> arrivals() {
        synchronized (statsLock) {
            return arrivals.stream().map(Duration::ofNanos).toList();
        }
    }

    /**
     * The largest number of requests that arrived within any one {@code window}: for a rate limit,
     * {@code mostWithin(Duration.ofSeconds(1))} is the most requests in any second.
     */
    public int mostWithin(Duration window) {
        List<Long> times;
        synchronized (statsLock) {
            times = List.copyOf(arrivals);
        }
        long w = window.toNanos();
        int most = 0;
        for (int i = 0, j = 0; j < times.size(); j++) {
            while (times.get(j) - times.get(i) >= w) {
                i++;
            }
            most = Math.max(most, j - i + 1);
        }
        return most;
    }

    /** Sets every count to zero (the settings stay); requests still in flight are counted when they end. */
    public void resetStats() {
        synchronized (statsLock) {
            requests = answered = failed = cancelled = rejected = 0;
            mostAtOnce = inFlight;
            arrivals.clear();
        }
        endpoints.values().forEach(e -> e.requests.set(0));
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}; true if none is. Use it before
     * reading {@link #stats()} after a client gave up: the server counts a cancelled exchange only
     * when its latency is over.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (statsLock) {
            while (unsettled > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(statsLock, left);
            }
            return true;
        }
    }

    /**
     * Stops the server: the port is closed, requests still waiting are interrupted and their
     * handler threads have ended when this returns. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(0);
        handlers.shutdownNow();
        try {
            if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the mall server's handlers did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "MallServer(" + uri("/") + (closed ? ", stopped" : "") + ", " + stats() + ")";
    }

    /**
     * What a server saw: every request that arrived; those answered with data; those that failed on
     * purpose (503); those whose client had gone when the answer was written; those turned away by
     * the cap (429); the most in flight at one moment; and how many are in flight now.
     */
    public record Stats(int requests, int answered, int failed, int cancelled, int rejected,
                        int mostAtOnce, int inFlight) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "requests=%d answered=%d failed=%d cancelled=%d rejected=%d mostAtOnce=%d",
                    requests, answered, failed, cancelled, rejected, mostAtOnce);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private Endpoint endpoint(String path) {
        Endpoint e = endpoints.get(path);
        if (e == null) {
            throw new IllegalArgumentException("no path " + path + " on the mall server; paths: " + PATHS);
        }
        return e;
    }

    private static Duration requireLatency(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("a latency cannot be negative: " + latency);
        }
        return latency;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Endpoint endpoint = endpoints.get(path);
            if (endpoint == null) {
                reply(exchange, 404, "{\"error\":\"no such path\"}");
                return;
            }
            endpoint.requests.incrementAndGet();
            boolean admitted, fail = false;
            synchronized (statsLock) {
                requests++;
                arrivals.add(System.nanoTime() - startNanos);
                admitted = inFlight < cap;
                if (!admitted) {
                    rejected++;
                } else {
                    inFlight++;
                    unsettled++;
                    mostAtOnce = Math.max(mostAtOnce, inFlight);
                    boolean chosen = endpoint.failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                    fail = chosen || endpoint.failureRate > 0 && random.nextDouble() < endpoint.failureRate;
                }
            }
            if (!admitted) {
                reply(exchange, 429, TOO_MANY);
                return;
            }
            Outcome outcome = Outcome.CANCELLED;
            boolean[] answering = {false};
            Runnable leave = () -> {
                synchronized (statsLock) {
                    if (!answering[0]) {
                        answering[0] = true;
                        inFlight--;
                    }
                }
            };
            try {
                outcome = answer(exchange, endpoint, fail, leave);
            } finally {
                leave.run();
                synchronized (statsLock) {
                    unsettled--;
                    switch (outcome) {
                        case ANSWERED -> answered++;
                        case FAILED -> failed++;
                        case CANCELLED -> cancelled++;
                    }
                    statsLock.notifyAll();
                }
            }
        }
    }

    private enum Outcome { ANSWERED, FAILED, CANCELLED }

    /**
     * Waits the latency, then writes the answer in two parts; a client gone by then is noticed.
     * {@code leaving} runs just before the last part is written: from then on the client may have
     * its answer and send its next request, so this one no longer counts as at the server (else a
     * client capped at two could be seen with three, its next request arriving before this
     * handler's thread got back to count its end).
     */
    private Outcome answer(HttpExchange exchange, Endpoint endpoint, boolean fail, Runnable leaving) {
        Duration latency = endpoint.latency != null ? endpoint.latency : defaultLatency;
        String path = exchange.getRequestURI().getPath();
        byte[] body = (fail ? FAILURE : BODIES.get(path)).getBytes(StandardCharsets.UTF_8);
        try {
            long waitNanos = latency.toNanos() - TimeUnit.MILLISECONDS.toNanos(GAP_MILLIS);
            if (waitNanos > 0) {
                Thread.sleep(Duration.ofNanos(waitNanos));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (fail) {
                sayWhenToComeBack(exchange);
            }
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, 1);
            out.flush();                                  // a closed connection answers with a reset...
            Thread.sleep(Math.min(GAP_MILLIS, Math.max(0, latency.toMillis())));
            leaving.run();
            out.write(body, 1, body.length - 1);
            out.flush();                                  // ...and this write then fails
            out.close();
            return fail ? Outcome.FAILED : Outcome.ANSWERED;
        } catch (IOException | InterruptedException e) {
            return Outcome.CANCELLED;                     // the client went away, or the server stopped
        }
    }

    private void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 429) {
            sayWhenToComeBack(exchange);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void sayWhenToComeBack(HttpExchange exchange) {
        Duration after = retryAfter;
        if (after != null) {
            long seconds = after.toSeconds() + (after.toNanosPart() == 0 ? 0 : 1);   // rounded up
            exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
        }
    }
}
