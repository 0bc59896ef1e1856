package dev.readthrough.runtime.internal.redis;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.redisson.RedissonKeys;
import org.redisson.api.AsyncIterator;
import org.redisson.client.RedisClient;
import org.redisson.connection.MasterSlaveEntry;

/**
 * Owns one SCAN of every master for one pattern, page after page until each master's cursor is back
 * at 0. Redisson's own iterator ({@code RKeys.getKeysAsync}; {@code BaseAsyncIterator.hasNext} in
 * Redisson 4.7) ends at the first page that holds no matching key, and SCAN with MATCH answers such
 * pages whenever the keyspace holds other keys: a clear among 20,000 other keys removed none of its
 * 10 entries, and reported success. Stepped by one caller at a time.
 */
final class ScanIterator implements AsyncIterator<String> {
  private final RedissonKeys keys;
  private final Iterator<MasterSlaveEntry> masters;
  private final String pattern;
  private final int chunk;
  private @Nullable MasterSlaveEntry master;

  /** The node the current master's scan runs on, once its first page came; its cursor's own. */
  private @Nullable RedisClient node;

  private String cursor = "0";
  private Iterator<Object> page = Collections.emptyIterator();

  public ScanIterator(RedissonKeys keys, String pattern, int chunk) {
    this.keys = keys;
    this.masters = List.copyOf(keys.getConnectionManager().getEntrySet()).iterator();
    this.pattern = pattern;
    this.chunk = chunk;
  }

  @Override
  public CompletionStage<Boolean> hasNext() {
    if (page.hasNext()) {
      return CompletableFuture.completedFuture(true);
    }
    CompletableFuture<Boolean> more = new CompletableFuture<>();
    fetch(more);
    return more;
  }

  private void fetch(CompletableFuture<Boolean> more) {
    MasterSlaveEntry scanned = master;
    if (scanned == null) {
      if (!masters.hasNext()) {
        more.complete(false);
        return;
      }
      scanned = masters.next();
      master = scanned;
      node = null;
      cursor = "0";
    }
    keys.scanIteratorAsync(node, scanned, cursor, pattern, chunk, null)
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                more.completeExceptionally(error);
                return;
              }
              node = result.getRedisClient();
              cursor = result.getPos();
              if ("0".equals(cursor)) {
                master = null; // this master is done
              }
              page = result.getValues().iterator();
              if (page.hasNext()) {
                more.complete(true);
              } else {
                fetch(more); // an empty page: the scan goes on
              }
            });
  }

  @Override
  public CompletionStage<String> next() {
    if (!page.hasNext()) {
      return CompletableFuture.failedFuture(new NoSuchElementException());
    }
    return CompletableFuture.completedFuture((String) page.next());
  }
}
