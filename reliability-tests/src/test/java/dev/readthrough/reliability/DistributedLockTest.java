package dev.readthrough.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.ReadThroughEngine;
import dev.readthrough.testing.RedisProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code distributedLock(lease, wait)}, concurrent misses on one key in two JVMs sharing a
 * Redis run the method once: the second waits for the first's lock and reads its result.
 */
class DistributedLockTest {

  private static final long STEP_SECONDS = 60;

  private RedisProcess redis;
  private RawRedis raw;
  private ReadThroughEngine engine;
  private Process child;

  @AfterEach
  void tearDown() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    if (engine != null) {
      engine.close();
    }
    if (raw != null) {
      raw.close();
    }
    if (redis != null) {
      redis.stop();
    }
  }

  @Test
  void distributedLock_concurrentMissesInTwoJvms_runTheMethodOnce() throws Exception {
    redis = RedisProcess.start();
    raw = RawRedis.connect(redis);
    engine =
        Engines.startConnected(
            Engines.steady(redis.uri())
                .distributedLock(LockedLoader.LEASE, LockedLoader.WAIT)
                .build());
    BlockingQueue<String> childOutput = startChild("42");
    awaitLine(childOutput, "READY");

    LockedLoader loader = new LockedLoader(raw.client());
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<String> here =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return loader.load("42");
            });
    OutputStream toChild = child.getOutputStream();
    toChild.write("GO\n".getBytes(StandardCharsets.UTF_8));
    toChild.flush();
    go.countDown();

    assertThat(here.get(STEP_SECONDS, TimeUnit.SECONDS)).isEqualTo("loaded-42");
    assertThat(awaitLine(childOutput, "RESULT ")).isEqualTo("loaded-42");
    assertThat(raw.client().getAtomicLong(LockedLoader.invocationsKey("42")).get())
        .as("method runs across both JVMs")
        .isEqualTo(1);
    assertThat(raw.client().getAtomicLong(LockedLoader.contendedKey("42")).get())
        .as("the other JVM was waiting for the lock while the method ran")
        .isEqualTo(1);
  }

  private BlockingQueue<String> startChild(String id) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                LockChild.class.getName(),
                redis.uri(),
                id)
            .redirectErrorStream(true)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the child was destroyed
              }
            },
            "lock-child-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /** Returns the rest of the first line starting with {@code prefix}, echoing the others. */
  private static String awaitLine(BlockingQueue<String> lines, String prefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
      System.out.println("[child] " + line);
    }
    throw new AssertionError(
        "the child JVM did not print " + prefix.trim() + " within " + STEP_SECONDS + " s");
  }
}
