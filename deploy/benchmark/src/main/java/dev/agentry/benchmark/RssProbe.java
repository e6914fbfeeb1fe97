package dev.agentry.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Memory of a running platform, from /proc: the JVM's resident set (and its peak), and the proportional set size of
 * the embedded PostgreSQL's processes (PSS, so shared buffers are not counted once per backend).
 */
final class RssProbe {

    /** One measurement; sizes in kB, as /proc reports them. */
    record Sample(
            long pid, long rssKb, long peakRssKb, int threads, OptionalLong postgresPssKb, int postgresProcesses) {

        String describe() {
            String postgres = postgresPssKb.isPresent()
                    ? "  postgres PSS %d MB in %d processes"
                            .formatted(postgresPssKb.getAsLong() / 1024, postgresProcesses)
                    : "";
            return "pid %d  RSS %d MB  peak %d MB  threads %d%s"
                    .formatted(pid, rssKb / 1024, peakRssKb / 1024, threads, postgres);
        }
    }

    private final long pid;
    private final Optional<Path> postmasterPidFile;

    RssProbe(long pid, Optional<Path> dataDir) {
        this.pid = pid;
        this.postmasterPidFile = dataDir.map(dir -> dir.resolve("postgres").resolve("postmaster.pid"))
                .filter(Files::isRegularFile);
    }

    void run(int samples, Duration interval, PrintStream out) throws IOException, InterruptedException {
        for (int i = 0; i < samples; i++) {
            if (i > 0) {
                Thread.sleep(interval);
            }
            out.println(sample().describe());
        }
    }

    Sample sample() throws IOException {
        List<String> status = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"));
        long pss = 0;
        int processes = 0;
        OptionalLong postgresPss = OptionalLong.empty();
        if (postmasterPidFile.isPresent()) {
            long postmaster = Long.parseLong(
                    Files.readAllLines(postmasterPidFile.get()).getFirst().trim());
            List<ProcessHandle> family = new ArrayList<>();
            ProcessHandle.of(postmaster).ifPresent(p -> {
                family.add(p);
                p.children().forEach(family::add);
            });
            for (ProcessHandle process : family) {
                pss += field(
                        Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "smaps_rollup")), "Pss:");
                processes++;
            }
            postgresPss = OptionalLong.of(pss);
        }
        return new Sample(
                pid,
                field(status, "VmRSS:"),
                field(status, "VmHWM:"),
                (int) field(status, "Threads:"),
                postgresPss,
                processes);
    }

    private static long field(List<String> lines, String name) {
        return lines.stream()
                .filter(line -> line.startsWith(name))
                .map(line -> line.substring(name.length()).trim().split("\\s+")[0])
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElse(0);
    }
}
