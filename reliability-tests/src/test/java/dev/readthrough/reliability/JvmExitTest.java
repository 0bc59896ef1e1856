package dev.readthrough.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.testing.RedisProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM whose main returns without closing the engine exits: the engine's threads are daemons. */
class JvmExitTest {

  /** A generous bound for a JVM to start, connect, call and exit; it never hangs that long. */
  private static final long EXIT_BOUND_SECONDS = 60;

  private RedisProcess redis;
  private Process child;

  @AfterEach
  void tearDown() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
    if (redis != null) {
      redis.stop();
    }
  }

  private boolean runsToExit(String uri, Path output) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                NoCloseChild.class.getName(),
                uri)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return child.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void mainReturningWithoutClose_letsTheJvmExit_withRedisUp(@TempDir Path dir) throws Exception {
    redis = RedisProcess.start();
    Path output = dir.resolve("child.log");

    boolean exited = runsToExit(redis.uri(), output);

    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(printed).contains("AVAILABLE true").contains("RETURNING");
    assertThat(exited)
        .as("the child exited after main returned; it printed:%n%s", printed)
        .isTrue();
    assertThat(child.exitValue()).isZero();
  }

  @Test
  void mainReturningWithoutClose_letsTheJvmExit_withRedisDown(@TempDir Path dir) throws Exception {
    redis = RedisProcess.start();
    String uri = redis.uri();
    redis.stop();
    Path output = dir.resolve("child.log");

    boolean exited = runsToExit(uri, output);

    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(printed).contains("AVAILABLE false").contains("RETURNING");
    assertThat(exited)
        .as("the child exited after main returned; it printed:%n%s", printed)
        .isTrue();
  }
}
