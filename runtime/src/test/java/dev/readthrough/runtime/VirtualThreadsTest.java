package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.ReadThrough;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Ten thousand virtual threads calling woven sync, async and bulk methods at once: every call
 * returns its right value, and JFR records no virtual thread pinned to its carrier inside the
 * library or Redisson while it waits. Runs on JDK 21 and later (Temurin 25 in CI).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTest extends EngineTest {

  static final int THREADS = 10_000;

  static final class Catalog {
    @ReadThrough(cache = "vt", key = "id", ttlSeconds = 300)
    String one(long id) {
      return "v" + id;
    }

    @ReadThrough(cache = "vt", key = "id", ttlSeconds = 300)
    CompletableFuture<String> oneAsync(long id) {
      return CompletableFuture.completedFuture("v" + id);
    }

    @ReadThrough(cache = "vt", each = "ids", ttlSeconds = 300)
    Map<Long, String> many(List<Long> ids) {
      Map<Long, String> found = new LinkedHashMap<>();
      ids.forEach(id -> found.put(id, "v" + id));
      return found;
    }
  }

  @Test
  void tenThousandVirtualThreads_getTheirValues_andNoneIsPinnedInsideTheLibrary() throws Exception {
    Catalog catalog = new Catalog();
    // the first call of each method parses its plan and loads classes, which pins while the JDK
    // loads them; that happens once per method, not on a Redis wait, so it is done before
    catalog.one(-1);
    catalog.oneAsync(-2).get(30, TimeUnit.SECONDS);
    catalog.many(List.of(-3L));
    Path dump = Files.createTempFile("readthrough-pinned", ".jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      recording.start();

      List<Future<Boolean>> calls = new ArrayList<>(THREADS);
      ExecutorService threads = virtualThreadPerTask();
      try {
        for (int i = 0; i < THREADS; i++) {
          long id = i % 200;
          int kind = i % 3;
          calls.add(
              threads.submit(
                  () ->
                      switch (kind) {
                        case 0 -> catalog.one(id).equals("v" + id);
                        case 1 -> catalog.oneAsync(id).get(30, TimeUnit.SECONDS).equals("v" + id);
                        default ->
                            catalog
                                .many(List.of(id, id + 1))
                                .equals(Map.of(id, "v" + id, id + 1, "v" + (id + 1)));
                      }));
        }
        for (Future<Boolean> call : calls) {
          assertThat(call.get(60, TimeUnit.SECONDS)).isTrue();
        }
      } finally {
        threads.shutdownNow();
      }
      recording.stop();
      recording.dump(dump);
    }

    List<String> pinnedInside = new ArrayList<>();
    for (RecordedEvent event : RecordingFile.readAllEvents(dump)) {
      if (event.getStackTrace() == null) {
        continue;
      }
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        String type = frame.getMethod().getType().getName();
        if (type.startsWith("dev.readthrough.runtime") || type.startsWith("org.redisson")) {
          StringBuilder trace = new StringBuilder(type + "." + frame.getMethod().getName() + " <-");
          event.getStackTrace().getFrames().stream()
              .limit(12)
              .forEach(
                  f ->
                      trace
                          .append("\n    ")
                          .append(f.getMethod().getType().getName())
                          .append('.')
                          .append(f.getMethod().getName()));
          pinnedInside.add(trace.toString());
          break;
        }
      }
    }
    Files.deleteIfExists(dump);
    assertThat(pinnedInside).as("virtual threads pinned inside the library or Redisson").isEmpty();
  }

  /**
   * {@code Executors.newVirtualThreadPerTaskExecutor()}, which the release-17 build cannot name.
   */
  private static ExecutorService virtualThreadPerTask() throws ReflectiveOperationException {
    return (ExecutorService)
        Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }
}
