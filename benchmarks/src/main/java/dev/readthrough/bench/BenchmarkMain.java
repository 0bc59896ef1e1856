package dev.readthrough.bench;

import dev.readthrough.testing.RedisProcess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH against one redis-server started for the whole run (or {@code REDIS_URL}): every forked
 * JVM gets its URI as {@code -Dreadthrough.bench.redis=...}. Takes the usual JMH options.
 */
public final class BenchmarkMain {

  private static final Set<String> LISTING =
      Set.of("-h", "-help", "--help", "-l", "-lp", "-lprof", "-lrf");

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      if (LISTING.contains(arg)) {
        org.openjdk.jmh.Main.main(args);
        return;
      }
    }
    CommandLineOptions cmd = new CommandLineOptions(args);
    String external = System.getenv("REDIS_URL");
    RedisProcess redis = null;
    String uri;
    if (external != null && !external.isBlank()) {
      uri = external;
      System.out.println("# Redis: REDIS_URL " + uri);
    } else {
      redis = RedisProcess.start(BenchRedis.SERVER_ARGS);
      uri = redis.uri();
      System.out.println("# Redis: redis-server pid " + redis.pid() + " at " + uri);
    }
    int exit;
    try {
      List<String> jvmArgs = new ArrayList<>();
      if (cmd.getJvmArgsAppend().hasValue()) {
        jvmArgs.addAll(cmd.getJvmArgsAppend().get());
      }
      jvmArgs.add("-D" + BenchRedis.PROPERTY + "=" + uri);
      List<String> opens = RuntimeOpens.needed();
      if (!opens.isEmpty()) {
        System.out.println(
            "# NOTE: the Readthrough value codec needs "
                + String.join(" ", opens)
                + " on this JDK; added to every fork");
        jvmArgs.addAll(opens);
      }
      Options options =
          new OptionsBuilder().parent(cmd).jvmArgsAppend(jvmArgs.toArray(String[]::new)).build();
      Collection<RunResult> results = new Runner(options).run();
      exit = results.isEmpty() ? 1 : 0;
    } finally {
      if (redis != null) {
        redis.stop();
      }
    }
    System.exit(exit);
  }
}
