package asynclab;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

class MallServerTest {
    HttpClient client;

    @BeforeEach void client() { client = HttpClient.newHttpClient(); }
    @AfterEach void closeClient() { client.close(); }

    HttpResponse<String> get(MallServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test void answersEachPathWithItsJsonAfterTheLatency() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(200))) {
            long t = System.nanoTime();
            var posts = get(server, "/posts");
            double seconds = (System.nanoTime() - t) / 1e9;
            assertEquals(200, posts.statusCode());
            assertEquals("[{\"id\":1,\"title\":\"Lorem Ipsum\"}]", posts.body());
            assertTrue(seconds >= 0.19 && seconds < 1.5, "took " + seconds);
            for (String path : MallServer.PATHS) {
                assertEquals(200, get(server, path).statusCode(), path);
            }
            assertEquals(404, get(server, "/nowhere").statusCode());
            var stats = server.stats();
            assertEquals(6, stats.answered());
            assertEquals(0, stats.cancelled());
            assertEquals(2, server.requests("/posts"));
            assertTrue(server.uri("/posts").toString().startsWith("http://127.0.0.1:" + server.port()));
        }
    }

    @Test void requestsAtOnceOverlapAndAreCounted() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(400)); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            get(server, "/posts");            // warm up the client
            server.resetStats();
            long t = System.nanoTime();
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(() -> get(server, "/albums")));
            }
            for (var f : all) assertEquals(200, f.get().statusCode());
            double seconds = (System.nanoTime() - t) / 1e9;
            assertTrue(seconds < 1.2, "four at once took " + seconds);
            assertEquals(4, server.stats().mostAtOnce());
            assertEquals(4, server.stats().requests());
            assertEquals(4, server.mostWithin(Duration.ofSeconds(1)));
        }
    }

    @Test void aClientCappedAtTwoIsNeverSeenWithThree() throws Exception {
        // A request stops counting as at the server when its last bytes are written: the client
        // may send its next one at once, before the handler's thread has counted its end.
        try (var server = MallServer.start(Duration.ofMillis(30)); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var permits = new java.util.concurrent.Semaphore(2);
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return get(server, "/posts").statusCode();
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (var f : all) assertEquals(200, f.get());
            assertTrue(server.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(2, server.stats().mostAtOnce(), server.stats().toString());
            assertEquals(40, server.stats().answered());
        }
    }

    @Test void aCancelledSendAsyncIsSeenAsCancelledWhenTheAnswerIsDue() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(500))) {
            get(server, "/posts");
            assertTrue(server.awaitIdle(Duration.ofSeconds(3)));   // else it may be counted after the reset
            server.resetStats();
            CompletableFuture<HttpResponse<String>> f =
                    client.sendAsync(HttpRequest.newBuilder(server.uri("/posts")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200);
            assertTrue(f.cancel(true));
            assertTrue(server.awaitIdle(Duration.ofSeconds(3)));
            assertEquals(1, server.stats().cancelled(), server.stats().toString());
            assertEquals(0, server.stats().answered());
        }
    }

    @Test void aRequestTimeoutClosesTheConnection() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(600))) {
            get(server, "/posts");
            server.resetStats();
            var request = HttpRequest.newBuilder(server.uri("/posts")).timeout(Duration.ofMillis(200)).build();
            assertThrows(HttpTimeoutException.class, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
            assertTrue(server.awaitIdle(Duration.ofSeconds(3)));
            assertEquals(1, server.stats().cancelled());
        }
    }

    @Test void chosenRequestsFailWith503() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(20))) {
            server.failNext("/albums", 2);
            assertEquals(503, get(server, "/albums").statusCode());
            assertEquals(503, get(server, "/albums").statusCode());
            assertEquals(200, get(server, "/albums").statusCode());
            assertEquals(2, server.stats().failed());
            server.setFailureRate("/posts", 0.5);
            List<Integer> first = new ArrayList<>(), second = new ArrayList<>();
            server.seed(7);
            for (int i = 0; i < 10; i++) first.add(get(server, "/posts").statusCode());
            server.seed(7);
            for (int i = 0; i < 10; i++) second.add(get(server, "/posts").statusCode());
            assertEquals(first, second);
            assertTrue(first.contains(503) && first.contains(200), first.toString());
        }
    }

    @Test void failuresAndTurnedAwayRequestsSayWhenToComeBackOnceAsked() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(200)); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            server.failNext("/albums", 2);
            assertTrue(get(server, "/albums").headers().firstValue("Retry-After").isEmpty());
            server.setRetryAfter(Duration.ofMillis(1500));
            assertEquals(List.of("2"), get(server, "/albums").headers().allValues("Retry-After"));
            assertTrue(get(server, "/albums").headers().firstValue("Retry-After").isEmpty(), "a 200 has none");
            server.capAt(1);
            server.setRetryAfter(Duration.ofSeconds(1));
            Future<HttpResponse<String>> slow = pool.submit(() -> get(server, "/parking"));
            Thread.sleep(100);
            var turnedAway = get(server, "/shops");
            assertEquals(429, turnedAway.statusCode());
            assertEquals(List.of("1"), turnedAway.headers().allValues("Retry-After"));
            assertEquals(200, slow.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
            assertThrows(IllegalArgumentException.class, () -> server.setRetryAfter(Duration.ofSeconds(-1)));
        }
    }

    @Test void aLimitTurnsAwayRequestsBeyondIt() throws Exception {
        try (var server = MallServer.start(Duration.ofMillis(300)); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            server.capAt(2);
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) all.add(pool.submit(() -> get(server, "/shops")));
            int ok = 0, tooMany = 0;
            for (var f : all) {
                int status = f.get().statusCode();
                if (status == 200) ok++;
                if (status == 429) tooMany++;
            }
            assertEquals(5, ok + tooMany);
            assertTrue(ok <= 2 && ok >= 1, "ok " + ok);
            assertEquals(tooMany, server.stats().rejected());
            assertTrue(server.stats().mostAtOnce() <= 2);
        }
    }

    @Test void closeFreesThePortAndEndsItsThreads() throws Exception {
        MallServer server = MallServer.start(Duration.ofSeconds(5));
        int port = server.port();
        var pending = client.sendAsync(HttpRequest.newBuilder(server.uri("/posts")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        long t = System.nanoTime();
        server.close();
        assertTrue((System.nanoTime() - t) / 1e9 < 2, "close waited for a request in flight");
        server.close();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(th -> th.getName().startsWith("HTTP-Dispatcher")));
        assertThrows(Exception.class, pending::join);
        assertTrue(server.toString().contains("stopped"));
    }
}
