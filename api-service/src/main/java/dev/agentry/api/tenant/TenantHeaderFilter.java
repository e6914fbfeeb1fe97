package dev.agentry.api.tenant;

import dev.agentry.api.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code X-Tenant-ID} (seed 000's tenant middleware): the tenant comes from the token; the header may only repeat
 * it, except for a platform operator's token, which acts for the named tenant. Any other mismatch is 403.
 */
class TenantHeaderFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Tenant-ID";

    private final Tenants tenants;
    private final ProblemResponses problems;

    TenantHeaderFilter(Tenants tenants, ProblemResponses problems) {
        this.tenants = tenants;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HEADER);
        if (header != null
                && !header.isBlank()
                && SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth) {
            TenantId requested = new TenantId(header.strip());
            Caller caller = auth.caller();
            if (!requested.equals(caller.tenant())) {
                if (!caller.operator()) {
                    problems.write(
                            request,
                            response,
                            HttpStatus.FORBIDDEN,
                            "forbidden",
                            "X-Tenant-ID does not match the token's tenant.",
                            false);
                    return;
                }
                if (!tenants.exists(requested)) {
                    problems.write(
                            request, response, HttpStatus.NOT_FOUND, "tenant not found", "No such tenant.", false);
                    return;
                }
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new CallerAuthentication(caller.actingFor(requested)));
                SecurityContextHolder.setContext(context);
            }
        }
        chain.doFilter(request, response);
    }
}
