package dev.agentry.manifests;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series names the services export, read from their sources: every meter they register
 * ({@code Counter/Gauge/Timer.builder("name")}, {@code registry.counter/gauge/timer("name")}), named as Micrometer's
 * Prometheus registry names it: dots to underscores, {@code _total} on counters, the base unit on gauges that declare
 * one (unless the name ends in it), {@code _seconds_count|sum|max} on timers, {@code _bucket} only with a histogram.
 */
final class ExportedMetrics {

    /**
     * Series of Spring Boot Actuator and Micrometer (the HTTP server observation, the JVM memory binder) that the
     * dashboards use, and Prometheus's own {@code up}. {@code SystemEndpointsTest} sees {@code jvm_memory_used_bytes}
     * on {@code /metrics}.
     */
    static final Set<String> STANDARD = Set.of(
            "http_server_requests_seconds_count",
            "http_server_requests_seconds_sum",
            "http_server_requests_seconds_max",
            "jvm_memory_used_bytes",
            "up");

    /** A meter's name: a string literal, or a constant of the same file ({@code METER}). */
    private static final String NAME = "(\"[a-z0-9.]+\"|[A-Z][A-Z0-9_]*)";

    private static final Pattern BUILDER =
            Pattern.compile("\\b(Counter|Gauge|Timer|DistributionSummary|LongTaskTimer)\\.builder\\(\\s*" + NAME);
    private static final Pattern SHORTHAND =
            Pattern.compile("\\b(?:meters|registry|meterRegistry)\\.(counter|gauge|timer)\\(\\s*" + NAME);
    private static final Pattern CONSTANT =
            Pattern.compile("static final String ([A-Z][A-Z0-9_]*) = \"([a-z0-9.]+)\";");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([a-z]+)\"");

    private ExportedMetrics() {}

    static Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (String service : new String[] {"api-service", "worker-service", "scheduler-service"}) {
            for (Path source : Repo.files(service + "/src/main/java", ".java")) {
                String code = Repo.read(source);
                Matcher builder = BUILDER.matcher(code);
                while (builder.find()) {
                    int end = code.indexOf(".register(", builder.end());
                    String chain = code.substring(builder.end(), end < 0 ? code.length() : end);
                    Matcher unit = BASE_UNIT.matcher(chain);
                    add(
                            names,
                            builder.group(1).toLowerCase(),
                            name(builder.group(2), code, source),
                            unit.find() ? unit.group(1) : null,
                            chain.contains(".publishPercentileHistogram("));
                }
                Matcher shorthand = SHORTHAND.matcher(code);
                while (shorthand.find()) {
                    add(names, shorthand.group(1), name(shorthand.group(2), code, source), null, false);
                }
            }
        }
        return names;
    }

    private static String name(String literalOrConstant, String code, Path source) {
        if (literalOrConstant.startsWith("\"")) {
            return literalOrConstant.substring(1, literalOrConstant.length() - 1);
        }
        Matcher constant = CONSTANT.matcher(code);
        while (constant.find()) {
            if (constant.group(1).equals(literalOrConstant)) {
                return constant.group(2);
            }
        }
        throw new IllegalStateException("meter name " + literalOrConstant + " is no string constant of " + source);
    }

    /** The series name a meter of this name exports (its base name, without a timer's suffixes). */
    static String prometheusName(String meterName) {
        return meterName.replace('.', '_');
    }

    private static void add(Set<String> names, String type, String meter, String baseUnit, boolean histogram) {
        String base = prometheusName(meter);
        List<String> suffixes =
                histogram ? List.of("_count", "_sum", "_max", "_bucket") : List.of("_count", "_sum", "_max");
        switch (type) {
            case "counter" -> names.add(base + "_total");
            case "gauge" -> names.add(withUnit(base, baseUnit));
            case "timer", "longtasktimer" -> suffixes.forEach(s -> names.add(withUnit(base, "seconds") + s));
            case "distributionsummary" -> suffixes.forEach(s -> names.add(withUnit(base, baseUnit) + s));
            default -> throw new IllegalArgumentException(type);
        }
    }

    /** As Micrometer's PrometheusNamingConvention does: the unit is appended unless the name already ends in it. */
    private static String withUnit(String name, String unit) {
        return unit == null || name.endsWith("_" + unit) ? name : name + "_" + unit;
    }
}
