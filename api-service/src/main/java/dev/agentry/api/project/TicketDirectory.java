package dev.agentry.api.project;

import dev.agentry.api.tenant.TenantId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A ticket and the project it belongs to, as the features that run a ticket's work need them. */
public interface TicketDirectory {

    /** The tenant's ticket, or empty if it has none with this id. */
    Optional<TicketContext> find(TenantId tenant, String ticketId);

    /**
     * A ticket with its project's repository: {@code repositoryUrl} is the project's own or else derived from its
     * GitHub owner and repository; {@code gitTokenSealed} is the sealed token to clone and push with, if any.
     */
    record TicketContext(
            String ticketId,
            String projectId,
            String phaseId,
            String status,
            String priority,
            @Nullable String repositoryUrl,
            @Nullable String defaultBranch,
            @Nullable String gitTokenSealed) {}
}
