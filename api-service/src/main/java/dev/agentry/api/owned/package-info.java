/**
 * Resources that belong to one user of a tenant (seed 003's conversations and notifications): who the owner of a
 * request is, the 404/403 rule (another tenant's resource does not exist, another user's is forbidden), and the
 * seed's {@code {"error": "..."}} answers for their endpoints.
 */
@NullMarked
package dev.agentry.api.owned;

import org.jspecify.annotations.NullMarked;
