package dev.readthrough.runtime.internal.near;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.redisson.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's near tiers, one per cache that has a method with {@code localTtlSeconds}, and the
 * one {@link Coherence} they share, opened with the first of them: an engine with no such method
 * opens no tracking connection.
 */
public final class NearTiers implements RedisGuard.LocalCopies, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  private final ReadThroughConfig config;
  private final Supplier<@Nullable Config> redisson;
  private final Map<String, NearTier> tiers = new ConcurrentHashMap<>();
  private volatile @Nullable Coherence coherence; // written under this
  private boolean unsupported; // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param redisson the Redisson configuration the engine's client runs with, {@code null} if not
   *     known yet
   */
  public NearTiers(ReadThroughConfig config, Supplier<@Nullable Config> redisson) {
    this.config = config;
    this.redisson = redisson;
  }

  /**
   * The near tier of the cache whose keys start with {@code head}, or {@code null} if this engine
   * cannot keep coherent copies (not a single Redis server; said once in the log): {@code
   * description}'s method then reads Redis on every call, as without {@code localTtlSeconds}.
   */
  public synchronized @Nullable NearTier tier(String head, String description) {
    NearTier tier = tiers.get(head);
    if (tier != null) {
      return tier;
    }
    Coherence link = coherence();
    if (link == null) {
      return null;
    }
    tier = new NearTier(head, config.localMaxEntries(), link);
    tiers.put(head, tier);
    link.register(tier);
    return tier;
  }

  private @Nullable Coherence coherence() {
    if (coherence != null || unsupported || closed) {
      return coherence;
    }
    Config settings = redisson.get();
    Coherence link =
        settings == null
            ? null
            : Coherence.forServer(
                settings, config.operationTimeout().toMillis(), config.probeInterval().toMillis());
    if (link == null) {
      unsupported = true;
      LOG.warn(
          "localTtlSeconds is ignored: the near tier needs a single Redis server for now (a Cluster"
              + " or Sentinel set-up keeps no local copies); every call reads Redis");
    }
    coherence = link;
    return link;
  }

  /** The shared coherence, if a tier opened it; for tests. */
  public @Nullable Coherence link() {
    return coherence;
  }

  /** The tier of {@code head}, if one exists. */
  public @Nullable NearTier existing(String head) {
    return tiers.get(head);
  }

  /** A key changed through this engine: its local copy goes now, before Redis says so. */
  @Override
  public void changed(String head, String key) {
    NearTier tier = tiers.get(head);
    Coherence link = coherence;
    if (tier != null && link != null) {
      link.changedHere(key, tier);
    }
  }

  /** A whole cache changed through this engine. */
  @Override
  public void cleared(String head) {
    NearTier tier = tiers.get(head);
    Coherence link = coherence;
    if (tier != null && link != null) {
      link.clearedHere(tier);
    }
  }

  /** The breaker closed again; see {@link Coherence#reopened}. */
  @Override
  public void reopened() {
    Coherence link = coherence;
    if (link != null) {
      link.reopened();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (coherence != null) {
      coherence.close();
    }
  }
}
