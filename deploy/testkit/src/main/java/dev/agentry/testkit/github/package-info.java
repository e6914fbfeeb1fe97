/** A local server that speaks the part of GitHub's REST API the platform uses, for tests of the real client. */
@NullMarked
package dev.agentry.testkit.github;

import org.jspecify.annotations.NullMarked;
