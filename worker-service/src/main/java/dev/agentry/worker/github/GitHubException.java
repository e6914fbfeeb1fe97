package dev.agentry.worker.github;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** GitHub refused or failed a call. The message is GitHub's own, never a credential. */
public class GitHubException extends RuntimeException {

    private final int status;

    GitHubException(int status, String message) {
        super(message);
        this.status = status;
    }

    GitHubException(int status, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, 0 when no answer came. */
    public int status() {
        return status;
    }

    /** 401, or 403/404 that is not a rate limit: the token is wrong, lacks a scope, or cannot see the repository. */
    public static final class Unauthorized extends GitHubException {
        Unauthorized(int status, String message) {
            super(status, message);
        }
    }

    /** A primary or secondary rate limit; {@code retryAfter} is GitHub's wait when it named one. */
    public static final class RateLimited extends GitHubException {
        private final @Nullable Duration retryAfter;

        RateLimited(int status, String message, @Nullable Duration retryAfter) {
            super(status, message);
            this.retryAfter = retryAfter;
        }

        public @Nullable Duration retryAfter() {
            return retryAfter;
        }
    }

    /** A 5xx or no answer at all: worth another try. */
    public static final class Unavailable extends GitHubException {
        Unavailable(int status, String message, @Nullable Throwable cause) {
            super(status, message, cause);
        }
    }

    /** 422: a pull request for the head branch is already open. */
    public static final class PullRequestExists extends GitHubException {
        PullRequestExists(String message) {
            super(422, message);
        }
    }
}
