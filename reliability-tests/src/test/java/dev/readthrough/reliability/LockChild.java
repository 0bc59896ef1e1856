package dev.readthrough.reliability;

import dev.readthrough.runtime.ReadThroughEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The second JVM of {@link DistributedLockTest}: starts its own engine with the distributed lock,
 * prints {@code READY}, and on reading {@code GO} calls {@link LockedLoader#load(String)} and
 * prints {@code RESULT <value>}.
 *
 * <p>Arguments: the Redis URI and the id to load.
 */
public final class LockChild {

  private LockChild() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String id = args[1];
    try (RawRedis raw = RawRedis.connect(uri);
        ReadThroughEngine engine =
            Engines.startConnected(
                Engines.steady(uri)
                    .distributedLock(LockedLoader.LEASE, LockedLoader.WAIT)
                    .build())) {
      LockedLoader loader = new LockedLoader(raw.client());
      System.out.println("READY");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if ("GO".equals(in.readLine())) {
        System.out.println("RESULT " + loader.load(id));
        System.out.flush();
      }
    }
    System.exit(0);
  }
}
