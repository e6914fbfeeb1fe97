package dev.agentry.local;

import dev.agentry.local.LocalSettings.Service;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The local platform's readiness, on the API's {@code /ready} and {@code /health/ready}: the API answers while the
 * worker and the scheduler are still starting (or already stopping), and until every chosen service is up these
 * answer 503 naming which are not, in the API's own readiness shape. Once all are up, the API's own checks answer.
 */
final class ReadinessGate implements Filter {

    private final ServiceStates states;

    ReadinessGate(ServiceStates states) {
        this.states = states;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = ((HttpServletRequest) request).getRequestURI();
        Map<Service, ServiceStates.State> snapshot = states.snapshot();
        List<Service> notUp = snapshot.entrySet().stream()
                .filter(entry -> entry.getValue() != ServiceStates.State.UP)
                .map(Map.Entry::getKey)
                .toList();
        if (notUp.isEmpty() || !(path.equals("/ready") || path.equals("/health/ready"))) {
            chain.doFilter(request, response);
            return;
        }
        String checks = snapshot.entrySet().stream()
                .map(entry -> "\"" + ServiceStates.name(entry.getKey()) + "\":\""
                        + entry.getValue().label() + "\"")
                .collect(Collectors.joining(","));
        String error = notUp.stream()
                .map(service -> ServiceStates.name(service) + " "
                        + snapshot.get(service).label())
                .collect(Collectors.joining(", "));
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        http.setContentType("application/json");
        http.getOutputStream()
                .write(("{\"ready\":false,\"checks\":{" + checks + "},\"error\":\"not up yet: " + error + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }
}
