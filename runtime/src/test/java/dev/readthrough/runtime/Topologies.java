package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.testing.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/** What the Cluster and Sentinel tests share: their cached service, and load through a failover. */
final class Topologies {

  private Topologies() {}

  record Score(long id, int value) {}

  /** A cached service whose upstream always answers {@code Score(id, upstream)}. */
  static final class Scores {
    final AtomicInteger runs = new AtomicInteger();
    final Map<Long, AtomicInteger> runsOf = new ConcurrentHashMap<>();
    final List<List<Long>> bulkAsked = new ArrayList<>();
    volatile int upstream = 1;

    @ReadThrough(key = "id", ttlSeconds = 300, cache = "scores")
    Score find(long id) {
      runs.incrementAndGet();
      runsOf.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
      return new Score(id, upstream);
    }

    @ReadThrough(each = "ids", ttlSeconds = 300, cache = "scores")
    Map<Long, Score> findAll(List<Long> ids) {
      bulkAsked.add(List.copyOf(ids));
      Map<Long, Score> found = new HashMap<>();
      for (long id : ids) {
        found.put(id, new Score(id, upstream));
      }
      return found;
    }

    @WriteThrough(key = "score.id", ttlSeconds = 300, cache = "scores")
    Score save(Score score) {
      return score;
    }
  }

  /** Starts an engine on {@code target}'s Redis and waits until it is connected. */
  static ReadThroughEngine startEngine(
      ReadThroughConfig.Builder target, Duration operationTimeout) {
    ReadThroughEngine engine =
        ReadThroughEngine.start(target.operationTimeout(operationTimeout).build());
    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    return engine;
  }

  /** A write followed at once by a read returns the new value, 200 times in a row. */
  static void writeThenRead200Times(Scores scores) {
    for (int i = 0; i < 200; i++) {
      long id = 1000 + i % 7;
      scores.find(id);
      scores.save(new Score(id, i));
      assertThat(scores.find(id)).as("read %s after its write", i).isEqualTo(new Score(id, i));
    }
  }

  /**
   * Reads {@code find(id)} of {@code keys} ids from 8 threads until closed, counting calls, calls
   * that threw and values other than {@code Score(id, 1)}, and timing each call: those of the ids
   * {@code marked} accepts apart from the others.
   */
  static final class Load implements AutoCloseable {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger wrong = new AtomicInteger();
    final Queue<Long> markedNanos = new ConcurrentLinkedQueue<>();
    final Queue<Long> otherNanos = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Load(String name, Scores scores, int keys) {
      this(name, scores, keys, id -> false);
    }

    Load(String name, Scores scores, int keys, LongPredicate marked) {
      for (int t = 0; t < 8; t++) {
        int seed = t;
        Thread thread =
            new Thread(
                () -> {
                  long id = seed;
                  while (!stop.get()) {
                    id = (id * 31 + 7) % keys;
                    long start = System.nanoTime();
                    try {
                      if (!scores.find(id).equals(new Score(id, 1))) {
                        wrong.incrementAndGet();
                      }
                    } catch (RuntimeException e) {
                      failed.incrementAndGet();
                    }
                    (marked.test(id) ? markedNanos : otherNanos).add(System.nanoTime() - start);
                    calls.incrementAndGet();
                  }
                },
                name + "-load-" + t);
        thread.start();
        threads.add(thread);
      }
    }

    /** Drops the call times recorded so far. */
    void forgetTimes() {
      markedNanos.clear();
      otherNanos.clear();
    }

    /** {@code p50/p99/max} of {@code nanos}, in milliseconds, for reports. */
    static String spread(Queue<Long> nanos) {
      long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return "no calls";
      }
      return String.format(
          "p50 %.2f ms, p99 %.2f ms, max %.1f ms over %d calls",
          sorted[sorted.length / 2] / 1e6,
          sorted[(int) (sorted.length * 0.99)] / 1e6,
          sorted[sorted.length - 1] / 1e6,
          sorted.length);
    }

    /** Waits until {@code more} further calls were made, up to ten seconds. */
    void awaitMoreCalls(int more) {
      int target = calls.get() + more;
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() > target);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }

  /**
   * Waits up to 15 s until a key that {@code node} serves ({@code served}) is stored there by a
   * miss and read back as a hit, and returns how long that took, in milliseconds.
   */
  static long awaitCachingOn(RedisProcess node, LongPredicate served) {
    long start = System.nanoTime();
    Scores probe = new Scores();
    AtomicLong next = new AtomicLong(10_000);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              long id;
              do {
                id = next.incrementAndGet();
              } while (!served.test(id));
              probe.find(id);
              if (!node.command("EXISTS", "rt:scores:" + id).equals(":1")) {
                return false;
              }
              int runs = probe.runs.get();
              probe.find(id);
              return probe.runs.get() == runs;
            });
    return (System.nanoTime() - start) / 1_000_000;
  }
}
