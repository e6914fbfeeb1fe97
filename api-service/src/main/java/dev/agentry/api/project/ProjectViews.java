package dev.agentry.api.project;

import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Seed 001's project and ticket bodies; Jackson writes the members in snake_case. */
final class ProjectViews {

    private ProjectViews() {}

    record CreateProject(
            @Nullable String name,
            @Nullable String description,
            @Nullable String githubOwner,
            @Nullable String githubRepo,
            @Nullable String defaultPhaseId) {}

    record ProjectView(
            String id,
            String name,
            @Nullable String description,
            @Nullable String githubOwner,
            @Nullable String githubRepo,
            String defaultPhaseId,
            String status,
            Instant createdAt) {}

    record GithubConnection(
            @Nullable String owner, @Nullable String repo, String webhookStatus) {}

    record Stats(long tickets, long done, long agents, BigDecimal cost) {}

    record ProjectDetail(
            String id,
            String name,
            @Nullable String description,
            @Nullable String githubOwner,
            @Nullable String githubRepo,
            String defaultPhaseId,
            String status,
            Instant createdAt,
            GithubConnection githubConnection,
            Stats stats) {}

    record CreateTicket(
            @Nullable String title,
            @Nullable String description,
            @Nullable String priority,
            @Nullable String phaseId) {}

    record Transition(
            @Nullable String toStatus,
            @Nullable String reason,
            @Nullable Boolean force) {}

    record TicketView(
            String id,
            String projectId,
            String title,
            @Nullable String description,
            String status,
            String priority,
            String phaseId,
            @Nullable String previousPhaseId,
            boolean isBlocked,
            @Nullable String blockedReason,
            @Nullable Instant blockedAt,
            String approvalStatus,
            Instant createdAt,
            Instant updatedAt) {}

    record TicketList(java.util.List<TicketView> tickets, long total) {}
}
