package dev.agentry.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.ShareVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node Kafka cluster (KRaft, combined broker and controller) run by Kafka's own server classes in this JVM.
 * The log directory is formatted on first start and kept afterwards, so topics and committed records survive a
 * restart. The quorum is static (kraft.version 0): the controller's port is not written into the metadata log, so
 * it can be any free port on every start.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Written by Kafka into a log directory on a clean shutdown. */
    private static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private volatile boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker keeping its log in {@code logDir}, listening on 127.0.0.1:{@code port} (0 for any free port);
     * refuses, before touching the log, a port that another process holds.
     */
    public static EmbeddedKafka start(Path logDir, int port) {
        FreePorts.requireFree(port, "the embedded Kafka broker", LocalSettings.KAFKA_PORT_VARIABLE);
        int brokerPort = port == 0 ? FreePorts.pick() : port;
        int controllerPort = FreePorts.pick();
        KafkaConfig config = new KafkaConfig(brokerConfig(logDir, brokerPort, controllerPort), false);
        formatIfNeeded(config, logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutDown(server);
            throw new IllegalStateException("The embedded Kafka broker did not start on port " + brokerPort, e);
        }
        String bootstrapServers = "127.0.0.1:" + brokerPort;
        log.info("Embedded Kafka broker is up at {} with its log in {}.", bootstrapServers, logDir);
        return new EmbeddedKafka(server, bootstrapServers);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping the embedded Kafka broker at {}.", bootstrapServers);
        shutDown(server);
        log.info("Embedded Kafka broker at {} stopped.", bootstrapServers);
    }

    private static void shutDown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    static Map<String, String> brokerConfig(Path logDir, int brokerPort, int controllerPort) {
        Map<String, String> config = new HashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", String.valueOf(NODE_ID));
        config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        config.put("controller.listener.names", CONTROLLER_LISTENER);
        config.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and share groups (KIP-932) keep their state on it too.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("auto.create.topics.enable", "true");
        config.put("group.initial.rebalance.delay.ms", "0");
        // A laptop, not a data centre: few partitions for internal topics, few threads, a small cleaner buffer.
        config.put("num.partitions", "3");
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.num.partitions", "5");
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "2");
        config.put("background.threads", "2");
        config.put("num.replica.fetchers", "1");
        config.put("num.recovery.threads.per.data.dir", "1");
        config.put("log.cleaner.threads", "1");
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        config.put("log.cleaner.io.buffer.size", String.valueOf(256 * 1024));
        return config;
    }

    /**
     * Formats a new log directory; keeps a formatted one. A broker killed before its first format finished leaves a
     * directory without {@code meta.properties}, which holds no record yet: it is formatted again. A broker killed
     * later (no clean-shutdown marker) has its logs recovered by Kafka itself on start; we only say so.
     */
    private static void formatIfNeeded(KafkaConfig config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            if (!Files.exists(logDir.resolve(CLEAN_SHUTDOWN_MARKER))) {
                log.info(
                        "The Kafka log in {} was not closed cleanly (the platform was killed); Kafka recovers it.",
                        logDir);
            }
            return;
        }
        try {
            if (Files.isDirectory(logDir)) {
                try (Stream<Path> entries = Files.list(logDir)) {
                    if (entries.findAny().isPresent()) {
                        log.warn(
                                "The Kafka log in {} was never fully formatted (a start was killed); formatting it anew.",
                                logDir);
                        deleteContents(logDir);
                    }
                }
            }
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(config.logDirs())
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setFeatureLevel(ShareVersion.FEATURE_NAME, ShareVersion.SV_1.featureLevel())
                    .run();
            log.info("Formatted a new Kafka log directory in {}.", logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the Kafka log directory " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the Kafka log directory " + logDir, e);
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }
}
