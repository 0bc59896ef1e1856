package dev.readthrough.reliability;

import static dev.readthrough.reliability.Engines.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.readthrough.ReadThrough;
import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each reason Redis cannot be used at start is named in the engine's log line, with the credentials
 * hidden: authentication refused (wrong, missing, or unneeded password), connection refused, timed
 * out, and an endpoint that is not Redis. And an outage against such an endpoint logs a few lines,
 * not a client banner and stack traces per probe.
 */
class ConnectionFailuresTest {

  private static final String PASSWORD = "Pw-5be21c-secret";
  private static final String WRONG_PASSWORD = "Wrong-77a0d3-secret";

  static final class Lookups {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(cache = "lookups", key = "id", ttlSeconds = 60)
    String find(int id) {
      calls.incrementAndGet();
      return "value-" + id;
    }
  }

  private LogCapture log;
  private RedisProcess redis;
  private ReadThroughEngine engine;
  private FakeServer fake;

  @BeforeEach
  void captureLogs() {
    log = LogCapture.everything();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (engine != null) {
      engine.close();
    }
    if (redis != null) {
      redis.stop();
    }
    if (fake != null) {
      fake.close();
    }
    log.close();
  }

  private static String uri(String password, int port) {
    return "redis://" + (password.isEmpty() ? "" : ":" + password + "@") + "127.0.0.1:" + port;
  }

  /** Starts the engine, checks it runs uncached, and returns its start-up warning. */
  private String startWarning(String uri) {
    engine = ReadThroughEngine.start(Engines.config(uri).build());
    Lookups lookups = new Lookups();
    assertThat(lookups.find(1)).isEqualTo("value-1");
    assertThat(lookups.find(1)).isEqualTo("value-1");
    assertThat(lookups.calls).hasValue(2);
    assertThat(engine.isRedisAvailable()).isFalse();
    List<String> started =
        log.warnings().stream().filter(w -> w.contains("started without Redis")).toList();
    assertThat(started).hasSize(1);
    assertThat(log.fullText()).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
    return started.get(0);
  }

  @Test
  void wrongPassword_isNamedAuthenticationRefused() {
    redis = RedisProcess.start("--requirepass", PASSWORD);

    assertThat(startWarning(uri(WRONG_PASSWORD, redis.port())))
        .contains("authentication refused: wrong user name or password");
  }

  @Test
  void missingPassword_isNamedAuthenticationRefused_passwordRequired() {
    redis = RedisProcess.start("--requirepass", PASSWORD);

    assertThat(startWarning(uri("", redis.port())))
        .contains("authentication refused: the server requires a password and none is configured");
  }

  @Test
  void unneededPassword_isNamedAuthenticationRefused_noPasswordSet() {
    redis = RedisProcess.start();

    assertThat(startWarning(uri(PASSWORD, redis.port())))
        .contains("authentication refused: the server needs no password, but one is configured");
  }

  @Test
  void wrongPort_isNamedConnectionRefused() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }

    assertThat(startWarning(uri("", closedPort))).contains("connection refused");
  }

  @Test
  void endpointThatIsNotRedis_isNamedNotARedisServer() throws IOException {
    fake = FakeServer.answering("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");

    assertThat(startWarning(uri(PASSWORD, fake.port())))
        .contains("not a Redis server")
        .doesNotContain("HTTP");
    assertThat(fake.received())
        .as("the password is never sent to what is not Redis")
        .doesNotContain(PASSWORD);
  }

  @Test
  void endpointThatNeverAnswers_isNamedTimedOut() throws IOException {
    fake = FakeServer.silent();

    assertThat(startWarning(uri("", fake.port())))
        .contains("timed out: connected, but no answer within");
  }

  @Test
  void outageAgainstAnEndpointThatIsNotRedis_logsAFewLines_notAClientPerProbe() throws IOException {
    fake = FakeServer.answering("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    engine = ReadThroughEngine.start(Engines.config(uri("", fake.port())).build());

    await().atMost(PATIENCE).until(() -> fake.accepted() >= 20); // the start and 19 probes

    List<String> lines = log.infoAndAbove();
    assertThat(lines).noneMatch(line -> line.contains("org.redisson"));
    assertThat(lines).noneMatch(line -> line.contains("io.netty"));
    assertThat(lines)
        .as("the start's warning and the breaker's, whatever the number of probes")
        .hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void outageOfAConnectedEngine_logsAFewLines_andCachingResumes() {
    redis = RedisProcess.start();
    engine = Engines.startConnected(Engines.config(redis.uri()).build());
    Lookups lookups = new Lookups();
    int before = log.infoAndAbove().size();

    redis.stop();
    for (int id = 0; id < 10; id++) {
      assertThat(lookups.find(id)).isEqualTo("value-" + id);
    }
    assertThat(engine.isRedisAvailable()).isFalse();
    redis.restart();
    await().atMost(PATIENCE).until(engine::isRedisAvailable);

    List<String> lines = log.infoAndAbove();
    List<String> outage = new ArrayList<>(lines.subList(before, lines.size()));
    assertThat(outage).noneMatch(line -> line.contains("org.redisson.Version"));
    assertThat(outage)
        .as("what the outage logged: %s", String.join("\n", outage))
        .hasSizeLessThanOrEqualTo(8);
  }

  /** A loopback endpoint that is not Redis: it answers every connection with fixed bytes. */
  static final class FakeServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final StringBuffer received = new StringBuffer();
    private final List<Socket> held = new ArrayList<>();

    private FakeServer(String answer) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread thread = new Thread(() -> serve(answer), "fake-server");
      thread.setDaemon(true);
      thread.start();
    }

    static FakeServer answering(String answer) throws IOException {
      return new FakeServer(answer);
    }

    /** Accepts connections and never answers. */
    static FakeServer silent() throws IOException {
      return new FakeServer("");
    }

    private void serve(String answer) {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          accepted.incrementAndGet();
          if (answer.isEmpty()) {
            synchronized (held) {
              held.add(socket);
            }
            continue;
          }
          try (socket) {
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256];
            int read = in.read(buffer);
            if (read > 0) {
              received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
            OutputStream out = socket.getOutputStream();
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException e) {
            // the client went away: the next connection is served all the same
          }
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    String received() {
      return received.toString();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (held) {
        for (Socket socket : held) {
          socket.close();
        }
      }
    }
  }
}
