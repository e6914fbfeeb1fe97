package dev.agentry.api.owned;

import dev.agentry.api.error.ForbiddenException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.TenantId;

/**
 * The user a request acts for, within its tenant.
 *
 * @param userId a platform user's id; see {@link Owners} for what an API token acts as
 */
public record Owner(TenantId tenant, String userId) {

    /**
     * Checks that a resource of {@code tenantId} and {@code userId} is this owner's.
     *
     * @throws NotFoundException with {@code notFound} when it belongs to another tenant: for that tenant it
     *     does not exist
     * @throws ForbiddenException when it belongs to another user of the same tenant
     */
    public void check(String tenantId, String userId, String notFound) {
        if (!tenant.value().equals(tenantId)) {
            throw new NotFoundException("not found", notFound);
        }
        if (!this.userId.equals(userId)) {
            throw new ForbiddenException("forbidden", "Forbidden");
        }
    }
}
