"""Lesson 11, real network calls: real HTTP on loopback gathered in one latency, timeouts and
cancelling that the server sees, a cap, retries, a rate limit, and nothing left running after."""
import functools
import re

import pytest

import mallprobe
from course import nbrun
from course.wronganswers import assert_judged, checks_of, right, run, wrong

pytestmark = pytest.mark.kernel

LESSON = "11-real-network-calls"
PATH = nbrun.NOTEBOOKS / f"{LESSON}.ipynb"


@functools.lru_cache(maxsize=None)
def probed():
    """The lesson, run once with the in-kernel probe of ports and threads around it."""
    return mallprobe.execute_probed(PATH)


def out(snippet: str) -> str:
    return nbrun.output_of(probed(), snippet)


def test_it_runs_cleanly_and_leaves_no_port_or_thread():
    mallprobe.assert_no_port_or_thread_left(probed())
    assert re.search(r"server stopped: port \d+ refuses connections", out("server.close();"))


def test_gathered_real_calls_take_one_latency_and_sequential_the_sum():
    threads = out('timeline("send on virtual threads")')
    futures = out('timeline("sendAsync futures")')
    sequential = out('timeline("send, one after the other")')
    assert 0.95 <= nbrun.seconds(threads, "send on virtual threads") < 1.6
    assert 0.95 <= nbrun.seconds(futures, "sendAsync") < 1.6
    assert 1.95 <= nbrun.seconds(sequential, "one after the other") < 2.9
    assert '[{"id":1,"title":"Lorem Ipsum"}] [{"id":1,"title":"Mona Lisa"}]' in threads
    assert "mostAtOnce=2" in threads and "mostAtOnce=2" in futures and "mostAtOnce=1" in sequential
    drawn = [p for p in nbrun.rich_outputs(probed(), "text/html") if "<svg" in p]
    assert any("sendAsync futures" in p and "one after the other" in p for p in drawn)


def test_a_timed_out_request_is_cancelled_and_the_server_saw_it():
    text = out('.timeout(Duration.ofMillis(300))')
    assert "gave up: request timed out" in text
    assert nbrun.seconds(text, "a 0.3 s request timeout") < 0.7
    assert "answered=0" in text and "cancelled=1" in text


def test_a_connect_timeout_gives_up_on_a_server_that_never_picks_up():
    text = out("connectTimeout(Duration.ofMillis(300))")
    assert "gave up: HTTP connect timed out" in text
    assert nbrun.seconds(text, "a 0.3 s connect timeout") < 1.5


def test_cancelling_in_flight_closes_the_connection_on_jdk_25():
    text = out("answer.cancel(true)")
    assert "Java 25" in text
    assert "cancel(true) returned true, completed exceptionally: true" in text
    assert "answered=0" in text and "cancelled=1" in text
    interrupted = out("p.cancel(true);")
    assert "send: interrupted" in interrupted and "cancelled=1" in interrupted


def test_a_semaphore_caps_the_calls_in_flight():
    text = out('timeline("six calls, two permits")')
    assert "requests=6 answered=6" in text and "mostAtOnce=2" in text
    assert 0.85 <= nbrun.seconds(text, "6 calls, at most 2 at once") < 1.8


def test_retries_back_off_and_print_the_same_on_every_run():
    text = out("server.seed(4100);")
    assert re.search(r"attempt 1: 503\n  waiting 1\d\d ms\nattempt 2: 503\n  waiting [23]\d\d ms\n"
                     r"attempt 3: 200\n", text), text
    assert "Mona Lisa" in text and "albums requests: 3" in text


def test_a_cap_is_not_a_rate_limit():
    text = out('tenCalls("a cap of 2"')
    cap, rate = text.split("5 per second:")
    assert "most in any one second: 10" in cap and "mostAtOnce=2" in cap
    most = int(re.search(r"most in any one second: (\d+)", rate).group(1))
    assert 4 <= most <= 5, rate
    assert 1.7 <= float(nbrun.TIME_LINE.search(rate).group(1)) < 3.0


def retrying(sleep="retryAfter(answer, withJitter(wait, jitter))", until="", after="",
             gives_up='if (answer.statusCode() != 429 && answer.statusCode() != 503 || attempt == attempts) '
                      'throw new IOException("" + answer.statusCode());') -> str:
    """Exercise 3's answer in the shape most learners give it, with one part of it changed: the
    sleep between attempts, the loop's end, what follows the loop or the test that gives up."""
    return f'''String fetchWithRetries(HttpClient client, URI address, int attempts, Duration firstWait, Random jitter) throws Exception {{
    var request = HttpRequest.newBuilder(address).build();
    Duration wait = firstWait;
    for (int attempt = 1; {until}; attempt++) {{
        var answer = client.send(request, BodyHandlers.ofString());
        if (answer.statusCode() == 200) return answer.body();
        {gives_up}
        Thread.sleep({sleep});
        wait = wait.multipliedBy(2);
    }}{after}
}}'''


