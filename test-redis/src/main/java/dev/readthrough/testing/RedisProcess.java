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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A redis-server process of this JVM's own, listening on loopback only, that a test can stop,
 * freeze ({@code SIGSTOP}), thaw and restart on the same port.
 *
 * <p>The binary is the first of: the file named by the {@code READTHROUGH_REDIS_SERVER} environment
 * variable, the redis-server shipped inside the {@code embedded-redis} jar for this OS and
 * architecture, and {@code redis-server} on the {@code PATH} (Debian's package).
 *
 * <p>What a server leaves in the temp folder is removed again: each run's output goes to a log file
 * that {@link #stop()} (and {@link #close()}) deletes, in one directory per JVM that also holds the
 * extracted binary. When the last running server is stopped, that directory goes too (the next
 * start extracts the binary again), so a program that stops what it starts leaves nothing behind,
 * even where its JVM's exit hooks do not run to the end (as under {@code mvn exec:java}). When the
 * JVM exits, one shutdown hook kills every server nobody stopped, then deletes the directory with
 * everything in it. (A JVM killed with {@code SIGKILL} runs no hook: its directory, named {@code
 * readthrough-redis-*}, stays behind.)
 */
public final class RedisProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  /** How much of the log a failed start quotes. */
  private static final int LOG_QUOTE = 2000;

  private static @Nullable Path binary;
  private static @Nullable Path scratch;

  /** The servers started and not yet stopped, which the JVM's exit hook kills. */
  private static final Set<RedisProcess> RUNNING = ConcurrentHashMap.newKeySet();

  private final int port;
  private final List<String> extraArgs;

  /** The configuration file named before every option (a sentinel's), if any. */
  private final @Nullable Path configFile;

  private volatile @Nullable Process process;
  private @Nullable Path logFile;

  private RedisProcess(int port, List<String> extraArgs, @Nullable Path configFile) {
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.configFile = configFile;
  }

  /**
   * Starts a redis-server on a free loopback port, with persistence off.
   *
   * @param extraArgs further redis-server options, such as {@code "--maxmemory", "1mb"}
   * @throws IllegalStateException if no redis-server binary can be found or it does not start
   */
  public static RedisProcess start(String... extraArgs) {
    RedisProcess redis = new RedisProcess(freePort(), List.of(extraArgs), null);
    redis.launch();
    return redis;
  }

  /**
   * Starts a Redis Sentinel on a free loopback port, from a configuration file of its own in this
   * JVM's scratch directory (a sentinel rewrites its file), holding {@code configLines}.
   *
   * @param configLines the file's lines, such as {@code "sentinel monitor main 127.0.0.1 6400 2"}
   * @throws IllegalStateException if no redis-server binary can be found or it does not start
   */
  public static RedisProcess startSentinel(List<String> configLines) {
    Path config;
    synchronized (RedisProcess.class) {
      try {
        config = Files.createTempFile(scratch(), "sentinel-", ".conf");
        Files.write(config, configLines);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a sentinel configuration file", e);
      }
    }
    RedisProcess sentinel = new RedisProcess(freePort(), List.of("--sentinel"), config);
    sentinel.launch();
    return sentinel;
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

  /**
   * Kills the server (SIGKILL) and deletes its log file; its data is lost. Does nothing if it is
   * not running.
   *
   * @throws IllegalStateException if the process does not exit within ten seconds
   */
  public synchronized void stop() {
    halt();
    releaseScratchIfIdle();
  }

  /** Kills the server and deletes its log, keeping the scratch directory for a restart. */
  private synchronized void halt() {
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
    RUNNING.remove(this);
    deleteLog();
  }

  /**
   * Returns the file the running server writes its output to, in this JVM's scratch directory;
   * {@code null} once it is stopped, when the file is deleted.
   */
  public synchronized @Nullable Path logFile() {
    return logFile;
  }

  /** Starts the server again on the same port, empty. */
  public synchronized void restart() {
    halt();
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
    command.add("redis-server"); // the binary's path, set below
    if (configFile != null) {
      command.add(configFile.toString());
    }
    command.addAll(
        List.of(
            "--port", Integer.toString(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--loglevel", "warning"));
    command.addAll(extraArgs);
    Path log;
    Process started;
    // under the class's lock from finding the binary to joining RUNNING, so that the last server
    // stopping meanwhile cannot delete the scratch directory under this start
    synchronized (RedisProcess.class) {
      command.set(0, binary().toString());
      try {
        log = Files.createTempFile(scratch(), "redis-" + port + "-", ".log");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a log file for redis-server", e);
      }
      logFile = log;
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(scratch().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      try {
        started = builder.start();
      } catch (IOException e) {
        deleteLog();
        throw new IllegalStateException("cannot start " + command, e);
      }
      process = started;
      RUNNING.add(this);
    }
    try {
      awaitPing(started, log);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  private void awaitPing(Process started, Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited at start with code "
                + started.exitValue()
                + "; its output: "
                + tail(log));
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
    throw new IllegalStateException(
        "redis-server did not answer PING within " + START_TIMEOUT + "; its output: " + tail(log),
        last);
  }

  /** The end of a log file, for an error message; the file is about to be deleted. */
  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return "(none)";
      }
      return text.length() <= LOG_QUOTE ? text : "..." + text.substring(text.length() - LOG_QUOTE);
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private synchronized void deleteLog() {
    Path log = logFile;
    logFile = null;
    if (log != null) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // the exit hook removes the whole directory
      }
    }
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

  /**
   * Returns this JVM's scratch directory (the extracted binary and the log files), creating it and
   * the exit hook that removes it on first use.
   */
  static synchronized Path scratch() {
    Path dir = scratch;
    if (dir != null) {
      return dir;
    }
    try {
      dir = Files.createTempDirectory("readthrough-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory in the temp folder", e);
    }
    Path created = dir;
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> cleanUp(created), "readthrough-redis-cleanup"));
    scratch = dir;
    return dir;
  }

  /**
   * Deletes the scratch directory, and forgets the binary extracted into it, once no server of this
   * JVM runs.
   */
  private static synchronized void releaseScratchIfIdle() {
    Path dir = scratch;
    if (dir == null || !RUNNING.isEmpty()) {
      return;
    }
    if (binary != null && binary.startsWith(dir)) {
      binary = null;
    }
    scratch = null;
    deleteTree(dir);
  }

  /** At JVM exit: kills every server nobody stopped, then deletes the scratch directory. */
  private static void cleanUp(Path dir) {
    List<Process> killed = new ArrayList<>();
    for (RedisProcess redis : RUNNING) {
      Process p = redis.process;
      if (p != null) {
        p.destroyForcibly();
        killed.add(p);
      }
    }
    for (Process p : killed) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    // another exit hook may be stopping a server (and deleting its log) meanwhile: a walk that
    // trips over a file deleted under it is simply run again
    for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(RedisProcess::deleteQuietly);
      } catch (IOException | UncheckedIOException e) {
        // try again
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left behind; nothing more can be done while the JVM exits
    }
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
      Path target = scratch().resolve("redis-server");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      if (!target.toFile().setExecutable(true)) {
        return null;
      }
      return target;
    } catch (IOException e) {
      return null;
    }
  }
}
