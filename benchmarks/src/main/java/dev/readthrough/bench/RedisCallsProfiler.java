package dev.readthrough.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Redis commands per operation, as the benchmark's redis-server counts them: {@code INFO
 * commandstats} before and after each iteration, the differences divided by that iteration's
 * operations. Reports {@code redis.get.norm} (GET), {@code redis.mget.norm} (MGET) and {@code
 * redis.commands.norm} (every command but the profiler's own INFO: Redisson's pings too).
 *
 * <p>Use with {@code -prof dev.readthrough.bench.RedisCallsProfiler}. Exact on one benchmark
 * thread; with more, the operations JMH runs outside the measured window (while threads start and
 * stop) are sent but not counted, so the figures read slightly high.
 */
public final class RedisCallsProfiler implements InternalProfiler {

  private Map<String, Long> before = Map.of();

  @Override
  public String getDescription() {
    return "Redis commands per operation, from INFO commandstats";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    before = commandCalls();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    Map<String, Long> after = commandCalls();
    long ops = result.getMetadata().getAllOps();
    long all = 0;
    for (Map.Entry<String, Long> command : after.entrySet()) {
      if (!command.getKey().equals("info")) {
        all += command.getValue() - before.getOrDefault(command.getKey(), 0L);
      }
    }
    return List.of(
        perOp("redis.get.norm", delta(after, "get"), ops),
        perOp("redis.mget.norm", delta(after, "mget"), ops),
        perOp("redis.commands.norm", all, ops));
  }

  private long delta(Map<String, Long> after, String command) {
    return after.getOrDefault(command, 0L) - before.getOrDefault(command, 0L);
  }

  private static ScalarResult perOp(String label, long calls, long ops) {
    return new ScalarResult(
        label, ops > 0 ? (double) calls / ops : Double.NaN, "calls/op", AggregationPolicy.AVG);
  }

  /** Calls per command name, from {@code cmdstat_<name>:calls=<n>,...} lines. */
  static Map<String, Long> commandCalls() {
    Map<String, Long> calls = new HashMap<>();
    for (String line : info("commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_")) {
        int colon = line.indexOf(':');
        int from = line.indexOf("calls=", colon) + "calls=".length();
        int to = line.indexOf(',', from);
        calls.put(
            line.substring("cmdstat_".length(), colon), Long.parseLong(line.substring(from, to)));
      }
    }
    return calls;
  }

  /** {@code INFO <section>} over a connection of its own, so no client's pool is involved. */
  private static String info(String section) {
    URI uri = URI.create(BenchRedis.uri());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("*2\r\n$4\r\nINFO\r\n$" + section.length() + "\r\n" + section + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder header = new StringBuilder();
      for (int c = in.read(); c != '\r'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        header.append((char) c);
      }
      in.read(); // '\n'
      if (header.charAt(0) != '$') {
        throw new IOException("unexpected reply to INFO: " + header);
      }
      byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)));
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("INFO " + section + " failed on " + uri, e);
    }
  }
}
