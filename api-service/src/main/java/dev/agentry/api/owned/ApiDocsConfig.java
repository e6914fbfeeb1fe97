package dev.agentry.api.owned;

import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.TenantId;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;

/**
 * The generated API document ({@code /api/docs/generated}) leaves out the {@link Caller} and {@link TenantId}
 * parameters: controllers get them from the bearer token, not from the query string that springdoc would show.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsConfig {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, TenantId.class);
    }
}
