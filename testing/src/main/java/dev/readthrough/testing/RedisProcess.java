package dev.readthrough.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A redis-server process of this JVM's own, listening on loopback only, that a test can stop,
 * freeze ({@code SIGSTOP}), thaw and restart on the same port.
 *
 * <p>The binary is the first of: the file named by the {@code READTHROUGH_REDIS_SERVER} environment
 * variable, the redis-server shipped inside the {@code embedded-redis} jar for this OS and
 * architecture, and {@code redis-server} on the {@code PATH} (Debian's package).
 */
public final class RedisProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static @Nullable Path binary;

  private final int port;
  private final List<String> extraArgs;
  private @Nullable Process process;

  private RedisProcess(int port, List<String> extraArgs) {
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Starts a redis-server on a free loopback port, with persistence off.
   *
   * @param extraArgs further redis-server options, such as {@code "--maxmemory", "1mb"}
   * @throws IllegalStateException if no redis-server binary can be found or it does not start
   */
  public static RedisProcess start(String... extraArgs) {
    RedisProcess redis = new RedisProcess(freePort(), List.of(extraArgs));
    redis.launch();
    return redis;
  }

  /** Returns the URI a client connects with, such as {@code redis://127.0.0.1:6400}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Returns the loopback port the server listens on. */
  public int port() {
    return port;
  }

  /** Returns the operating-system process id of the running server. */
  public long pid() {
    return running().pid();
  }

  /** Returns whether the server process is alive (it may be frozen). */
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Kills the server (SIGKILL); its data is lost. Does nothing if it is not running. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    thawQuietly(p);
    p.destroyForcibly();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server pid " + p.pid() + " did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping redis-server", e);
    }
    process = null;
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    stop();
    launch();
  }

  /** Suspends the server with SIGSTOP: connections stay open and nothing answers. */
  public void freeze() {
    signal("STOP");
  }

  /** Resumes a frozen server with SIGCONT. */
  public void thaw() {
    signal("CONT");
  }

  /**
   * Sends one command over a fresh connection and returns the raw reply line, such as {@code +OK};
   * for test set-up (for example {@code CONFIG SET maxmemory 1mb}).
   */
  public String command(String... args) {
    return send(false, args);
  }

  /**
   * Sends one command and returns its whole bulk-string reply, such as what {@code INFO
   * commandstats} prints; any other reply is returned as its raw line.
   */
  public String bulkCommand(String... args) {
    return send(true, args);
  }

  private String send(boolean bulk, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      StringBuilder request = new StringBuilder().append('*').append(args.length).append("\r\n");
      for (String arg : args) {
        int length = arg.getBytes(StandardCharsets.UTF_8).length;
        request.append('$').append(length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String line = readLine(in);
      if (!bulk || !line.startsWith("$") || line.equals("$-1")) {
        return line;
      }
      byte[] body = in.readNBytes(Integer.parseInt(line.substring(1)));
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server on port " + port + " did not answer", e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RedisProcess[" + uri() + (isAlive() ? "" : ", stopped") + "]";
  }

  private synchronized void launch() {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(
        List.of(
            "--port", Integer.toString(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--loglevel", "warning"));
    command.addAll(extraArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile().toFile());
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command, e);
    }
    Process started = process;
    Thread hook = new Thread(started::destroyForcibly, "redis-server-" + port + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    awaitPing(started);
  }

  private void awaitPing(Process started) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited at start with code " + started.exitValue() + "; see " + logFile());
      }
      try {
        String reply = command("PING");
        if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH")) {
          return; // a server started with --requirepass answers, asking for the password
        }
      } catch (UncheckedIOException e) {
        last = e.getCause();
      }
      try {
        // polling a process that is starting up: there is nothing to wait on instead
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
    }
    started.destroyForcibly();
    throw new IllegalStateException(
        "redis-server did not answer PING within " + START_TIMEOUT, last);
  }

  private Process running() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("redis-server on port " + port + " is not running");
    }
    return p;
  }

  private void signal(String name) {
    long pid = running().pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void thawQuietly(Process p) {
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(p.pid()))
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // the process may already be gone; SIGKILL follows anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path logFile() {
    return Path.of(System.getProperty("java.io.tmpdir"), "readthrough-redis-" + port + ".log");
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static synchronized Path binary() {
    if (binary != null) {
      return binary;
    }
    String configured = System.getenv("READTHROUGH_REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      binary = Path.of(configured);
      return binary;
    }
    Path extracted = extractFromJar();
    if (extracted != null) {
      binary = extracted;
      return binary;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":", -1)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        binary = candidate;
        return binary;
      }
    }
    throw new IllegalStateException(
        "no redis-server found: set READTHROUGH_REDIS_SERVER, REDIS_URL, or install redis-server");
  }

  private static @Nullable Path extractFromJar() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String resource;
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      resource = "redis-server-6.2.6-v5-linux-amd64";
    } else if (os.contains("linux") && arch.equals("aarch64")) {
      resource = "redis-server-6.2.7-linux-arm64";
    } else if (os.contains("mac") && arch.equals("aarch64")) {
      resource = "redis-server-6.2.6-v5-darwin-arm64";
    } else if (os.contains("mac")) {
      resource = "redis-server-6.2.6-v5-darwin-amd64";
    } else {
      return null;
    }
    try (InputStream in = RedisProcess.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Path dir = Files.createTempDirectory("readthrough-redis");
      Path target = dir.resolve("redis-server");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      if (!target.toFile().setExecutable(true)) {
        return null;
      }
      target.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return target;
    } catch (IOException e) {
      return null;
    }
  }
}
