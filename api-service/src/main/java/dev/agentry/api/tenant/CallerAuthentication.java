package dev.agentry.api.tenant;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authentication of every request, JWT or API token alike: its authorities are the role's permission names
 * (and {@code platform_operator}), which the security rules check.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    public static final String OPERATOR = "platform_operator";

    private final Caller caller;

    public CallerAuthentication(Caller caller) {
        super(authorities(caller));
        this.caller = caller;
        setAuthenticated(true);
    }

    private static List<GrantedAuthority> authorities(Caller caller) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_" + caller.role().name()));
        caller.role().permissions().forEach(p -> authorities.add(new SimpleGrantedAuthority(p.wire())));
        if (caller.operator()) {
            authorities.add(new SimpleGrantedAuthority(OPERATOR));
        }
        return authorities;
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.subject();
    }
}
