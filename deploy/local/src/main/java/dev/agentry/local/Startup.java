package dev.agentry.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start of the platform has brought up so far, and the stop that may come at any moment of it. Each resource
 * is recorded as soon as it is up; a stop (a signal, while the start is still under way) makes the start give up at
 * its next step, waits a bounded time for that step, then closes in reverse order whatever had started: services,
 * then Kafka, then PostgreSQL, then the data directory's lock.
 */
final class Startup {

    private static final Logger log = LoggerFactory.getLogger(Startup.class);
    /** How long a stop waits for a start-up step under way (a service being started) before closing the rest. */
    static final Duration START_STEP_WAIT = Duration.ofSeconds(45);
    /** The bound on a whole stop, as the README states it. */
    static final Duration STOP_BOUND = Duration.ofSeconds(90);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Object closing = new Object();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile @Nullable EmbeddedDatabase database;
    private boolean closed;

    /** Records a resource that is up; if the platform was stopped meanwhile, closes it at once and gives up. */
    synchronized <T extends AutoCloseable> T started(T resource) {
        if (closed) {
            close(resource);
            throw new StoppedDuringStartup();
        }
        resources.add(resource);
        if (resource instanceof EmbeddedDatabase postgres) {
            database = postgres;
        }
        return resource;
    }

    /** Between two steps of the start: gives up if a stop was asked for. */
    void checkNotStopping() {
        if (stopRequested) {
            throw new StoppedDuringStartup();
        }
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** The start is over, up or given up. */
    void ended() {
        ended.countDown();
    }

    /**
     * The shutdown hook's work (SIGTERM, SIGINT): stops everything within {@link #STOP_BOUND}. Past it, PostgreSQL (a
     * process of its own, which would outlive this JVM) is stopped at once and the JVM halts.
     */
    void stopOnSignal() {
        synchronized (this) {
            if (closed) {
                return; // a start that failed has already stopped what it started
            }
        }
        log.info("Stop requested: stopping the local platform (services, then Kafka, then PostgreSQL).");
        long began = System.nanoTime();
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("agentry-stop-watchdog").start(() -> {
            try {
                if (!done.await(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.error(
                            "The platform did not stop within {} s; stopping PostgreSQL now.", STOP_BOUND.toSeconds());
                    stopDatabaseNow();
                    Runtime.getRuntime().halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stop(START_STEP_WAIT);
        done.countDown();
        log.info(
                "The local platform has stopped, {} ms after the stop was asked for.",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /**
     * Stops the platform whatever it is doing: a start under way gives up at its next step (waited for at most
     * {@code startStepWait}: a service that is starting cannot be interrupted), then everything that started closes.
     */
    void stop(Duration startStepWait) {
        stopRequested = true;
        try {
            if (!ended.await(startStepWait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "The start-up step under way did not end within {} s; stopping what has started anyway.",
                        startStepWait.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll();
    }

    /**
     * Closes what started, last started first. A second call (the shutdown hook while a failed start cleans up) waits
     * until the first is done, and finds nothing left.
     */
    void closeAll() {
        synchronized (closing) {
            List<AutoCloseable> started;
            synchronized (this) {
                closed = true;
                started = new ArrayList<>(resources).reversed();
                resources.clear();
            }
            started.forEach(Startup::close);
        }
    }

    /** The last resort of a stop that overran its bound: PostgreSQL, a process of its own, must not outlive us. */
    private void stopDatabaseNow() {
        EmbeddedDatabase postgres = database;
        if (postgres != null) {
            postgres.stopNow();
        }
    }

    private static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("{} did not close cleanly.", resource.getClass().getSimpleName(), e);
        }
    }

    /** The platform was asked to stop while it was starting; what had started is stopped. */
    static final class StoppedDuringStartup extends RuntimeException {

        StoppedDuringStartup() {
            super("The local platform was asked to stop while it was starting", null, false, false);
        }
    }
}
