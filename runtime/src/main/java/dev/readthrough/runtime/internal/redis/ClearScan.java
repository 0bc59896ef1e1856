package dev.readthrough.runtime.internal.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.redisson.api.AsyncIterator;

/**
 * Owns one clear under way: SCAN steps one after another, each full batch of keys found unlinked at
 * once without waiting for it, so that the UNLINKs overlap the SCAN. {@link #done} completes with
 * how many keys were removed once the SCAN ended and every UNLINK was answered, or fails with the
 * first failure; cancelling it stops the clear after the command under way.
 */
final class ClearScan {

  private final RedisStore store;

  final CompletableFuture<Long> done = new CompletableFuture<>();
  final AtomicLong removed = new AtomicLong();
  private final List<CompletableFuture<Long>> unlinks = new ArrayList<>();
  private @Nullable AsyncIterator<String> keys;
  private List<String> batch = new ArrayList<>(RedisGuard.BATCH);

  ClearScan(RedisStore store) {
    this.store = store;
  }

  /** Clears every key under {@code head} without a caller waiting: each command is bounded. */
  static long clearNow(RedisStore store, String head) throws FailurePolicy.Failure {
    Long removed = FailurePolicy.join(new ClearScan(store).start(head));
    return removed == null ? 0 : removed;
  }

  /** Sends the first SCAN step; returns {@link #done}. */
  CompletableFuture<Long> start(String head) {
    try {
      keys = store.scan(head, RedisGuard.BATCH);
    } catch (RedisStore.StoreException | RuntimeException e) {
      done.completeExceptionally(e);
      return done;
    }
    step();
    return done;
  }

  /** Takes every key found so far, then waits for the next SCAN step, or finishes. */
  private void step() {
    AsyncIterator<String> scan = Objects.requireNonNull(keys);
    try {
      while (!done.isDone()) {
        CompletableFuture<Boolean> more = scan.hasNext().toCompletableFuture();
        if (!more.isDone()) {
          more.whenComplete(
              (found, error) -> {
                if (error != null) {
                  done.completeExceptionally(FailurePolicy.cause(error));
                } else if (take(scan, Boolean.TRUE.equals(found))) {
                  step();
                }
              });
          return;
        }
        if (!take(scan, more.join())) {
          return;
        }
      }
    } catch (RuntimeException e) {
      done.completeExceptionally(FailurePolicy.cause(e));
    }
  }

  /** Takes the next key if there is one, or finishes; returns whether the scan goes on. */
  private boolean take(AsyncIterator<String> scan, boolean found) {
    if (done.isDone()) {
      return false;
    }
    if (!found) {
      finish();
      return false;
    }
    try {
      // after hasNext() held true, next() hands out a key of the page at hand at once
      batch.add(scan.next().toCompletableFuture().join());
    } catch (RuntimeException e) {
      done.completeExceptionally(FailurePolicy.cause(e));
      return false;
    }
    if (batch.size() == RedisGuard.BATCH) {
      unlink();
    }
    return true;
  }

  private void unlink() {
    CompletableFuture<Long> sent = store.unlinkAsync(batch.toArray(String[]::new));
    batch = new ArrayList<>(RedisGuard.BATCH);
    unlinks.add(sent);
    sent.whenComplete(
        (count, error) -> {
          if (error != null) {
            done.completeExceptionally(FailurePolicy.cause(error));
          } else if (count != null) {
            removed.addAndGet(count);
          }
        });
  }

  private void finish() {
    if (!batch.isEmpty()) {
      unlink();
    }
    FailurePolicy.allOrFirstFailure(unlinks)
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                done.completeExceptionally(FailurePolicy.cause(error));
              } else {
                done.complete(removed.get());
              }
            });
  }
}
