package dev.readthrough.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on a loopback port in front of a Redis that holds every reply back for a set delay,
 * as a Redis behind a slow network answers: each command still gets its reply, in order, only
 * later. Requests pass at once, and replies that arrive together leave together, so commands sent
 * at the same time are answered at the same time; commands sent one after another wait one delay
 * each.
 *
 * <p>The delay can be changed at any time ({@link #delay}); it applies to replies arriving from
 * then on. Closing the proxy drops every connection through it.
 */
public final class SlowProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile long delayNanos;
  private volatile boolean closed;

  private SlowProxy(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
  }

  /**
   * Starts a proxy to the Redis listening on loopback port {@code targetPort}, with no delay.
   *
   * @throws UncheckedIOException if no loopback port can be opened
   */
  public static SlowProxy to(int targetPort) {
    ServerSocket server;
    try {
      server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a loopback port for the proxy", e);
    }
    SlowProxy proxy = new SlowProxy(server, targetPort);
    daemon("slow-proxy-accept-" + server.getLocalPort(), proxy::accept);
    return proxy;
  }

  /** Returns the URI a client connects with, such as {@code redis://127.0.0.1:6400}. */
  public String uri() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /** Holds each reply arriving from now on back for {@code delay} ({@code ZERO}: none). */
  public void delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    delayNanos = delay.toNanos();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    sockets.forEach(SlowProxy::closeQuietly);
    sockets.clear();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      sockets.add(client);
      sockets.add(upstream);
      BlockingQueue<Chunk> replies = new LinkedBlockingQueue<>();
      String name = "slow-proxy-" + client.getPort();
      daemon(name + "-requests", () -> copy(client, upstream));
      daemon(name + "-replies-in", () -> readReplies(upstream, replies));
      daemon(name + "-replies-out", () -> writeReplies(replies, client, upstream));
    }
  }

  private static void copy(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // a side closed: the connection ends
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void readReplies(Socket upstream, BlockingQueue<Chunk> replies) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = upstream.getInputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        replies.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, read)));
      }
    } catch (IOException e) {
      // a side closed: the connection ends
    } finally {
      replies.add(Chunk.END); // the writer closes the client once the replies before it are out
    }
  }

  private static void writeReplies(BlockingQueue<Chunk> replies, Socket client, Socket upstream) {
    try (OutputStream out = client.getOutputStream()) {
      while (true) {
        Chunk chunk = replies.take();
        if (chunk == Chunk.END) {
          return;
        }
        long wait = chunk.due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // the delay this proxy exists to add
        }
        out.write(chunk.bytes);
        out.flush();
      }
    } catch (IOException e) {
      // a side closed: the connection ends
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  /** Bytes of replies read together, and when they may be passed on. */
  private static final class Chunk {
    static final Chunk END = new Chunk(0, new byte[0]);

    final long due;
    final byte[] bytes;

    Chunk(long due, byte[] bytes) {
      this.due = due;
      this.bytes = bytes;
    }
  }
}
