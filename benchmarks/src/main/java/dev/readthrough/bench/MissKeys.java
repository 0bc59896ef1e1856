package dev.readthrough.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A fresh id per operation for the miss case, per thread and without contention: ids start from the
 * fork's start time (shifted left, so forks never overlap) plus the thread index, and step by the
 * thread count.
 */
@State(Scope.Thread)
public class MissKeys {

  private long next;
  private int step;

  @Setup(Level.Trial)
  public void setUp(ThreadParams threads) {
    next = (System.currentTimeMillis() << 20) + threads.getThreadIndex();
    step = threads.getThreadCount();
  }

  public long next() {
    long id = next;
    next += step;
    return id;
  }
}
