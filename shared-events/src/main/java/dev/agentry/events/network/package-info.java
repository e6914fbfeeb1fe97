/**
 * Which network addresses the platform may call on a tenant's behalf: webhooks, repository clones. A URL's host is
 * resolved once, judged here, and the connection then goes to the address that was judged.
 */
@NullMarked
package dev.agentry.events.network;

import org.jspecify.annotations.NullMarked;
