/** Child processes: controlled environment, streamed output, and killing whole process trees on timeout or cancel. */
@NullMarked
package dev.agentry.worker.process;

import org.jspecify.annotations.NullMarked;
