package dev.readthrough.runtime.internal.redis;

import dev.readthrough.runtime.ReadThroughEngine;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.TransportMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a Redisson client the engine created itself, with its threads: its I/O and callback threads
 * are daemons of its own, and its timer thread is made one, so that a {@code main} that returns
 * without {@code close()} lets the JVM exit. The client connects lazily, on its first command, so
 * that the timer thread can still be made a daemon.
 */
record OwnedClient(
    RedissonClient client, @Nullable EventLoopGroup io, @Nullable ExecutorService callbacks) {

  private static final Logger LOG = LoggerFactory.getLogger(ReadThroughEngine.class);

  /**
   * Creates the client from {@code base}, on daemon threads of its own.
   *
   * @throws RuntimeException what Redisson threw; the threads are shut down then
   */
  static OwnedClient create(Config base) {
    Config own = new Config(base);
    own.setLazyInitialization(true);
    EventLoopGroup io = null;
    if (own.getEventLoopGroup() == null && own.getTransportMode() == TransportMode.NIO) {
      io =
          new MultiThreadIoEventLoopGroup(
              own.getNettyThreads(),
              new DefaultThreadFactory("readthrough-redis-io", true),
              NioIoHandler.newFactory());
      own.setEventLoopGroup(io);
    }
    ExecutorService callbacks = null;
    if (own.getExecutor() == null) {
      int threads =
          own.getThreads() != 0 ? own.getThreads() : Runtime.getRuntime().availableProcessors() * 2;
      callbacks =
          Executors.newFixedThreadPool(
              threads, new DefaultThreadFactory("readthrough-redis-callbacks", true));
      own.setExecutor(callbacks);
    }
    RedissonClient created;
    try {
      created = Redisson.create(own);
    } catch (RuntimeException e) {
      shutDown(io, callbacks);
      throw e;
    }
    daemonTimer(created);
    return new OwnedClient(created, io, callbacks);
  }

  /** Shuts the client and its threads down. */
  void shutDown() {
    client.shutdown(0, 2, TimeUnit.SECONDS);
    shutDown(io, callbacks);
  }

  /**
   * Makes Redisson's timer thread a daemon before it starts: Redisson creates it with a factory of
   * its own, which no setting reaches. A lazily connecting client has not started it yet.
   */
  private static void daemonTimer(RedissonClient created) {
    try {
      HashedWheelTimer timer = ((Redisson) created).getServiceManager().getTimer();
      Field worker = HashedWheelTimer.class.getDeclaredField("workerThread");
      worker.setAccessible(true);
      Thread thread = (Thread) worker.get(timer);
      if (thread.getState() == Thread.State.NEW) {
        thread.setDaemon(true);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Redisson's timer thread stays a non-daemon: close() the engine before exit", e);
    }
  }

  private static void shutDown(@Nullable EventLoopGroup io, @Nullable ExecutorService callbacks) {
    if (io != null) {
      io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
    if (callbacks != null) {
      callbacks.shutdownNow();
    }
  }
}
