/**
 * Resilience: the circuit breaker and its probe, the backlog of deletes owed to Redis, and the
 * rate-limited log lines of an outage. Internal: not part of Readthrough's contract; it may change
 * in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.resilience;

import org.jspecify.annotations.NullMarked;
