/**
 * Redis I/O: the Redisson client and each command as a future, the guard every command goes through
 * (the one failure table), the settings the client connects with, and the plain-socket look before
 * a connection. Internal: not part of Readthrough's contract; it may change in any release.
 */
@NullMarked
package dev.readthrough.runtime.internal.redis;

import org.jspecify.annotations.NullMarked;
