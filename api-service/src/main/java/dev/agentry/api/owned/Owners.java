package dev.agentry.api.owned;

import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.CallerUsers;
import org.springframework.stereotype.Component;

/** The {@link Owner} of the current request: its tenant and the user its credential acts as. */
@Component
public class Owners {

    private final CallerUsers users;

    Owners(CallerUsers users) {
        this.users = users;
    }

    public Owner of(Caller caller) {
        return new Owner(caller.tenant(), users.userId(caller));
    }
}