# The checks judge behaviour: plausible wrong answers get ✘, with the server's counts as evidence.
WRONG = [
    wrong("ex1", 'one call after the other', '''List<String> fetchAll(HttpClient client, List<URI> addresses) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (URI a : addresses) bodies.add(client.send(HttpRequest.newBuilder(a).build(), BodyHandlers.ofString()).body());
    return bodies;
}'''),
    wrong("ex1", 'sendAsync but joined inside the loop', '''List<String> fetchAll(HttpClient client, List<URI> addresses) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (URI a : addresses) bodies.add(client.sendAsync(HttpRequest.newBuilder(a).build(), BodyHandlers.ofString()).join().body());
    return bodies;
}'''),
    wrong("ex1", 'null', '''List<String> fetchAll(HttpClient client, List<URI> addresses) throws Exception { return null; }'''),
    wrong("ex2", 'waits with a limit but leaves the call running', '''String fetchWithin(HttpClient client, URI address, Duration limit) throws Exception {
    var f = client.sendAsync(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
    try { return f.get(limit.toMillis(), TimeUnit.MILLISECONDS).body(); }
    catch (TimeoutException e) { return null; }
}'''),
    wrong("ex2", 'a fallback value on the future, call left running', '''String fetchWithin(HttpClient client, URI address, Duration limit) throws Exception {
    var f = client.sendAsync(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
    var r = f.completeOnTimeout(null, limit.toMillis(), TimeUnit.MILLISECONDS).join();
    return r == null ? null : r.body();
}'''),
    wrong("ex2", 'no limit at all', '''String fetchWithin(HttpClient client, URI address, Duration limit) throws Exception {
    return client.send(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString()).body();
}'''),
    wrong("ex3", 'no waiting between attempts', '''String fetchWithRetries(HttpClient client, URI address, int attempts, Duration firstWait, Random jitter) throws Exception {
    for (int i = 0; i < attempts; i++) {
        var r = client.send(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
        if (r.statusCode() != 503) return r.body();
    }
    throw new IOException("failed");
}'''),
    wrong("ex3", 'a fixed wait, no backoff', '''String fetchWithRetries(HttpClient client, URI address, int attempts, Duration firstWait, Random jitter) throws Exception {
    for (int i = 0; i < attempts; i++) {
        if (i > 0) Thread.sleep(firstWait);
        var r = client.send(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
        if (r.statusCode() != 503) return r.body();
    }
    throw new IOException("failed");
}'''),
    wrong("ex3", 'never gives up', '''String fetchWithRetries(HttpClient client, URI address, int attempts, Duration firstWait, Random jitter) throws Exception {
    Duration wait = firstWait;
    while (true) {
        var r = client.send(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
        if (r.statusCode() != 503) return r.body();
        Thread.sleep(wait); wait = wait.multipliedBy(2);
    }
}'''),
    wrong("ex3", "returns the 503's body instead of failing", '''String fetchWithRetries(HttpClient client, URI address, int attempts, Duration firstWait, Random jitter) throws Exception {
    Duration wait = firstWait;
    for (int i = 1; ; i++) {
        var r = client.send(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
        if (r.statusCode() != 503 || i == attempts) return r.body();
        Thread.sleep(wait); wait = wait.multipliedBy(2);
    }
}'''),
    wrong("ex3", 'backoff without jitter (Retry-After read)', retrying(sleep="retryAfter(answer, wait)")),
    wrong("ex3", 'retries every status that is not 200: a 404 too', retrying(
        gives_up='if (attempt == attempts) throw new IOException("" + answer.statusCode());')),
    wrong("ex3", 'sleeps after the last failure too, then throws', retrying(
        until="attempt <= attempts", after='\n    throw new IOException("every attempt failed");',
        gives_up='if (answer.statusCode() != 429 && answer.statusCode() != 503) '
                 'throw new IOException("" + answer.statusCode());')),
    wrong("ex3", 'retries a 503 only: a 429 is thrown', retrying(
        gives_up='if (answer.statusCode() != 503 || attempt == attempts) '
                 'throw new IOException("" + answer.statusCode());')),
    wrong("ex3", 'ignores Retry-After: comes back while the server is still busy',
          retrying(sleep="withJitter(wait, jitter)")),
]

