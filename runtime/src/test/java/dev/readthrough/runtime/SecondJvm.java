package dev.readthrough.runtime;

import dev.readthrough.WriteThrough;
import dev.readthrough.runtime.NearCacheTest.Profile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A second JVM for the near-cache tests: an engine of its own on the given Redis, writing through
 * the same cache when told to on standard input, so that the first JVM's copies are dropped by a
 * change it did not make.
 *
 * <p>Protocol, one line each way: it prints {@code RT2 ready} once its engine runs; for each input
 * line {@code write <id>} it calls a woven {@code @WriteThrough} and prints {@code RT2 wrote <id>
 * <nanoTime before the call>} (the monotonic clock is the machine's, shared by both JVMs); it exits
 * at end of input. Its logs go to standard error.
 */
final class SecondJvm {

  static final String PREFIX = "RT2 ";

  static final class Writer {
    @WriteThrough(key = "profile.id", cache = "near", ttlSeconds = 300)
    public Profile save(Profile profile) {
      return profile;
    }
  }

  private SecondJvm() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err); // anything else printed stays off the protocol
    Writer writer = new Writer();
    try (ReadThroughEngine engine =
            ReadThroughEngine.start(
                ReadThroughConfig.builder()
                    .redisUri(args[0])
                    .operationTimeout(Duration.ofMillis(500))
                    .build());
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      protocol.println(PREFIX + "ready");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split(" ");
        if (words.length == 2 && words[0].equals("write")) {
          long id = Long.parseLong(words[1]);
          long before = System.nanoTime();
          writer.save(new Profile(id, "second-jvm-" + id));
          protocol.println(PREFIX + "wrote " + id + " " + before);
        }
      }
    }
  }
}
