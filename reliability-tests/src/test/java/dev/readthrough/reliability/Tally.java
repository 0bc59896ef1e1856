package dev.readthrough.reliability;

import dev.readthrough.runtime.CacheStats;
import dev.readthrough.runtime.ReadThroughEngine;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Counts the calls of a chaos run, those that threw and those that returned a wrong value, and
 * reports them with the engine's own counters.
 */
final class Tally {

  final LongAdder calls = new LongAdder();
  final LongAdder failedCalls = new LongAdder();
  final LongAdder wrongValues = new LongAdder();
  final Queue<String> problems = new ConcurrentLinkedQueue<>();

  /** Makes one call of key {@code id} and checks that it returned {@code expected}. */
  <T> void call(int id, Supplier<@Nullable T> call, T expected) {
    calls.increment();
    try {
      T got = call.get();
      if (!Objects.equals(expected, got)) {
        wrongValues.increment();
        problems.add("wrong value for id " + id + ": " + got);
      }
    } catch (Throwable t) {
      failedCalls.increment();
      problems.add("call failed: " + t);
    }
  }

  static long total(ReadThroughEngine engine, ToLongFunction<CacheStats> counter) {
    return engine.stats().values().stream().mapToLong(counter).sum();
  }

  /** The report's lines of calls and counters; {@code bypassed} says what a bypassed call was. */
  String counters(ReadThroughEngine engine, String bypassed) {
    return "  calls:          "
        + calls.sum()
        + "\n  failed calls:   "
        + failedCalls.sum()
        + "\n  wrong values:   "
        + wrongValues.sum()
        + "\n  hits:           "
        + total(engine, CacheStats::hits)
        + "\n  misses:         "
        + total(engine, CacheStats::misses)
        + "\n  bypassed:       "
        + total(engine, CacheStats::bypassed)
        + " ("
        + bypassed
        + ")\n  errors:         "
        + total(engine, CacheStats::errors)
        + " (Redis operations that failed or timed out; the call ran uncached)\n  decodeFailures: "
        + total(engine, CacheStats::decodeFailures)
        + "\n  writes:         "
        + total(engine, CacheStats::writes)
        + "\n";
  }
}