RIGHT = [
    right("ex1", 'blocking send on virtual threads, read with invokeAll', '''List<String> fetchAll(HttpClient client, List<URI> addresses) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Callable<String>> calls = new ArrayList<>();
        for (URI a : addresses) calls.add(() -> client.send(HttpRequest.newBuilder(a).build(), BodyHandlers.ofString()).body());
        List<String> bodies = new ArrayList<>();
        for (var f : pool.invokeAll(calls)) bodies.add(f.get());
        return bodies;
    }
}'''),
    right("ex2", 'sendAsync, a timed get, and cancel(true) when time is up', '''String fetchWithin(HttpClient client, URI address, Duration limit) throws Exception {
    var f = client.sendAsync(HttpRequest.newBuilder(address).build(), BodyHandlers.ofString());
    try { return f.get(limit.toMillis(), TimeUnit.MILLISECONDS).body(); }
    catch (TimeoutException e) { f.cancel(true); return null; }
}'''),
    right("ex3", 'a while loop that counts the calls left, the status read with a switch', '''String fetchWithRetries(HttpClient client, URI address, int attempts, Duration firstWait, Random jitter) throws Exception {
    var request = HttpRequest.newBuilder(address).build();
    Duration wait = firstWait;
    int left = attempts;
    while (true) {
        var answer = client.send(request, BodyHandlers.ofString());
        left--;
        switch (answer.statusCode()) {
            case 200 -> { return answer.body(); }
            case 429, 503 -> { if (left == 0) throw new IOException("no attempts left"); }
            default -> throw new IOException("answered " + answer.statusCode());
        }
        Thread.sleep(retryAfter(answer, withJitter(wait, jitter)));
        wait = wait.plus(wait);
    }
}'''),
]


def test_checks_give_a_cross_to_plausible_wrong_answers():
    lesson = nbrun.read(PATH)
    trial = [nbrun.cell_with(lesson, snippet) for snippet in
             ("record Trial<T>", "Trial<T> trial(", "Duration withJitter(", "Duration retryAfter(")]
    checks = checks_of(lesson)
    helpers = {}                # untagged code cells between an answer and its check
    for answer in nbrun.tagged(lesson, "exercise"):
        exercise = answer.metadata["exercise"]
        between = lesson.cells[lesson.cells.index(answer) + 1:lesson.cells.index(checks[exercise][0])]
        helpers[exercise] = [c for c in between if c.cell_type == "code" and not c.metadata.get("tags")]
    seen = run(LESSON, WRONG + RIGHT, context=nbrun.tagged(lesson, "setup") + trial, helpers=helpers)
    assert_judged(seen, WRONG + RIGHT)
    ex3 = {a.name: seen[a.key] for a in WRONG if a.exercise == "ex3"}
    text = ex3['backoff without jitter (Retry-After read)']
    assert re.search(r'^✘ two 503s, then the albums: .*got "albums after 3 calls, \[\d+, \d+\] ms apart '
                     r'where withJitter drew \[225, 448\] ms"', text, re.M), text
    text = ex3['retries every status that is not 200: a 404 too']
    assert '✘ a 404 is not retried: expected "IOException at once", got "IOException after' in text, text
    text = ex3['sleeps after the last failure too, then throws']
    assert re.search(r'^✘ gives up after the last attempt: .*, then \d+ ms more"', text, re.M), text
    text = ex3['retries a 503 only: a 429 is thrown']
    assert re.search(r'^✘ a 429 waits as its Retry-After says: .*got "IOException after 1 calls', text, re.M), text
    text = ex3['ignores Retry-After: comes back while the server is still busy']
    assert re.search(r'^✘ a 429 waits as its Retry-After says: .*got "albums after [3-4] calls', text, re.M), text


# --- the client as production uses it: shared, timeouts, where stages run, Retry-After, Flow ---

def test_one_shared_client_starts_no_threads_where_a_client_per_call_does():
    assert "the client asks for HTTP_2; this server answered in HTTP_1_1" in out("long threadsStarted()")
    text = out("long before = threadsStarted();")
    found = re.search(r"platform threads started: shared client (\d+), a new client each (\d+)", text)
    assert found, text
    assert int(found.group(1)) <= 2 and int(found.group(2)) >= 20, text


def test_a_request_has_no_timeout_unless_given_one():
    assert "request timeout: Optional.empty, connect timeout: Optional.empty" in out("parking.timeout()")
    assert "no timeout: still waiting after 2 s" in out('shop.setLatency("/offers", Duration.ofSeconds(30))')
    text = out(".timeout(Duration.ofMillis(500))")
    assert "gave up: request timed out" in text
    assert 0.45 <= nbrun.seconds(text, "with a 0.5 s timeout") < 1.2, text


def test_then_apply_runs_off_our_threads_and_then_apply_async_on_ours():
    text = out("String where()")
    assert re.search(r"thenApply ran on platform thread ForkJoinPool\.commonPool-worker-\d+", text), text
    assert re.search(r"thenApplyAsync\(\.\.\., ours\) ran on a virtual thread, VirtualThread\[#\d+\]", text), text


def test_retry_after_is_read_from_the_answer():
    assert "503: come back in PT2S" in out('add("Retry-After", "2")')


def test_a_body_handler_is_a_flow_subscriber_that_asks_one_at_a_time():
    found = re.search(r"/shops: (\d+) bytes in (\d+) chunks, asked for one at a time",
                      out("BodyHandlers.fromSubscriber(new CountingBody()"))
    assert found and int(found.group(1)) > 50 and int(found.group(2)) >= 1
    text = out("shop.close();")
    assert "cancelled=2" in text and "rejected=0" in text, text
