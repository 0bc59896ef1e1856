package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.flight.Flight;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import dev.readthrough.runtime.internal.near.NearTier;
import dev.readthrough.weaver.CacheInterceptor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A synchronous {@code @ReadThrough} method: one key per call. It adapts the call to the read
 * pipeline ({@link RequestPath}): a hit is the lookup (the near tier's copy, else Redis) and the
 * decision alone, with no allocation of its own (a hit due a reload ahead hands its key to {@link
 * RefreshAhead}); a miss is a batch of one through {@link Load} and {@link Store}, the method
 * running on the calling thread.
 *
 * <p>Each call counts exactly one outcome (see {@link Recorder}).
 */
public record ReadPlan(
    Method method,
    String cache,
    KeyTemplate key,
    boolean optionalReturn,
    ReadSpec spec,
    RequestPath path)
    implements Plan {

  @Override
  public String description() {
    return spec.description();
  }

  @Override
  public @Nullable Object handle(ProceedingJoinPoint call) throws Throwable {
    String key = this.key.keyFor(call.getArgs());
    Object local = fromNearTier(key);
    if (local != NearTier.ABSENT) {
      return local;
    }
    Flight running = path.flights.joinable(key, spec.entries().kind());
    if (running != null) {
      spec.counters().recordShared(1);
      return toResult(running.await());
    }
    Load.Batch batch;
    long ticket = path.epochs.begin();
    try {
      long near = Lookup.ticket(spec, key);
      byte[] bytes = path.lookup.one(spec, key);
      Object decided = Decide.entry(spec, key, bytes);
      if (Decide.isHit(decided)) {
        Lookup.keep(spec, key, near, bytes, decided);
        spec.counters().recordHits(1);
        if (bytes != null && RefreshAhead.due(spec, bytes)) {
          path.refresh.offer(
              spec, key, bytes, keys -> RefreshAhead.one(key, valueOf(call.proceed())));
        }
        return toResult(decided);
      }
      boolean bypassed = decided == Decide.UNAVAILABLE;
      batch = new Load.Batch(spec).add(new Load.Slot(key, null, bypassed ? null : bytes, bypassed));
      path.load.claim(batch, ticket, SingleFlight.runningHere());
    } finally {
      path.epochs.end(ticket);
    }
    return load(call, batch);
  }

  /**
   * The call's answer from the near tier, for a method of one whole-number parameter, as {@link
   * #handle} would give it; {@link CacheInterceptor#NO_LOCAL_HIT} when there is no copy, or its key
   * is not one of the template's recent keys (the full path then forms it).
   */
  @Nullable Object localHit(long argument) {
    String key = spec.near() == null ? null : this.key.recentKey(argument);
    Object local = key == null ? NearTier.ABSENT : fromNearTier(key);
    return local == NearTier.ABSENT ? CacheInterceptor.NO_LOCAL_HIT : local;
  }

  /** The call's result from this JVM's copy of {@code key}, counted, or {@link NearTier#ABSENT}. */
  private @Nullable Object fromNearTier(String key) {
    Object local = Lookup.local(spec, key);
    if (local == NearTier.ABSENT) {
      return NearTier.ABSENT;
    }
    spec.counters().recordLocalHits(1);
    return toResult(local);
  }

  private @Nullable Object load(ProceedingJoinPoint call, Load.Batch batch) throws Throwable {
    if (batch.led.isEmpty()) {
      return toResult(batch.slots.get(0).flight().await());
    }
    path.load.prepare(batch);
    Load.Slot slot = batch.led.get(0);
    if (slot.found) {
      return toResult(slot.value);
    }
    List<Load.Slot> run = batch.led;
    Object result = path.load.run(batch, run, call::proceed);
    if (result == Load.STALE) {
      return toResult(slot.value);
    }
    Object value = valueOf(result);
    path.load.loaded(batch, run, loaded -> value);
    return result;
  }

  private @Nullable Object valueOf(@Nullable Object result) {
    if (optionalReturn) {
      return result == null ? null : ((Optional<?>) result).orElse(null);
    }
    return result;
  }

  private @Nullable Object toResult(@Nullable Object value) {
    return optionalReturn ? Optional.ofNullable(value) : value;
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    return key.keyFor(args);
  }
}
