/**
 * Resources that belong to one user of a tenant (seed 003's conversations and notifications): who the owner of a
 * request is, and the 404/403 rule (another tenant's resource does not exist, another user's is forbidden). Their
 * {@code {"error": "..."}} bodies come from the API's one error mapping ({@code web.ApiFamily.ERROR_OBJECT}).
 */
@NullMarked
package dev.agentry.api.owned;

import org.jspecify.annotations.NullMarked;
