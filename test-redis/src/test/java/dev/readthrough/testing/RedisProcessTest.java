package dev.readthrough.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedisProcessTest {

  @Test
  void close_deletesTheLogFile() {
    Path log;
    try (RedisProcess redis = RedisProcess.start()) {
      log = redis.logFile();
      assertThat(log).isNotNull().exists().hasParent(RedisProcess.scratch());
    }

    assertThat(log).doesNotExist();
  }

  @Test
  void restart_replacesTheLogFile_andStopDeletesIt() {
    try (RedisProcess redis = RedisProcess.start()) {
      Path first = redis.logFile();

      redis.restart();
      Path second = redis.logFile();

      assertThat(first).doesNotExist();
      assertThat(second).isNotNull().exists();
      redis.stop();
      assertThat(second).doesNotExist();
      assertThat(redis.logFile()).isNull();
    }
  }

  @Test
  void stoppingTheLastServer_removesTheScratchDirectory_andTheNextStartMakesANewOne() {
    RedisProcess first = RedisProcess.start();
    RedisProcess second = RedisProcess.start();
    Path scratch = RedisProcess.scratch();
    assertThat(scratch.resolve("redis-server")).exists();

    first.stop();
    assertThat(scratch).as("one server still runs from it").exists();
    second.stop();
    assertThat(scratch).as("no server runs: nothing is left in the temp folder").doesNotExist();

    try (RedisProcess third = RedisProcess.start()) {
      assertThat(third.command("PING")).isEqualTo("+PONG");
      assertThat(third.logFile()).isNotNull().exists().hasParent(RedisProcess.scratch());
      third.restart();
      assertThat(third.command("PING")).as("a restart keeps its binary").isEqualTo("+PONG");
    }
  }

  @Test
  void failedStart_quotesTheServersOutput_andLeavesNoLog() throws IOException {
    long logsBefore = logCount();

    Throwable failure = catchStart("--no-such-option", "yes");

    assertThat(failure)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited at start")
        .hasMessageContaining("no-such-option");
    assertThat(logCount()).isEqualTo(logsBefore);
  }

  @Test
  void jvmExit_killsAServerNobodyClosed_andRemovesItsFiles() throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LeaveRunning.class.getName())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exited").isTrue();
    assertThat(child.exitValue()).as("child output: %s", lines).isZero();

    long pid = Long.parseLong(value(lines, "pid"));
    Path log = Path.of(value(lines, "log"));
    Path scratch = Path.of(value(lines, "scratch"));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(log).doesNotExist();
    assertThat(scratch).doesNotExist();
  }

  /** Starts a server, says where its files are, and returns from main without closing it. */
  static final class LeaveRunning {
    public static void main(String[] args) {
      RedisProcess redis = RedisProcess.start();
      System.out.println("pid=" + redis.pid());
      System.out.println("log=" + redis.logFile());
      System.out.println("scratch=" + RedisProcess.scratch());
    }
  }

  private static String value(List<String> lines, String name) {
    return lines.stream()
        .filter(line -> line.startsWith(name + "="))
        .map(line -> line.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in the child's output: " + lines));
  }

  private static Throwable catchStart(String... args) {
    try (RedisProcess redis = RedisProcess.start(args)) {
      throw new AssertionError("started with " + List.of(args) + ": " + redis);
    } catch (IllegalStateException e) {
      return e;
    }
  }

  private static long logCount() throws IOException {
    try (var files = Files.list(RedisProcess.scratch())) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
    }
  }
}
