package asynclab;

/** Watches how late a 10 ms sleep wakes up while an answer runs: a measure of how busy the machine is. */
final class Lag {
    /** Added to every lag measured, for tests of the "too busy" verdicts: zero in real use. */
    static volatile long simulated;

    private final Thread thread;
    private volatile boolean done;
    private volatile long worst;

    private Lag() {
        thread = Thread.ofPlatform().daemon(true).name("check-lag").unstarted(this::watch);
    }

    static Lag start() {
        Lag lag = new Lag();
        lag.thread.start();
        return lag;
    }

    private void watch() {
        while (!done) {
            long before = System.nanoTime();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            worst = Math.max(worst, System.nanoTime() - before - 10_000_000L);
        }
    }

    void stop() {
        done = true;
        thread.interrupt();
    }

    long worst() {
        return worst + simulated;
    }
}
