package dev.readthrough.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding alone, no Redis: time per encode and per decode. Encoded sizes are printed once per fork
 * and written by {@link EncodedSizes}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Threads(1)
public class Serialization {

  @Param({"small", "large"})
  public String value;

  @Param({"readthrough", "kryo", "jdk", "jackson"})
  public String format;

  private Formats.Format codec;
  private Object input;
  private byte[] encoded;

  @Setup(Level.Trial)
  public void setUp() {
    codec = Formats.of(format, value);
    input = Values.of(value);
    encoded = codec.encode(input);
    if (!input.equals(codec.decode(encoded))) {
      throw new IllegalStateException(format + " does not round-trip the " + value + " value");
    }
    System.out.println();
    System.out.println(
        "# encoded size: " + format + " " + value + " = " + encoded.length + " bytes");
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(input);
  }

  @Benchmark
  public Object decode() {
    return codec.decode(encoded);
  }
}
