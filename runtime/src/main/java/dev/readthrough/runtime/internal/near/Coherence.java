package dev.readthrough.runtime.internal.near;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.runtime.internal.redis.RedisStore;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.redisson.client.ChannelName;
import org.redisson.client.NettyHook;
import org.redisson.client.RedisClient;
import org.redisson.client.RedisClientConfig;
import org.redisson.client.RedisConnection;
import org.redisson.client.RedisPubSubConnection;
import org.redisson.client.RedisPubSubListener;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what Redis says about the keys this JVM holds copies of: two connections of the engine's
 * own, one subscribed to {@code __redis__:invalidate} and one holding {@code CLIENT TRACKING ON
 * REDIRECT <the first> BCAST PREFIX <each near cache's key head>}, and from them which keys changed
 * and whether copies may be kept at all.
 *
 * <h2>The protocol</h2>
 *
 * Redis sends an invalidation on the subscribed connection for every change of a key under a
 * registered prefix — by any client, expiry and eviction included — and one with no keys for a
 * flush. Replies to reads come on other connections, so an invalidation may overtake the reply of a
 * GET that Redis answered before the change. Copies are guarded by tickets, as Lettuce's
 * client-side cache guards them with a pending marker:
 *
 * <ol>
 *   <li>A reader takes a {@link #ticket} for the key <em>before</em> it sends the GET: the link's
 *       generation and the key's stripe counter.
 *   <li>An invalidation first bumps the stripe of each of its keys, then removes their copies.
 *   <li>The reader, once the reply is in, installs a copy only if the ticket is still {@link
 *       #valid}, and checks it again after the install, removing its own copy if it changed
 *       meanwhile. So an invalidation that came before the install stops it, and one that came
 *       after removes the copy: a copy of a value older than the last change never stays.
 * </ol>
 *
 * A stripe covers many keys ({@value #STRIPES} of them per engine): an invalidation of one key may
 * stop the install of another, which costs one more remote hit, never a wrong value.
 *
 * <p>When either connection closes (Redis restarted, the network dropped, a ping went unanswered),
 * what changed meanwhile is unknown. The link is then down: the generation moves on, so no install
 * begun before completes, and no new copy is kept. Copies already held keep serving until their
 * local TTL, as the contract has them do while Redis is down. A daemon thread re-arms the link with
 * two new connections; once tracking is back it drops every copy, moves the generation on again and
 * lets copies be kept. The engine does the same when its circuit breaker closes again ({@link
 * #reopened}).
 *
 * <h2>Which closes count</h2>
 *
 * A close is heard from the channel itself (a handler at the end of each connection's pipeline),
 * and counts only if the channel is that of the link's current subscriber or tracker. The link
 * forgets its connections before it closes them, so its own closes (a re-arm replacing the old
 * pair) never count: otherwise each re-arm would hear its predecessor's close and schedule another,
 * without end. A connection that closed is closed for good, never reconnected by Redisson's
 * watchdog: a reconnected subscriber would have a new client id that no tracking redirects to.
 *
 * <p>Arming and losing the link are ordered by one lock, held only briefly and never across a Redis
 * call: a loss moves the link's epoch on, and an arm that began in an earlier epoch does not let
 * copies be kept.
 */
public final class Coherence implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);
  private static final String CHANNEL = "__redis__:invalidate";
  static final int STRIPES = 4096;

  private final RedisClientConfig clientConfig;
  private final long retryMillis;
  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
  private final Map<String, NearTier> tiers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService rearm;
  private final EventLoopGroup io;
  private final HashedWheelTimer timer;
  private final ExecutorService callbacks;
  private final RedisClient client;

  private final AtomicLong generation = new AtomicLong();
  private final Object state = new Object();
  private long epoch; // guarded by state: moves on with each loss of the link and each new tier
  private volatile boolean armed; // written under state
  private volatile boolean closed;
  private volatile boolean rearmScheduled;
  private volatile @Nullable RedisPubSubConnection subscriber; // written under this
  private volatile @Nullable RedisConnection tracker; // written under this

  /**
   * Test hook: runs on the subscriber's thread after the invalidation of each key was applied, with
   * the key ({@code ""} for a flush). Redis sends invalidations in order on one connection.
   */
  public volatile @Nullable Consumer<String> afterInvalidation;

  /**
   * Test hook: sends a {@code PING} on the subscriber connection without waiting for its reply, so
   * that a test can have an invalidation arrive while a command of the connection is pending.
   *
   * @return the PING's reply
   */
  public CompletionStage<String> pingSubscriber() {
    RedisPubSubConnection sub = subscriber;
    if (sub == null) {
      throw new IllegalStateException("tracking is not armed");
    }
    return sub.async(StringCodec.INSTANCE, RedisCommands.PING);
  }

  /** Test hook: runs once tracking is armed and every copy was dropped. */
  public volatile @Nullable Runnable afterArmed;

  /** Test hook: runs on the re-arming thread after the old connections were closed. */
  public volatile @Nullable Runnable afterOldConnectionsClosed;

  /** Test hook: runs on the I/O thread for each closed channel of the link, counted or not. */
  public volatile @Nullable Consumer<Channel> afterClose;

  /** How many times the link was lost by a close of one of its current connections; for tests. */
  public final AtomicLong losses = new AtomicLong();

  private Coherence(RedisClientConfig clientConfig, long retryMillis) {
    this.retryMillis = retryMillis;
    this.rearm =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "readthrough-tracking");
              thread.setDaemon(true);
              return thread;
            });
    this.io =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("readthrough-tracking-io", true),
            NioIoHandler.newFactory());
    this.timer = new HashedWheelTimer(new DefaultThreadFactory("readthrough-tracking-timer", true));
    this.callbacks =
        Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("readthrough-tracking-callbacks", true));
    this.clientConfig =
        clientConfig
            .setGroup(io)
            .setSocketChannelClass(NioSocketChannel.class)
            .setResolverGroup(DefaultAddressResolverGroup.INSTANCE)
            .setTimer(timer)
            .setExecutor(callbacks)
            .setNettyHook(new Pipelines());
    this.client = RedisClient.create(this.clientConfig);
  }

  /**
   * The coherence of a single Redis server's copies, or {@code null} if {@code redisson} is not a
   * single-server configuration (the near tier is then off, and the engine says so).
   *
   * @param operationTimeoutMillis how long a tracking command waits, and the ping interval
   */
  public static @Nullable Coherence forServer(
      Config redisson, long operationTimeoutMillis, long retryMillis) {
    if (!redisson.isSingleConfig()) {
      return null;
    }
    SingleServerConfig server = new Config(redisson).useSingleServer();
    RedisClientConfig config =
        new RedisClientConfig()
            .setAddress(server.getAddress())
            .setUsername(server.getUsername())
            .setPassword(server.getPassword())
            .setDatabase(server.getDatabase())
            .setConnectTimeout(server.getConnectTimeout())
            .setCommandTimeout((int) Math.max(1, operationTimeoutMillis))
            .setPingConnectionInterval((int) Math.max(100, operationTimeoutMillis))
            .setClientName("readthrough-tracking");
    if (server.getSslTruststore() != null || server.getAddress().startsWith("rediss:")) {
      config
          .setSslTruststore(server.getSslTruststore())
          .setSslTruststorePassword(server.getSslTruststorePassword())
          .setSslKeystore(server.getSslKeystore())
          .setSslKeystorePassword(server.getSslKeystorePassword())
          .setSslProtocols(server.getSslProtocols());
    }
    return new Coherence(config, retryMillis);
  }

  /**
   * Registers a near cache: its key head becomes a tracked prefix. Tracking is (re-)armed with it
   * on the link's thread; until then the tier keeps no copy.
   */
  public void register(NearTier tier) {
    if (tiers.putIfAbsent(tier.head(), tier) == null) {
      synchronized (state) {
        epoch++;
        armed = false;
        generation.incrementAndGet();
      }
      scheduleRearm(0);
    }
  }

  /** A ticket for a read of {@code key}, taken before the read is sent. */
  public long ticket(String key) {
    if (!armed) {
      return -1;
    }
    return (generation.get() << 32) ^ (stripes.get(stripe(key)) & 0xFFFF_FFFFL);
  }

  /** Whether a copy of what a read with {@code ticket} found may be kept (see the protocol). */
  public boolean valid(long ticket, String key) {
    return ticket != -1 && armed && ticket == ticket(key);
  }

  /** Whether copies are kept now: tracking is armed. */
  public boolean isArmed() {
    return armed;
  }

  /** The breaker closed again: what changed while Redis was not used is unknown. */
  public void reopened() {
    generation.incrementAndGet();
    clearAll();
  }

  /** A key changed through this engine: its stripe moves on and its copy goes. */
  void changedHere(String key, NearTier tier) {
    stripes.incrementAndGet(stripe(key));
    tier.drop(key);
  }

  /** A whole cache changed through this engine. */
  void clearedHere(NearTier tier) {
    generation.incrementAndGet();
    tier.clear();
  }

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  private void invalidated(@Nullable Object message) {
    if (message instanceof List<?> keys) {
      for (Object key : keys) {
        invalidate(String.valueOf(key));
      }
    } else if (message == null) {
      generation.incrementAndGet(); // a flush: every key changed
      clearAll();
      applied("");
    } else {
      invalidate(String.valueOf(message));
    }
  }

  private void invalidate(String key) {
    stripes.incrementAndGet(stripe(key));
    for (NearTier tier : tiers.values()) {
      if (key.startsWith(tier.head())) {
        tier.drop(key);
      }
    }
    applied(key);
  }

  private void applied(String key) {
    Consumer<String> hook = afterInvalidation;
    if (hook != null) {
      hook.accept(key);
    }
  }

  private void clearAll() {
    for (NearTier tier : tiers.values()) {
      tier.clear();
    }
  }

  /**
   * A channel of the link closed; it counts only if it is the current subscriber's or tracker's.
   */
  private void closed(Channel channel) {
    RedisPubSubConnection sub = subscriber;
    RedisConnection track = tracker;
    RedisConnection dropped =
        sub != null && sub.getChannel() == channel
            ? sub
            : track != null && track.getChannel() == channel ? track : null;
    if (dropped == null || closed) {
      heardClose(channel);
      return; // a connection this link already replaced, or the link is shut
    }
    dropped.closeAsync(); // closed for good: no reconnect by the watchdog
    boolean wasArmed;
    synchronized (state) {
      epoch++;
      wasArmed = armed;
      armed = false;
      generation.incrementAndGet();
    }
    losses.incrementAndGet();
    if (wasArmed) {
      LOG.warn(
          "Near cache: Redis tracking lost (the connection to {} closed); local copies serve until"
              + " their local TTL, and are all dropped once tracking is back",
          channel.remoteAddress());
    }
    heardClose(channel);
    scheduleRearm(retryMillis);
  }

  private void heardClose(Channel channel) {
    Consumer<Channel> hook = afterClose;
    if (hook != null) {
      hook.accept(channel);
    }
  }

  private void scheduleRearm(long delayMillis) {
    if (closed || rearmScheduled) {
      return;
    }
    rearmScheduled = true;
    try {
      rearm.schedule(this::arm, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
      rearmScheduled = false;
    }
  }

  private void arm() {
    rearmScheduled = false;
    if (closed) {
      return;
    }
    try {
      long armingEpoch;
      synchronized (this) {
        closeConnections();
        Runnable closedHook = afterOldConnectionsClosed;
        if (closedHook != null) {
          closedHook.run();
        }
        synchronized (state) {
          armingEpoch = epoch;
        }
        RedisPubSubConnection sub = client.connectPubSub();
        subscriber = sub;
        Long id = sub.sync(RedisCommands.CLIENT_ID);
        sub.addListener(
            new ChannelName(CHANNEL),
            new RedisPubSubListener<Object>() {
              @Override
              public void onMessage(CharSequence channel, Object message) {
                invalidated(message);
              }
            });
        sub.subscribe(StringCodec.INSTANCE, new ChannelName(CHANNEL)).syncUninterruptibly();
        RedisConnection track = client.connect();
        tracker = track;
        List<Object> args = new ArrayList<>(List.of("ON", "REDIRECT", id, "BCAST"));
        for (String head : tiers.keySet()) {
          args.add("PREFIX");
          args.add(head);
        }
        track.sync(RedisCommands.CLIENT_TRACKING, args.toArray());
        if (!sub.isActive() || !track.isActive()) {
          throw new IllegalStateException("a tracking connection closed while being armed");
        }
      }
      synchronized (state) {
        if (epoch != armingEpoch || closed) {
          throw new IllegalStateException("the link was lost, or a tier added, while being armed");
        }
        generation.incrementAndGet();
        clearAll();
        armed = true;
      }
      LOG.debug("Near cache: Redis tracking armed for {}", tiers.keySet());
      Runnable hook = afterArmed;
      if (hook != null) {
        hook.run();
      }
    } catch (RuntimeException e) {
      synchronized (state) {
        armed = false;
        generation.incrementAndGet();
      }
      LOG.debug("Near cache: cannot arm Redis tracking yet: {}", RedisStore.safeMessage(e));
      scheduleRearm(retryMillis);
    }
  }

  private void closeConnections() {
    RedisPubSubConnection sub = subscriber;
    RedisConnection track = tracker;
    subscriber = null;
    tracker = null;
    if (sub != null) {
      sub.closeAsync();
    }
    if (track != null) {
      track.closeAsync();
    }
  }

  /** Closes the connections and the threads; copies are no longer kept. */
  @Override
  public void close() {
    closed = true;
    synchronized (state) {
      armed = false;
      generation.incrementAndGet();
    }
    rearm.shutdownNow();
    synchronized (this) {
      closeConnections();
    }
    client.shutdown();
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    timer.stop();
    callbacks.shutdownNow();
  }

  /**
   * Fits each channel of the link as Redisson builds it, before it is active: the subscriber's
   * decoder becomes an {@link InvalidationDecoder}, and every channel reports its close to {@link
   * #closed}. Done here, on the channel's own thread before any byte is read, so that no reply can
   * pass while a decoder is being swapped (a swap on a live channel lets a reply through undecoded,
   * and the connection's next command then waits for it forever).
   */
  private final class Pipelines implements NettyHook {
    @Override
    public void afterBoostrapInitialization(Bootstrap bootstrap) {}

    @Override
    public void afterChannelInitialization(Channel channel) {
      InvalidationDecoder.installOn(channel.pipeline(), clientConfig);
      channel
          .pipeline()
          .addLast(
              "readthrough-tracking-closed",
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                  closed(ctx.channel());
                  super.channelInactive(ctx);
                }
              });
    }
  }
}
