package dev.agentry.worker.sandbox;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of a sandboxed process, built from scratch: a fixed {@code PATH} of system directories, a home
 * and a temporary directory inside the sandbox's private {@code /tmp}, the few worker variables that only describe
 * the machine (locale, time zone, CA certificates, an operator's HTTP proxy), and what the runtime asked for.
 * Nothing else of the worker's environment (its sealing keys, its model key, its Kafka address) gets in.
 */
final class SandboxEnvironment {

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String HOME = "/tmp/home";

    private static final List<String> FROM_THE_MACHINE = List.of(
            "LANG",
            "LC_ALL",
            "LC_CTYPE",
            "TZ",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "NODE_EXTRA_CA_CERTS",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "no_proxy");

    private SandboxEnvironment() {}

    static Map<String, String> build(Map<String, String> requested) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", HOME);
        env.put("TMPDIR", "/tmp");
        env.put("LANG", "C.UTF-8");
        Map<String, String> worker = System.getenv();
        for (String name : FROM_THE_MACHINE) {
            String value = worker.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(requested);
        return env;
    }

    /** The names a sandboxed process may find in its environment besides what its runtime set. */
    static List<String> baseNames() {
        List<String> names = new java.util.ArrayList<>(List.of("PATH", "HOME", "TMPDIR"));
        names.addAll(FROM_THE_MACHINE);
        return names;
    }
}
