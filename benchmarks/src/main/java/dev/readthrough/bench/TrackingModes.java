package dev.readthrough.bench;

import dev.readthrough.testing.RedisProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Measures what Redis's two client-side-caching tracking modes cost with many engines connected: a
 * bounded, self-stopping program (not a JMH benchmark) that prints Markdown tables.
 *
 * <p>For each mode it connects {@code engines} simulated engines to one Redis. An engine is a RESP2
 * pub/sub connection subscribed to {@code __redis__:invalidate}, a data connection with {@code
 * CLIENT TRACKING ON REDIRECT <that id>} (plus {@code BCAST [PREFIX rt:users:]} in the broadcast
 * modes), and a map standing for the near tier. Each engine makes {@code reads} reads of {@code
 * rt:users:<rank>}, the rank drawn from a Zipf distribution, from its own thread; meanwhile one
 * writer client SETs one key per {@code writeEvery} reads made by all engines together, half of
 * them under {@code rt:users:} and half under {@code rt:other:}, a prefix no engine reads. Every
 * seed is fixed. Recorded per mode: {@code used_memory} before and after the reads, the tracking
 * fields of {@code INFO stats}, Redis's CPU time, the invalidations the engines received per write,
 * and the near tier's hit ratio.
 *
 * <p>Arguments are {@code name=value} pairs overriding {@link Settings#DEFAULTS}. Redis is the one
 * {@code REDIS_URL} names (loopback only; the program overwrites and then deletes its {@code
 * rt:users:*}, {@code rt:other:*} and {@code rt:probe:*} keys and sets {@code
 * tracking-table-max-keys}, restoring it at the end), else a redis-server of its own, stopped at
 * the end. The whole program is killed, and its server with it, after {@link #HARD_LIMIT}.
 */
public final class TrackingModes {

  static final String USERS = "rt:users:";
  static final String OTHER = "rt:other:";
  static final String PROBE = "rt:probe:";
  static final String CHANNEL = "__redis__:invalidate";

  /** Written once after the workload: its invalidation tells an engine it has every earlier one. */
  static final String FENCE = USERS + "fence";

  /** Redis's own default for {@code tracking-table-max-keys}. */
  static final long REDIS_DEFAULT_TABLE = 1_000_000;

  static final Duration HARD_LIMIT = Duration.ofSeconds(170);
  static final Duration MODE_LIMIT = Duration.ofSeconds(60);
  static final Duration FENCE_LIMIT = Duration.ofSeconds(10);

  private TrackingModes() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    startWatchdog();
    String fromEnv = System.getenv("REDIS_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      requireLoopback(fromEnv);
      run(settings, fromEnv, "REDIS_URL");
    } else {
      try (RedisProcess redis = RedisProcess.start()) {
        run(settings, redis.uri(), "a redis-server of its own");
      }
    }
  }

  private static void run(Settings settings, String uri, String source) throws Exception {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(Duration.ofSeconds(10));
    RedisClient resp2 = client(redisUri, ProtocolVersion.RESP2);
    RedisClient resp3 = client(redisUri, ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> adminConnection = resp2.connect()) {
      RedisCommands<String, String> admin = adminConnection.sync();
      Map<String, String> server = info(admin, "server");
      String originalTable =
          admin.configGet("tracking-table-max-keys").get("tracking-table-max-keys");
      System.out.printf(
          "# Redis %s (%s); %s%n",
          server.getOrDefault("redis_version", "?"), source, settings.describe());
      try {
        System.out.println("# " + probe(resp2, resp3, admin));
        List<Run> runs =
            List.of(
                new Run("default", false, null, REDIS_DEFAULT_TABLE),
                new Run("default, small table", false, null, settings.smallTable()),
                new Run("BCAST PREFIX " + USERS, true, USERS, REDIS_DEFAULT_TABLE),
                new Run("BCAST, no prefix", true, null, REDIS_DEFAULT_TABLE));
        List<Result> results = new ArrayList<>();
        for (Run run : runs) {
          Result result = measure(run, settings, resp2, admin);
          System.out.println("# done: " + run.name() + " in " + result.wallSeconds() + " s");
          results.add(result);
        }
        System.out.println();
        System.out.print(tables(results));
      } finally {
        if (originalTable != null) {
          admin.configSet("tracking-table-max-keys", originalTable);
        }
      }
    } finally {
      resp2.shutdown(Duration.ZERO, Duration.ofSeconds(5));
      resp3.shutdown(Duration.ZERO, Duration.ofSeconds(5));
    }
  }

  private static RedisClient client(RedisURI uri, ProtocolVersion protocol) {
    RedisClient client = RedisClient.create(uri);
    // a dropped connection would lose its tracking state: fail instead of measuring that
    client.setOptions(
        ClientOptions.builder().protocolVersion(protocol).autoReconnect(false).build());
    return client;
  }

  /**
   * One measurement: loads the keys, connects the engines, runs the reads and writes, waits for the
   * last invalidation, records, and deletes the keys again.
   */
  private static Result measure(
      Run run, Settings settings, RedisClient client, RedisCommands<String, String> admin)
      throws Exception {
    admin.configSet("tracking-table-max-keys", Long.toString(run.tableMaxKeys()));
    load(admin, settings.keys());
    List<Engine> engines = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(settings.engines());
    try {
      for (int i = 0; i < settings.engines(); i++) {
        engines.add(Engine.connect(client, run));
      }
      Memory memoryBefore = Memory.settled(admin);
      double cpuBefore = cpuSeconds(admin);
      long start = System.nanoTime();

      Zipf zipf = new Zipf(settings.keys(), settings.skew());
      LongAdder reads = new LongAdder();
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<Void>> readers = new ArrayList<>();
      for (int i = 0; i < engines.size(); i++) {
        Engine engine = engines.get(i);
        long seed = settings.seed() + 1 + i;
        readers.add(
            CompletableFuture.runAsync(
                () -> engine.readAll(settings.reads(), zipf, seed, reads, go), pool));
      }
      CompletableFuture<Void> allRead =
          CompletableFuture.allOf(readers.toArray(new CompletableFuture<?>[0]));
      go.countDown();
      Writes writes = write(admin, settings, zipf, reads, allRead, start);
      allRead.get(remaining(start), TimeUnit.NANOSECONDS);

      // every engine holds the fence, then one write of it: once an engine sees its
      // invalidation, every earlier one has arrived (one connection delivers in order)
      for (Engine engine : engines) {
        engine.readFence();
      }
      admin.set(FENCE, version(writes.total() + 1));
      for (Engine engine : engines) {
        await(engine::fenceSeen, FENCE_LIMIT, "the fence invalidation");
      }
      double wallSeconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = cpuSeconds(admin) - cpuBefore;
      Memory memoryAfter = Memory.settled(admin);
      Map<String, String> stats = info(admin, "stats");
      long stale = stale(admin, settings.keys(), engines);
      return Result.of(
          run,
          memoryBefore,
          memoryAfter,
          stats,
          cpuSeconds,
          wallSeconds,
          writes,
          engines,
          (long) settings.engines() * settings.reads(),
          stale);
    } finally {
      pool.shutdownNow();
      for (Engine engine : engines) {
        engine.close();
      }
      unload(admin, settings.keys());
    }
  }

  /** The writes a run made: to keys under {@code rt:users:} and under {@code rt:other:}. */
  record Writes(long users, long other) {
    long total() {
      return users + other;
    }
  }

  /**
   * Writes one key per {@code writeEvery} reads made so far, until the reads are done and every
   * write is made: half the time (by a fixed-seed coin) under {@code rt:users:}, else under {@code
   * rt:other:}, the key's rank uniform or Zipf as {@code writeKeys} says.
   */
  private static Writes write(
      RedisCommands<String, String> writer,
      Settings settings,
      Zipf zipf,
      LongAdder reads,
      CompletableFuture<Void> allRead,
      long start)
      throws Exception {
    long total = (long) settings.engines() * settings.reads() / settings.writeEvery();
    SplittableRandom random = new SplittableRandom(settings.seed());
    long users = 0;
    long written = 0;
    while (written < total) {
      if (written < reads.sum() / settings.writeEvery()) {
        boolean toUsers = random.nextBoolean();
        int rank = settings.zipfWrites() ? zipf.next(random) : random.nextInt(settings.keys());
        writer.set((toUsers ? USERS : OTHER) + rank, version(written + 1));
        written++;
        if (toUsers) {
          users++;
        }
      } else if (allRead.isCompletedExceptionally()) {
        allRead.get(); // throws the reader's failure
      } else if (remaining(start) <= 0) {
        throw new IllegalStateException("the writes did not finish within " + MODE_LIMIT);
      } else {
        TimeUnit.MICROSECONDS.sleep(20); // the pace is the readers': wait for the next reads
      }
    }
    return new Writes(users, written - users);
  }

  private static long remaining(long start) {
    return MODE_LIMIT.toNanos() - (System.nanoTime() - start);
  }

  /**
   * Shows how each protocol delivers one invalidation that names several keys, as a BCAST
   * connection gets for a multi-key write ({@code MSET} here): over RESP2 pub/sub and over RESP3
   * push to the redirect target.
   */
  private static String probe(
      RedisClient resp2, RedisClient resp3, RedisCommands<String, String> writer)
      throws InterruptedException {
    List<String> viaPubSub = new ArrayList<>();
    List<String> viaPush = new ArrayList<>();
    try (StatefulRedisPubSubConnection<String, String> subscriber = resp2.connectPubSub();
        StatefulRedisConnection<String, String> tracked2 = resp2.connect();
        StatefulRedisConnection<String, String> target = resp3.connect();
        StatefulRedisConnection<String, String> tracked3 = resp3.connect()) {
      subscriber.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, @Nullable String message) {
              synchronized (viaPubSub) {
                viaPubSub.add(String.valueOf(message));
              }
            }
          });
      long subscriberId = subscriber.sync().clientId();
      subscriber.sync().subscribe(CHANNEL);
      tracked2.sync().clientTracking(probeTracking(subscriberId));
      target.addListener(
          (PushListener)
              push -> {
                if (push.getType().equals("invalidate")) {
                  List<Object> content = push.getContent(StringCodec.UTF8::decodeKey);
                  synchronized (viaPush) {
                    for (Object key : (List<?>) content.get(1)) {
                      viaPush.add(String.valueOf(key));
                    }
                  }
                }
              });
      long targetId = target.sync().clientId();
      tracked3.sync().clientTracking(probeTracking(targetId));

      Map<String, String> three = new LinkedHashMap<>();
      for (int i = 1; i <= 3; i++) {
        three.put(PROBE + i, "x");
      }
      writer.mset(three);
      writer.set(PROBE + "fence", "x");
      String fence = PROBE + "fence";
      await(() -> contains(viaPubSub, fence) && contains(viaPush, fence), FENCE_LIMIT, "the probe");
      String report =
          String.format(
              "one MSET of %s under BCAST: RESP2 pub/sub delivered %s, RESP3 push delivered %s",
              three.keySet(), without(viaPubSub, fence), without(viaPush, fence));
      writer.del(three.keySet().toArray(new String[0]));
      writer.del(fence);
      return report;
    }
  }

  private static TrackingArgs probeTracking(long redirect) {
    return TrackingArgs.Builder.enabled().redirect(redirect).bcast().prefixes(PROBE);
  }

  private static boolean contains(List<String> list, String value) {
    synchronized (list) {
      return list.contains(value);
    }
  }

  private static List<String> without(List<String> list, String value) {
    synchronized (list) {
      return list.stream().filter(s -> !s.equals(value)).collect(Collectors.toList());
    }
  }

  /** Sets every key of both prefixes, and the fence, to version 0. */
  private static void load(RedisCommands<String, String> admin, int keys) {
    for (String prefix : List.of(USERS, OTHER)) {
      for (int from = 0; from < keys; from += 1000) {
        Map<String, String> batch = new HashMap<>();
        for (int i = from; i < Math.min(keys, from + 1000); i++) {
          batch.put(prefix + i, version(0));
        }
        admin.mset(batch);
      }
    }
    admin.set(FENCE, version(0));
  }

  private static void unload(RedisCommands<String, String> admin, int keys) {
    for (String prefix : List.of(USERS, OTHER)) {
      for (int from = 0; from < keys; from += 1000) {
        admin.unlink(
            IntStream.range(from, Math.min(keys, from + 1000))
                .mapToObj(i -> prefix + i)
                .toArray(String[]::new));
      }
    }
    admin.unlink(FENCE);
  }

  /** Counts the near-tier values that differ from Redis's once every invalidation has arrived. */
  private static long stale(RedisCommands<String, String> admin, int keys, List<Engine> engines) {
    Map<String, String> current = new HashMap<>();
    for (int from = 0; from < keys; from += 1000) {
      for (KeyValue<String, String> kv :
          admin.mget(
              IntStream.range(from, Math.min(keys, from + 1000))
                  .mapToObj(i -> USERS + i)
                  .toArray(String[]::new))) {
        current.put(kv.getKey(), kv.getValueOrElse(null));
      }
    }
    long stale = 0;
    for (Engine engine : engines) {
      stale += engine.countStale(current);
    }
    return stale;
  }

  /** A value of fixed length (16 bytes), so that writes do not change the data set's size. */
  static String version(long version) {
    return String.format(Locale.ROOT, "%016d", version);
  }

  private static void await(BooleanSupplier condition, Duration limit, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " did not arrive within " + limit);
      }
      TimeUnit.MILLISECONDS.sleep(1); // polling: the message comes on a Lettuce I/O thread
    }
  }

  static Map<String, String> info(RedisCommands<String, String> admin, String section) {
    Map<String, String> fields = new HashMap<>();
    for (String line : admin.info(section).split("\r?\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /**
   * {@code used_memory} and, within it, {@code mem_clients_normal}: the connections' query and
   * output buffers, which move by tens of kilobytes per connection whatever the mode.
   */
  record Memory(long used, long clients) {

    /**
     * How long the connections stay idle before a reading. Redis's {@code clientsCron} (10 times a
     * second, a few clients each time) frees the query buffer of a client idle for more than 2 s
     * and only then updates {@code mem_clients_normal}; read sooner, {@code used_memory} still
     * holds the 16 KiB or more each new connection's first command allocated.
     */
    static final Duration SETTLE = Duration.ofSeconds(3);

    static Memory settled(RedisCommands<String, String> admin) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(SETTLE.toNanos()); // a time the server's cron counts, not an event
      Map<String, String> memory = info(admin, "memory");
      return new Memory(
          Long.parseLong(memory.get("used_memory")),
          Long.parseLong(memory.get("mem_clients_normal")));
    }

    long withoutClients() {
      return used - clients;
    }
  }

  private static double cpuSeconds(RedisCommands<String, String> admin) {
    Map<String, String> cpu = info(admin, "cpu");
    return Double.parseDouble(cpu.get("used_cpu_user"))
        + Double.parseDouble(cpu.get("used_cpu_sys"));
  }

  private static void requireLoopback(String uri) throws UnknownHostException {
    String host = RedisURI.create(uri).getHost();
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      throw new IllegalArgumentException("REDIS_URL must name a loopback server: " + uri);
    }
  }

  private static void startWatchdog() {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                TimeUnit.NANOSECONDS.sleep(HARD_LIMIT.toNanos()); // the program's time limit
              } catch (InterruptedException e) {
                return;
              }
              System.err.println("# TrackingModes ran longer than " + HARD_LIMIT + ": stopping");
              System.exit(3); // exit hooks stop the redis-server
            },
            "tracking-modes-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static String tables(List<Result> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| mode | tracking-table-max-keys | used_memory before | after | Δ | Δ mem_clients_normal"
            + " | Δ without clients | tracking_total_keys | tracking_total_items"
            + " | tracking_total_prefixes | Redis CPU s | wall s |\n");
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d | %,d | %+,d | %+,d | %+,d | %s | %s | %s | %.2f | %.1f |%n",
              r.run().name(),
              r.run().tableMaxKeys(),
              r.memoryBefore().used(),
              r.memoryAfter().used(),
              r.memoryAfter().used() - r.memoryBefore().used(),
              r.memoryAfter().clients() - r.memoryBefore().clients(),
              r.memoryAfter().withoutClients() - r.memoryBefore().withoutClients(),
              r.stat("tracking_total_keys"),
              r.stat("tracking_total_items"),
              r.stat("tracking_total_prefixes"),
              r.cpuSeconds(),
              r.wallSeconds()));
    }
    out.append('\n');
    out.append(
        "| mode | writes rt:users / rt:other | invalidations received | per write | per rt:users"
            + " write | per rt:other write | for keys not held | flushes | hit ratio | hit ratio,"
            + " 2nd half | stores refused | stale at end |\n");
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (Result r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d / %,d | %,d | %.2f | %.2f | %.2f | %.1f%% | %,d | %.1f%% | %.1f%% | %,d"
                  + " | %,d |%n",
              r.run().name(),
              r.writes().users(),
              r.writes().other(),
              r.messages(),
              ratio(r.messages(), r.writes().total()),
              ratio(r.usersMessages(), r.writes().users()),
              ratio(r.otherMessages(), r.writes().other()),
              100 * ratio(r.notHeld(), r.messages()),
              r.flushes(),
              100 * ratio(r.hits(), r.reads()),
              100 * ratio(r.hitsSecondHalf(), r.reads() / 2),
              r.refused(),
              r.stale()));
    }
    return out.toString();
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  /** One tracking mode to measure. */
  record Run(String name, boolean bcast, @Nullable String prefix, long tableMaxKeys) {
    TrackingArgs tracking(long redirect) {
      TrackingArgs args = TrackingArgs.Builder.enabled().redirect(redirect);
      if (bcast) {
        args.bcast();
      }
      if (prefix != null) {
        args.prefixes(prefix);
      }
      return args;
    }
  }

  /** What one mode measured. */
  record Result(
      Run run,
      Memory memoryBefore,
      Memory memoryAfter,
      Map<String, String> stats,
      double cpuSeconds,
      double wallSeconds,
      Writes writes,
      long messages,
      long usersMessages,
      long otherMessages,
      long notHeld,
      long flushes,
      long reads,
      long hits,
      long hitsSecondHalf,
      long refused,
      long stale) {

    static Result of(
        Run run,
        Memory memoryBefore,
        Memory memoryAfter,
        Map<String, String> stats,
        double cpuSeconds,
        double wallSeconds,
        Writes writes,
        List<Engine> engines,
        long reads,
        long stale) {
      long hits = 0;
      long hitsSecondHalf = 0;
      long refused = 0;
      for (Engine e : engines) {
        hits += e.hits;
        hitsSecondHalf += e.hitsSecondHalf;
        refused += e.refused;
      }
      return new Result(
          run,
          memoryBefore,
          memoryAfter,
          Map.copyOf(stats),
          Math.round(cpuSeconds * 100) / 100.0,
          Math.round(wallSeconds * 10) / 10.0,
          writes,
          engines.stream().mapToLong(e -> e.messages.sum()).sum(),
          engines.stream().mapToLong(e -> e.usersMessages.sum()).sum(),
          engines.stream().mapToLong(e -> e.otherMessages.sum()).sum(),
          engines.stream().mapToLong(e -> e.notHeld.sum()).sum(),
          engines.stream().mapToLong(e -> e.flushes.sum()).sum(),
          reads,
          hits,
          hitsSecondHalf,
          refused,
          stale);
    }

    String stat(String name) {
      String value = stats.get(name);
      return value == null ? "n/a" : String.format(Locale.ROOT, "%,d", Long.parseLong(value));
    }
  }

  /**
   * A simulated engine: its invalidation connection, its tracked data connection and its near tier.
   *
   * <p>The near tier maps a key to its value or to the {@link Lease} of a read under way. A miss
   * puts a fresh lease, GETs, and stores the value only if its lease is still there; an
   * invalidation removes whatever the key maps to. So an invalidation that arrives (on the other
   * connection) while the GET is under way is never undone by that GET's store: the store is
   * refused and counted. Without the lease, such a store would keep a value no later message
   * corrects.
   */
  static final class Engine implements AutoCloseable {

    /** A read under way; identity only. */
    private static final class Lease {}

    private final StatefulRedisPubSubConnection<String, String> invalidations;
    private final StatefulRedisConnection<String, String> data;
    private final Map<String, Object> near = new ConcurrentHashMap<>();
    private volatile boolean fenceSeen;

    final LongAdder messages = new LongAdder();
    final LongAdder usersMessages = new LongAdder();
    final LongAdder otherMessages = new LongAdder();
    final LongAdder notHeld = new LongAdder();
    final LongAdder flushes = new LongAdder();

    // written by the engine's reading thread, read after it is done
    long hits;
    long hitsSecondHalf;
    long refused;

    private Engine(
        StatefulRedisPubSubConnection<String, String> invalidations,
        StatefulRedisConnection<String, String> data) {
      this.invalidations = invalidations;
      this.data = data;
    }

    static Engine connect(RedisClient client, Run run) {
      StatefulRedisPubSubConnection<String, String> invalidations = client.connectPubSub();
      StatefulRedisConnection<String, String> data = client.connect();
      Engine engine = new Engine(invalidations, data);
      invalidations.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, @Nullable String key) {
              engine.invalidate(key);
            }
          });
      // the id first: a subscribed RESP2 connection takes no other command
      long id = invalidations.sync().clientId();
      invalidations.sync().subscribe(CHANNEL);
      data.sync().clientTracking(run.tracking(id));
      return engine;
    }

    /** Handles one invalidation message: a key, or {@code null} for "flush everything". */
    private void invalidate(@Nullable String key) {
      if (key == null) {
        flushes.increment();
        near.clear();
        return;
      }
      if (key.equals(FENCE)) {
        fenceSeen = true;
        return;
      }
      messages.increment();
      if (key.startsWith(USERS)) {
        usersMessages.increment();
      } else if (key.startsWith(OTHER)) {
        otherMessages.increment();
      }
      if (near.remove(key) == null) {
        notHeld.increment();
      }
    }

    void readAll(int reads, Zipf zipf, long seed, LongAdder allReads, CountDownLatch go) {
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      SplittableRandom random = new SplittableRandom(seed);
      RedisCommands<String, String> commands = data.sync();
      for (int i = 0; i < reads; i++) {
        String key = USERS + zipf.next(random);
        if (near.get(key) instanceof String) {
          hits++;
          if (i >= reads / 2) {
            hitsSecondHalf++;
          }
        } else {
          Lease lease = new Lease();
          near.put(key, lease);
          String value = commands.get(key);
          if (value == null || !near.replace(key, lease, value)) {
            refused++;
          }
        }
        allReads.increment();
      }
    }

    void readFence() {
      fenceSeen = false;
      data.sync().get(FENCE);
    }

    boolean fenceSeen() {
      return fenceSeen;
    }

    long countStale(Map<String, String> current) {
      long stale = 0;
      for (Map.Entry<String, Object> entry : near.entrySet()) {
        if (entry.getValue() instanceof String
            && !entry.getValue().equals(current.get(entry.getKey()))) {
          stale++;
        }
      }
      return stale;
    }

    @Override
    public void close() {
      data.close();
      invalidations.close();
    }
  }

  /** Ranks {@code 0..n-1} drawn with probability proportional to {@code 1 / (rank + 1)^skew}. */
  static final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double skew) {
      cumulative = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1 / Math.pow(i + 1, skew);
        cumulative[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    int next(SplittableRandom random) {
      int found = Arrays.binarySearch(cumulative, random.nextDouble());
      return Math.min(found >= 0 ? found : -found - 1, cumulative.length - 1);
    }
  }

  /**
   * The workload's sizes, fixed seed included.
   *
   * @param engines simulated engines connected at once
   * @param reads reads each engine makes
   * @param keys keys under each of the two prefixes
   * @param skew the Zipf exponent of the reads (0: uniform)
   * @param writeEvery one write per this many reads of all engines together
   * @param zipfWrites whether written keys follow the reads' Zipf distribution (else uniform)
   * @param smallTable {@code tracking-table-max-keys} of the small-table run
   * @param seed the seed every random choice derives from
   */
  record Settings(
      int engines,
      int reads,
      int keys,
      double skew,
      int writeEvery,
      boolean zipfWrites,
      long smallTable,
      long seed) {

    static final Settings DEFAULTS = new Settings(20, 25_000, 20_000, 0.99, 100, false, 1_000, 42);

    private static final Set<String> NAMES =
        Set.of("engines", "reads", "keys", "skew", "writeEvery", "writeKeys", "smallTable", "seed");

    Settings {
      requireArgument(engines > 0, "engines must be positive: %s", engines);
      requireArgument(reads > 0, "reads must be positive: %s", reads);
      requireArgument(keys > 0, "keys must be positive: %s", keys);
      requireArgument(skew >= 0, "skew must not be negative: %s", skew);
      requireArgument(writeEvery > 0, "writeEvery must be positive: %s", writeEvery);
      requireArgument(smallTable > 0, "smallTable must be positive: %s", smallTable);
    }

    /** Reads {@code name=value} arguments over the defaults. */
    static Settings parse(String... args) {
      Map<String, String> given = new HashMap<>();
      for (String arg : args) {
        int eq = arg.indexOf('=');
        requireArgument(
            eq > 0 && NAMES.contains(arg.substring(0, eq)),
            "arguments are name=value with a name of %s: %s",
            NAMES,
            arg);
        given.put(arg.substring(0, eq), arg.substring(eq + 1));
      }
      Settings d = DEFAULTS;
      String writeKeys = given.getOrDefault("writeKeys", d.zipfWrites() ? "zipf" : "uniform");
      requireArgument(
          writeKeys.equals("uniform") || writeKeys.equals("zipf"),
          "writeKeys must be uniform or zipf: %s",
          writeKeys);
      return new Settings(
          Integer.parseInt(given.getOrDefault("engines", Integer.toString(d.engines()))),
          Integer.parseInt(given.getOrDefault("reads", Integer.toString(d.reads()))),
          Integer.parseInt(given.getOrDefault("keys", Integer.toString(d.keys()))),
          Double.parseDouble(given.getOrDefault("skew", Double.toString(d.skew()))),
          Integer.parseInt(given.getOrDefault("writeEvery", Integer.toString(d.writeEvery()))),
          writeKeys.equals("zipf"),
          Long.parseLong(given.getOrDefault("smallTable", Long.toString(d.smallTable()))),
          Long.parseLong(given.getOrDefault("seed", Long.toString(d.seed()))));
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "engines=%d reads=%d (per engine) keys=%d (per prefix) skew=%s writeEvery=%d"
              + " writeKeys=%s smallTable=%d seed=%d",
          engines,
          reads,
          keys,
          skew,
          writeEvery,
          zipfWrites ? "zipf" : "uniform",
          smallTable,
          seed);
    }

    private static void requireArgument(boolean ok, String message, Object... args) {
      if (!ok) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, message, args));
      }
    }
  }
}
