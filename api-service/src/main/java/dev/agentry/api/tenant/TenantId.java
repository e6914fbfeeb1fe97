package dev.agentry.api.tenant;

/** The tenant a request acts for, taken from its bearer token. Controllers receive it as a parameter. */
public record TenantId(String value) {

    @Override
    public String toString() {
        return value;
    }
}
