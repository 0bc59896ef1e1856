package dev.readthrough.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark JVM per operation: the process CPU time (every thread: benchmark
 * threads, Netty event loops, GC, JIT) spent during an iteration, divided by the operations of that
 * iteration. Time spent waiting on Redis is not CPU time and does not count; Redis's own CPU is
 * another process's and does not count either.
 *
 * <p>Use with {@code -prof dev.readthrough.bench.CpuProfiler}. Reports {@code cpu.time.norm}
 * (ns/op) and {@code cpu.util} (cores busy on average).
 */
public final class CpuProfiler implements InternalProfiler {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuBefore;
  private long wallBefore;

  @Override
  public String getDescription() {
    return "Process CPU time of the benchmark JVM per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    wallBefore = System.nanoTime();
    cpuBefore = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - cpuBefore;
    long wall = System.nanoTime() - wallBefore;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops > 0 ? (double) cpu / ops : Double.NaN;
    return List.of(
        new ScalarResult("cpu.time.norm", perOp, "ns/op", AggregationPolicy.AVG),
        new ScalarResult(
            "cpu.util",
            wall > 0 ? (double) cpu / wall : Double.NaN,
            "cores",
            AggregationPolicy.AVG));
  }
}
