package dev.agentry.api.task;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The current request's trace, as an id for the task row and as headers for the messages it causes. */
@Component
public class TraceContext {

    private final @Nullable Tracer tracer;
    private final @Nullable Propagator propagator;

    TraceContext(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable();
        this.propagator = propagator.getIfAvailable();
    }

    @Nullable
    public String traceId() {
        Span span = tracer == null ? null : tracer.currentSpan();
        return span == null ? null : span.context().traceId();
    }

    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        Span span = tracer == null ? null : tracer.currentSpan();
        if (span != null && propagator != null) {
            propagator.inject(span.context(), headers, Map::put);
        }
        return headers;
    }
}
