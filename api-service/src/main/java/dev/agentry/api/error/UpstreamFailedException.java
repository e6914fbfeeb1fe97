package dev.agentry.api.error;

import java.util.Map;

/** A service the request went through on the caller's behalf (GitHub) failed it for a reason of its own. */
public final class UpstreamFailedException extends DomainException {

    public UpstreamFailedException(String error, String message) {
        super(error, message, Map.of());
    }
}
