package dev.agentry.api.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.support.BackgroundLoop.Retry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a {@link BackgroundLoop} runs its passes, what it reports about failures, and how it stops. */
class BackgroundLoopTest {

    private static final Duration LONG = Duration.ofHours(1);

    private @Nullable ScriptedLoop loop;

    @AfterEach
    void endTheLoopThread() throws InterruptedException {
        if (loop != null && loop.passThread != null) {
            loop.passThread.interrupt();
            loop.passThread.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void runsOnADaemonThreadOfItsName() {
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), LONG, pass -> false);

        await().until(() -> loop.passes.get() == 1);
        assertThat(loop.passThread.getName()).isEqualTo("test-loop");
        assertThat(loop.passThread.isDaemon()).isTrue();
        assertThat(loop.isRunning()).isTrue();
    }

    @Test
    void runsThePassThatAWakeUpAsksForWithoutWaitingOutThePollInterval() {
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), LONG, pass -> false);
        await().until(() -> loop.passes.get() == 1);

        loop.wakeUp();

        await().atMost(Duration.ofSeconds(5)).until(() -> loop.passes.get() == 2);
    }

    @Test
    void wakeUpsDuringAPassMakeOneMorePassNotOneEach() {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), LONG, pass -> {
            if (pass == 1) {
                awaitUninterruptibly(release);
            }
            return false;
        });
        await().until(() -> loop.passes.get() == 1);

        for (int i = 0; i < 5; i++) {
            loop.wakeUp();
        }
        release.countDown();

        await().until(() -> loop.passes.get() == 2);
        await().during(Duration.ofMillis(300)).until(() -> loop.passes.get() == 2);
    }

    @Test
    void startsTheNextPassAtOnceWhileWorkIsLeftOver() {
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), LONG, pass -> pass < 4);

        await().atMost(Duration.ofSeconds(5)).until(() -> loop.passes.get() == 4);
        await().during(Duration.ofMillis(300)).until(() -> loop.passes.get() == 4);
    }

    @Test
    void reportsEachOutageOnceWithItsFirstFailureAndEachRecoveryOnce() {
        ScriptedLoop loop = start("test-loop", Duration.ofMillis(5), Retry.atNextPoll(), LONG, pass -> {
            if (pass <= 3 || pass == 6 || pass == 7) {
                throw new IllegalStateException("failure " + pass);
            }
            return false;
        });

        await().until(() -> loop.passes.get() >= 10);
        assertThat(loop.failures).extracting(Throwable::getMessage).containsExactly("failure 1", "failure 6");
        assertThat(loop.recoveries).hasValue(2);
    }

    @Test
    void aFailedPassIsRetriedAtTheNextPollOrWakeUp() {
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), LONG, pass -> {
            throw new IllegalStateException("down");
        });
        await().until(() -> loop.passes.get() == 1);

        loop.wakeUp();

        await().atMost(Duration.ofSeconds(5)).until(() -> loop.passes.get() == 2);
    }

    @Test
    void wakeUpsDoNotCutABackoffShort() {
        ScriptedLoop loop = start("test-loop", Duration.ZERO, Retry.withBackoff(LONG, LONG), LONG, pass -> {
            throw new IllegalStateException("down");
        });
        await().until(() -> loop.passes.get() == 1);

        for (int i = 0; i < 5; i++) {
            loop.wakeUp();
        }

        await().during(Duration.ofMillis(300)).until(() -> loop.passes.get() == 1);
    }

    @Test
    void backoffStartsAtItsFirstPauseAndDoublesUpToItsMaximum() {
        var backoff = (Retry.WithBackoff) Retry.withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));

        assertThat(backoff.after(Duration.ZERO)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.after(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.after(Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.after(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void stopLetsThePassInFlightFinishAndStartsNoOther() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), LONG, pass -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            finished.set(true);
            return true;
        });
        await().until(() -> loop.passes.get() == 1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(loop::stop);
        await().during(Duration.ofMillis(300)).until(() -> !stopping.isDone());
        assertThat(loop.isRunning()).isFalse();
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(stopping::isDone);
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
        assertThat(loop.passThread.isAlive()).isFalse();
        assertThat(loop.passes).hasValue(1);
    }

    @Test
    void stopWaitsNoLongerThanItsTimeoutForABusyPass() {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedLoop loop = start("test-loop", LONG, Retry.atNextPoll(), Duration.ofMillis(100), pass -> {
            awaitUninterruptibly(release);
            return false;
        });
        await().until(() -> loop.passes.get() == 1);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(loop::stop);

        await().atMost(Duration.ofSeconds(5)).until(stopping::isDone);
        assertThat(loop.passThread.isAlive()).isTrue();
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.passThread.isAlive());
        assertThat(loop.passes).hasValue(1);
    }

    private ScriptedLoop start(
            String name, Duration pollInterval, Retry retry, Duration stopTimeout, IntPredicate script) {
        ScriptedLoop started = new ScriptedLoop(name, pollInterval, retry, stopTimeout, script);
        loop = started;
        started.start();
        return started;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a script of passes, given each pass's number from 1, and records what the loop told it. */
    private static final class ScriptedLoop extends BackgroundLoop {

        final AtomicInteger passes = new AtomicInteger();
        final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger recoveries = new AtomicInteger();
        volatile Thread passThread;
        private final IntPredicate script;

        ScriptedLoop(String name, Duration pollInterval, Retry retry, Duration stopTimeout, IntPredicate script) {
            super(name, pollInterval, retry, stopTimeout);
            this.script = script;
        }

        @Override
        protected boolean runPass() {
            passThread = Thread.currentThread();
            return script.test(passes.incrementAndGet());
        }

        @Override
        protected void onFailing(RuntimeException failure) {
            failures.add(failure);
        }

        @Override
        protected void onRecovery() {
            recoveries.incrementAndGet();
        }
    }
}
