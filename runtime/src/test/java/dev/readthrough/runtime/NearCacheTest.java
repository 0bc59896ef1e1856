package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.internal.EntryCodec;
import dev.readthrough.runtime.internal.near.Coherence;
import dev.readthrough.runtime.internal.near.NearTier;
import dev.readthrough.testing.RedisProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/**
 * The near tier against a real Redis of this class's own: local hits make no Redis call; a change
 * by any client drops the copy; a restart drops every copy; a frozen Redis leaves copies serving
 * until their local TTL; a copy never outlives the entry's freshness; a mutable value is decoded
 * afresh for each hit; and the race between a read's reply and an invalidation that overtakes it is
 * forced both ways.
 */
class NearCacheTest {

  record Profile(long id, String name) {}

  static final class Service {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger bulkCalls = new AtomicInteger();
    final List<Set<Long>> bulkAsked = new ArrayList<>();

    @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 60, cache = "near")
    public Profile find(long id) {
      calls.incrementAndGet();
      return new Profile(id, "v" + calls.get());
    }

    @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 60, cache = "near-lists")
    public List<String> tags(long id) {
      calls.incrementAndGet();
      return new ArrayList<>(List.of("a", "b"));
    }

    @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 60, cache = "near-async")
    public CompletableFuture<String> findAsync(long id) {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture("async-" + id);
    }

    @ReadThrough(ttlSeconds = 300, localTtlSeconds = 60, cache = "near-bulk", each = "ids")
    public Map<Long, String> findAll(Set<Long> ids) {
      bulkCalls.incrementAndGet();
      bulkAsked.add(Set.copyOf(ids));
      Map<Long, String> out = new LinkedHashMap<>();
      ids.forEach(id -> out.put(id, "bulk-" + id));
      return out;
    }

    @WriteThrough(key = "profile.id", cache = "near", ttlSeconds = 300)
    public Profile save(Profile profile) {
      return profile;
    }
  }

  RedisProcess server;
  ReadThroughEngine engine;
  RedissonClient other;
  final Service service = new Service();

  @BeforeEach
  void start() {
    server = RedisProcess.start();
    engine =
        ReadThroughEngine.start(
            ReadThroughConfig.builder()
                .redisUri(server.uri())
                .operationTimeout(Duration.ofMillis(500))
                .probeInterval(Duration.ofMillis(100))
                .build());
    Config config = new Config();
    config.useSingleServer().setAddress(server.uri());
    other = Redisson.create(config);
  }

  @AfterEach
  void stop() {
    other.shutdown();
    engine.close();
    server.close();
  }

  /** Calls find(id) until this JVM holds a copy: a miss, then a remote hit that keeps it. */
  Profile held(long id) {
    service.find(id); // first use of the cache registers its tier and arms tracking
    awaitArmed();
    // the store's own invalidation may come after a remote hit and drop its copy: let it pass first
    awaitInvalidationsApplied();
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              service.find(id);
              return tier("near").holds(key("near", id));
            });
    return service.find(id);
  }

  /**
   * Waits until every invalidation Redis sent before now is applied: another client changes a key
   * of this test's own under the cache's prefix, and Redis sends invalidations in order on one
   * connection, applied in order on one thread.
   */
  void awaitInvalidationsApplied() {
    String barrier = "rt:near:barrier";
    CountDownLatch applied = new CountDownLatch(1);
    Consumer<String> previous = link().afterInvalidation;
    link().afterInvalidation =
        invalidated -> {
          if (invalidated.equals(barrier)) {
            applied.countDown();
          }
        };
    try {
      other.getBucket(barrier, ByteArrayCodec.INSTANCE).set(new byte[] {1});
      assertThat(applied.await(5, TimeUnit.SECONDS)).as("the barrier's invalidation came").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      link().afterInvalidation = previous;
    }
  }

  void awaitArmed() {
    await().atMost(Duration.ofSeconds(10)).until(() -> link() != null && link().isArmed());
  }

  Coherence link() {
    return engine.nearTiers().link();
  }

  NearTier tier(String cache) {
    return engine.nearTiers().existing("rt:" + cache + ":");
  }

  static String key(String cache, long id) {
    return "rt:" + cache + ":" + id;
  }

  @Test
  void heldCopy_isALocalHit_countedAsHitAndLocalHit_methodNotRun() {
    Profile first = held(1);
    int calls = service.calls.get();
    CacheStats before = engine.stats("near");

    Profile local = service.find(1);

    CacheStats after = engine.stats("near");
    assertThat(local).isEqualTo(first);
    assertThat(service.calls).hasValue(calls);
    assertThat(after.localHits() - before.localHits()).isEqualTo(1);
    assertThat(after.hits() - before.hits()).isEqualTo(1);
    assertThat(service.find(1)).as("an immutable record is shared").isSameAs(local);
  }

  /**
   * A copy whose key is no longer among its template's recent keys (another argument took its slot)
   * is still a local hit: the advice's fast path does not answer it, and the full path forms the
   * key and finds the copy.
   */
  @Test
  void heldCopy_whoseKeyLostItsSlot_isStillALocalHit() {
    Profile first = held(70);
    held(70 + 256); // the same slot of the template's recent keys
    int calls = service.calls.get();
    long localBefore = engine.stats("near").localHits();
    long hitsBefore = engine.stats("near").hits();

    assertThat(service.find(70)).isEqualTo(first);

    assertThat(service.calls).hasValue(calls);
    assertThat(engine.stats("near").localHits() - localBefore).isEqualTo(1);
    assertThat(engine.stats("near").hits() - hitsBefore).isEqualTo(1);
  }

  @Test
  void isHeldLocally_tellsAHeldCopy_fromOneDroppedAndFromACacheWithoutATier() {
    held(60);
    assertThat(engine.isHeldLocally("near", 60L)).isTrue();
    assertThat(engine.isHeldLocally("near", 61L)).as("never read").isFalse();
    assertThat(engine.isHeldLocally("no-such-cache", 60L)).isFalse();
    other.getBucket(key("near", 60), ByteArrayCodec.INSTANCE).delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> !engine.isHeldLocally("near", 60L));
    assertThat(tier("near").holds(key("near", 60))).isFalse();
    assertThatThrownBy(() -> engine.isHeldLocally("bad name", 60L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void delByAnotherClient_dropsTheCopy_andTheNextCallRunsTheMethod() {
    held(2);
    other.getBucket(key("near", 2), ByteArrayCodec.INSTANCE).delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> !tier("near").holds(key("near", 2)));
    int calls = service.calls.get();
    service.find(2);
    assertThat(service.calls).hasValue(calls + 1);
  }

  @Test
  void setByAnotherClient_dropsTheCopy_andTheNextCallReturnsTheirValue() throws Exception {
    held(3);
    byte[] theirs = codec("find").encode(new Profile(3, "theirs"));
    other.getBucket(key("near", 3), ByteArrayCodec.INSTANCE).set(theirs);
    await().atMost(Duration.ofSeconds(5)).until(() -> !tier("near").holds(key("near", 3)));
    assertThat(service.find(3)).isEqualTo(new Profile(3, "theirs"));
  }

  @Test
  void oneDelOfManyKeys_dropsEveryOneOfTheirCopies() {
    String[] command = new String[11];
    command[0] = "DEL";
    for (int i = 0; i < 10; i++) {
      held(100 + i);
      command[i + 1] = key("near", 100 + i);
    }
    assertThat(server.command(command)).isEqualTo(":10");
    await().atMost(Duration.ofSeconds(5)).until(() -> heldAmong(100, 10) == 0);
    int calls = service.calls.get();
    for (int i = 0; i < 10; i++) {
      service.find(100 + i);
    }
    assertThat(service.calls).hasValue(calls + 10);
  }

  @Test
  void oneMsetOfManyKeys_dropsEveryOneOfTheirCopies() {
    String[] command = new String[21];
    command[0] = "MSET";
    for (int i = 0; i < 10; i++) {
      held(200 + i);
      command[2 * i + 1] = key("near", 200 + i);
      command[2 * i + 2] = "not an entry";
    }
    assertThat(server.command(command)).isEqualTo("+OK");
    await().atMost(Duration.ofSeconds(5)).until(() -> heldAmong(200, 10) == 0);
  }

  @Test
  void flushByAnotherClient_dropsEveryCopy() {
    held(300);
    held(301);
    assertThat(server.command("FLUSHDB")).isEqualTo("+OK");
    await().atMost(Duration.ofSeconds(5)).until(() -> heldAmong(300, 2) == 0);
  }

  /**
   * An invalidation that arrives while a command of the subscriber connection (its keep-alive
   * {@code PING}) awaits its reply still drops the copy. Forced: another client's script changes
   * the key and then holds Redis for 400 ms (less than the 500 ms operation timeout, so no ping
   * fails and the connection stays up), and a PING is sent on the subscriber meanwhile, so Redis
   * writes the invalidation before it reads the PING.
   */
  @Test
  void invalidationArrivingWhileAPingAwaitsItsReply_stillDropsTheCopy() throws Exception {
    held(400);
    String k = key("near", 400);
    CountDownLatch dropped = new CountDownLatch(1);
    link().afterInvalidation =
        invalidated -> {
          if (invalidated.equals(k)) {
            dropped.countDown();
          }
        };
    CompletableFuture<Object> script =
        CompletableFuture.supplyAsync(
            () ->
                other
                    .getScript(org.redisson.client.codec.StringCodec.INSTANCE)
                    .eval(
                        org.redisson.api.RScript.Mode.READ_WRITE,
                        "redis.call('DEL', KEYS[1]) local t = redis.call('TIME')"
                            + " local deadline = t[1] * 1000000 + t[2] + 400000"
                            + " repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= deadline"
                            + " return 1",
                        org.redisson.api.RScript.ReturnType.LONG,
                        List.of(k)));
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(5))
        .until(() -> busy(server.port()));
    CompletionStage<String> ping = link().pingSubscriber();
    assertThat(script).as("the script still held Redis when the PING was sent").isNotDone();
    script.get(10, TimeUnit.SECONDS);
    ping.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(dropped.await(5, TimeUnit.SECONDS)).as("the invalidation dropped the copy").isTrue();
    link().afterInvalidation = null;
    assertThat(tier("near").holds(k)).isFalse();
  }

  /** Whether Redis leaves a PING on a fresh connection unanswered for 20 ms: a script holds it. */
  private static boolean busy(int port) throws IOException {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(20);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException unanswered) {
      return true;
    }
  }

  private int heldAmong(long from, int count) {
    int held = 0;
    for (int i = 0; i < count; i++) {
      if (tier("near").holds(key("near", from + i))) {
        held++;
      }
    }
    return held;
  }

  @Test
  void writeThroughInThisJvm_dropsTheCopyBeforeItReturns() {
    held(4);
    service.save(new Profile(4, "written"));
    assertThat(tier("near").holds(key("near", 4))).isFalse();
    assertThat(service.find(4)).isEqualTo(new Profile(4, "written"));
  }

  @Test
  void invalidateInThisJvm_dropsTheCopyBeforeItReturns() {
    held(5);
    engine.invalidate("near", 5L);
    assertThat(tier("near").holds(key("near", 5))).isFalse();
    engine.invalidateAll("near");
  }

  @Test
  void redisRestart_dropsEveryCopy_andCopiesAreKeptAgainOnceTrackingIsBack() throws Exception {
    for (long id = 10; id < 15; id++) {
      held(id);
    }
    assertThat(tier("near").size()).isEqualTo(5);
    CountDownLatch rearmed = new CountDownLatch(1);
    link().afterArmed = rearmed::countDown;

    server.restart();

    assertThat(rearmed.await(20, TimeUnit.SECONDS)).as("tracking re-armed").isTrue();
    assertThat(tier("near").size()).as("every copy dropped").isZero();
    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);
    held(10);
  }

  /**
   * A re-arm closes the link's old connections, and those closes are not a new loss: were they
   * counted, each re-arm would schedule another, without end, and copies would hardly ever be kept.
   * Forced: the subscriber is killed, and the re-arm that follows waits, after closing the old
   * tracker, until that close was heard on the I/O thread, before it connects again.
   */
  @Test
  void aReArm_doesNotTakeItsOwnClosesForALoss() throws Exception {
    held(50);
    var link = link();
    long lossesBefore = link.losses.get();
    CountDownLatch closesHeard = new CountDownLatch(2); // the killed subscriber, the old tracker
    link.afterClose = channel -> closesHeard.countDown();
    link.afterOldConnectionsClosed =
        () -> {
          try {
            assertThat(closesHeard.await(5, TimeUnit.SECONDS)).as("both closes heard").isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    CountDownLatch rearmed = new CountDownLatch(1);
    link.afterArmed = rearmed::countDown;

    assertThat(server.command("CLIENT", "KILL", "ID", trackingSubscriberId())).isEqualTo(":1");

    assertThat(rearmed.await(10, TimeUnit.SECONDS)).as("tracking re-armed").isTrue();
    link.afterOldConnectionsClosed = null;
    link.afterClose = null;
    assertThat(closesHeard.getCount()).isZero();
    assertThat(link.losses.get() - lossesBefore).as("losses counted").isEqualTo(1);
    assertThat(link.isArmed()).isTrue();
    awaitInvalidationsApplied(); // the new pair works
    held(51);
    assertThat(link.losses.get() - lossesBefore).as("losses counted").isEqualTo(1);
  }

  /** The client id of the link's subscriber, from {@code CLIENT LIST}. */
  private String trackingSubscriberId() {
    for (String line : server.bulkCommand("CLIENT", "LIST").split("\n")) {
      if (line.contains("name=readthrough-tracking") && line.contains(" sub=1")) {
        for (String field : line.split(" ")) {
          if (field.startsWith("id=")) {
            return field.substring(3);
          }
        }
      }
    }
    throw new AssertionError("no tracking subscriber in CLIENT LIST");
  }

  /**
   * The breaker opened (here by hand) and closed again: Redis was not used meanwhile, so every copy
   * goes, though tracking itself was never lost; copies are kept again after.
   */
  @Test
  void breakerOpenedAndClosedAgain_dropsEveryCopy_thoughTrackingHeld() {
    held(80);
    held(81);
    long losses = link().losses.get();

    engine.guard().breaker().open();
    await().atMost(Duration.ofSeconds(10)).until(engine::isRedisAvailable);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !tier("near").holds(key("near", 80)) && !tier("near").holds(key("near", 81)));
    assertThat(link().losses.get()).as("tracking lost meanwhile").isEqualTo(losses);
    assertThat(link().isArmed()).isTrue();
    held(80);
  }

  @Test
  void redisFrozen_copiesKeepServing_withoutRunningTheMethod() {
    Profile value = held(20);
    int calls = service.calls.get();
    long localBefore = engine.stats("near").localHits();
    server.freeze();
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(service.find(20)).isEqualTo(value);
      }
    } finally {
      server.thaw();
    }
    assertThat(service.calls).hasValue(calls);
    assertThat(engine.stats("near").localHits() - localBefore).isEqualTo(5);
  }

  @Test
  void copy_neverOutlivesTheEntrysFreshness() throws Exception {
    service.find(30);
    awaitArmed();
    long now = System.currentTimeMillis();
    byte[] shortLived = stamped(new Profile(30, "short"), now, now + 2_000);
    other
        .getBucket(key("near", 30), ByteArrayCodec.INSTANCE)
        .set(shortLived, Duration.ofMinutes(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> !tier("near").holds(key("near", 30)));

    assertThat(service.find(30)).isEqualTo(new Profile(30, "short"));

    assertThat(tier("near").holds(key("near", 30))).isTrue();
    assertThat(tier("near").remainingNanos(key("near", 30)))
        .as("bounded by the entry's freshness (2 s), not localTtlSeconds (60 s)")
        .isPositive()
        .isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
  }

  @Test
  void mutableValue_isDecodedAfreshForEachLocalHit_soAMutationNeverReachesTheNextHit() {
    service.tags(1);
    awaitArmed();
    service.tags(1);
    service.tags(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tier("near-lists").holds(key("near-lists", 1)));
    long localBefore = engine.stats("near-lists").localHits();

    List<String> mine = service.tags(1);
    mine.add("mutated");
    List<String> next = service.tags(1);

    assertThat(engine.stats("near-lists").localHits() - localBefore).isEqualTo(2);
    assertThat(next).containsExactly("a", "b").isNotSameAs(mine);
  }

  @Test
  void asyncLocalHit_completesBeforeItReturns() {
    service.findAsync(1).join();
    awaitArmed();
    service.findAsync(1).join();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              service.findAsync(1).join();
              return tier("near-async").holds(key("near-async", 1));
            });
    long localBefore = engine.stats("near-async").localHits();

    CompletableFuture<String> local = service.findAsync(1);

    assertThat(local).as("completed on the caller's thread").isCompletedWithValue("async-1");
    assertThat(engine.stats("near-async").localHits() - localBefore).isEqualTo(1);
  }

  @Test
  void bulkCall_asksRedisAndTheMethodOnlyForWhatIsNotHeldLocally() {
    service.findAll(Set.of(1L));
    awaitArmed();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              service.findAll(Set.of(1L));
              return tier("near-bulk").holds(key("near-bulk", 1));
            });
    CacheStats before = engine.stats("near-bulk");
    int bulkCalls = service.bulkCalls.get();

    Map<Long, String> all = service.findAll(new java.util.LinkedHashSet<>(List.of(1L, 2L, 3L)));

    CacheStats after = engine.stats("near-bulk");
    assertThat(all)
        .containsExactly(Map.entry(1L, "bulk-1"), Map.entry(2L, "bulk-2"), Map.entry(3L, "bulk-3"));
    assertThat(after.localHits() - before.localHits()).isEqualTo(1);
    assertThat(after.misses() - before.misses()).isEqualTo(2);
    assertThat(service.bulkCalls).hasValue(bulkCalls + 1);
    assertThat(service.bulkAsked.get(service.bulkAsked.size() - 1))
        .containsExactlyInAnyOrder(2L, 3L);
  }

  @Test
  void invalidationOvertakingTheReadsReply_beforeTheInstall_stopsTheInstall() throws Exception {
    raceAt(true);
  }

  @Test
  void invalidationArrivingBetweenTheInstallAndItsCheck_removesTheCopy() throws Exception {
    raceAt(false);
  }

  /**
   * A read of key 40 has its reply (the old value); before its copy is installed (or just after),
   * another client changes the key and the invalidation is applied. The old value must not stay.
   */
  private void raceAt(boolean beforeInstall) throws Exception {
    service.find(41); // registers the tier and arms tracking; key 40 has had no load here
    awaitArmed();
    // written by another client, so that no finished load of this JVM can answer the read below
    other
        .getBucket(key("near", 40), ByteArrayCodec.INSTANCE)
        .set(codec("find").encode(new Profile(40, "old")));
    awaitInvalidationsApplied(); // that SET's invalidation has been applied: nothing of it is in
    // flight
    byte[] theirs = codec("find").encode(new Profile(40, "theirs"));
    Runnable change =
        () -> {
          CountDownLatch applied = new CountDownLatch(1);
          link().afterInvalidation =
              key -> {
                if (key.equals(key("near", 40))) {
                  applied.countDown();
                }
              };
          other.getBucket(key("near", 40), ByteArrayCodec.INSTANCE).set(theirs);
          try {
            assertThat(applied.await(5, TimeUnit.SECONDS)).as("their SET's invalidation").isTrue();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        };
    AtomicInteger fired = new AtomicInteger();
    Runnable once =
        () -> {
          if (fired.getAndIncrement() == 0) {
            change.run();
          }
        };
    if (beforeInstall) {
      tier("near").beforeInstall = once;
    } else {
      tier("near").afterInstall = once;
    }

    Profile read = service.find(40);

    tier("near").beforeInstall = null;
    tier("near").afterInstall = null;
    link().afterInvalidation = null;
    assertThat(fired).as("the hook ran").hasValue(1);
    assertThat(read.name()).as("the read's own reply was the old value").isNotEqualTo("theirs");
    assertThat(tier("near").holds(key("near", 40))).as("no copy of the old value").isFalse();
    assertThat(service.find(40)).isEqualTo(new Profile(40, "theirs"));
  }

  /**
   * Drop latency: how long after another client's DEL (or SET) this JVM's copy is gone, over many
   * trials on loopback. Every trial must drop the copy; the distribution is written to {@code
   * target/near-invalidation-latency.txt} for docs/near-cache.md.
   */
  @Test
  void dropLatency_overManyTrials_everyCopyDropped() throws Exception {
    int trials = 200;
    long[] micros = new long[trials];
    AtomicLong droppedAt = new AtomicLong();
    service.find(1000);
    awaitArmed();
    AtomicInteger arms = new AtomicInteger();
    link().afterArmed = arms::incrementAndGet;
    int measured = 0;
    for (int i = 0; i < trials; i++) {
      long id = 1000 + i;
      held(id);
      String k = key("near", id);
      CountDownLatch dropped = new CountDownLatch(1);
      link().afterInvalidation =
          invalidated -> {
            if (invalidated.equals(k)) {
              droppedAt.set(System.nanoTime());
              dropped.countDown();
            }
          };
      long sent = System.nanoTime();
      if (i % 2 == 0) {
        other.getBucket(k, ByteArrayCodec.INSTANCE).delete();
      } else {
        other.getBucket(k, ByteArrayCodec.INSTANCE).set(codec("find").encode(new Profile(id, "x")));
      }
      boolean done = dropped.await(5, TimeUnit.SECONDS);
      assertThat(done)
          .as(
              "trial %s dropped its copy (armed %s, re-armed %s times, copy held %s, key in Redis %s)",
              i,
              link().isArmed(),
              arms.get(),
              tier("near").holds(k),
              other.getBucket(k, ByteArrayCodec.INSTANCE).isExists())
          .isTrue();
      micros[measured++] = (droppedAt.get() - sent) / 1000;
    }
    link().afterArmed = null;
    assertThat(arms.get()).as("re-arms of tracking during the trials (none was lost)").isZero();
    link().afterInvalidation = null;
    long[] sorted = Arrays.copyOf(micros, measured);
    Arrays.sort(sorted);
    String report =
        String.format(
            "trials=%d p50=%dus p90=%dus p99=%dus max=%dus (DEL and SET by another client,"
                + " loopback)%n",
            measured,
            sorted[measured / 2],
            sorted[measured * 9 / 10],
            sorted[measured * 99 / 100],
            sorted[measured - 1]);
    System.out.print("near-cache drop latency: " + report);
    Path out = Path.of("target", "near-invalidation-latency.txt");
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
    } catch (IOException e) {
      // the report is for the docs; the assertions above are the test
    }
  }

  /**
   * A {@code @WriteThrough} in a second JVM ({@link SecondJvm}, an engine of its own on the same
   * Redis) drops this JVM's copy, over many trials: the time from the start of the write there
   * until the copy is gone here, on the machine's shared monotonic clock. Every trial must drop the
   * copy and the next call here must return the other JVM's value; the distribution (after 20
   * warm-up writes in the second JVM) is written to {@code target/near-two-jvm-latency.txt} for
   * docs/near-cache.md.
   */
  @Test
  void writeThroughInASecondJvm_dropsTheCopy_overManyTrials() throws Exception {
    int trials = 100;
    long[] micros = new long[trials];
    Path log = Path.of("target", "second-jvm.log");
    Files.createDirectories(log.getParent());
    Process second =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SecondJvm.class.getName(),
                server.uri())
            .redirectError(log.toFile())
            .start();
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out = second.inputReader(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith(SecondJvm.PREFIX)) {
                    replies.add(line.substring(SecondJvm.PREFIX.length()));
                  }
                }
              } catch (IOException e) {
                // the process ended; the polls below time out and say so
              }
            },
            "second-jvm-reader");
    reader.setDaemon(true);
    reader.start();
    try (PrintWriter commands =
        new PrintWriter(second.outputWriter(StandardCharsets.UTF_8), true)) {
      assertThat(replies.poll(60, TimeUnit.SECONDS))
          .as("the second JVM started")
          .isEqualTo("ready");
      // the second JVM's first writes build its plan and warm its code: not part of the drop
      for (int i = 0; i < 20; i++) {
        commands.println("write " + (1900 + i));
        assertThat(replies.poll(10, TimeUnit.SECONDS)).as("warm-up write").startsWith("wrote ");
      }
      AtomicLong droppedAt = new AtomicLong();
      service.find(2000);
      awaitArmed();
      for (int i = 0; i < trials; i++) {
        long id = 2000 + i;
        held(id);
        String k = key("near", id);
        CountDownLatch dropped = new CountDownLatch(1);
        link().afterInvalidation =
            invalidated -> {
              if (invalidated.equals(k)) {
                droppedAt.set(System.nanoTime());
                dropped.countDown();
              }
            };
        commands.println("write " + id);
        String reply = replies.poll(10, TimeUnit.SECONDS);
        assertThat(reply)
            .as("trial %s written by the second JVM", i)
            .startsWith("wrote " + id + " ");
        long before = Long.parseLong(reply.substring(reply.lastIndexOf(' ') + 1));
        assertThat(dropped.await(5, TimeUnit.SECONDS)).as("trial %s dropped its copy", i).isTrue();
        micros[i] = (droppedAt.get() - before) / 1000;
        link().afterInvalidation = null;
        assertThat(service.find(id)).isEqualTo(new Profile(id, "second-jvm-" + id));
      }
    } finally {
      link().afterInvalidation = null;
      second.destroy();
      if (!second.waitFor(10, TimeUnit.SECONDS)) {
        second.destroyForcibly();
      }
    }
    Arrays.sort(micros);
    String report =
        String.format(
            "trials=%d p50=%dus p90=%dus p99=%dus max=%dus (@WriteThrough in a second JVM, loopback)%n",
            trials,
            micros[trials / 2],
            micros[trials * 9 / 10],
            micros[trials * 99 / 100],
            micros[trials - 1]);
    System.out.print("near-cache drop latency: " + report);
    try {
      Files.writeString(Path.of("target", "near-two-jvm-latency.txt"), report);
    } catch (IOException e) {
      // the report is for the docs; the assertions above are the test
    }
  }

  private static EntryCodec codec(String method) throws Exception {
    Method m =
        Arrays.stream(Service.class.getDeclaredMethods())
            .filter(candidate -> candidate.getName().equals(method))
            .findFirst()
            .orElseThrow();
    return EntryCodec.forMethod(m, ReadThroughConfig.builder().build());
  }

  private static byte[] stamped(Profile value, long writtenAt, long freshUntil) throws Exception {
    byte[] bytes = codec("find").encode(value);
    int at = 3 + (bytes[2] & 0xFF) + 8;
    for (int i = 0; i < 8; i++) {
      bytes[at + i] = (byte) (writtenAt >>> (56 - 8 * i));
      bytes[at + 8 + i] = (byte) (freshUntil >>> (56 - 8 * i));
    }
    return bytes;
  }
}
