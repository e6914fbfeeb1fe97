package dev.agentry.worker.github;

/** An open pull request: its number, its page for people, and its head and base branches. */
public record PullRequest(int number, String htmlUrl, String head, String base) {}
