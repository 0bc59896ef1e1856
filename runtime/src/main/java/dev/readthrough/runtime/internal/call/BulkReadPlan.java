package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.flight.Flight;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.keys.EachParameter;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import dev.readthrough.runtime.internal.near.NearTier;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @ReadThrough(each = ...)} method: every element of one collection argument is its own
 * entry, keyed as a single-element method of the same cache keys it. It adapts the call to the same
 * pipeline steps as {@link ReadPlan}, many keys at once: one lookup of every element (MGET per
 * batch), one decision per element, one {@link Load} of the elements that missed — the method
 * called at most once, with only those, in the argument's order and as the declared kind — and one
 * pipelined {@link Store}. It returns a map in the argument's order.
 *
 * <p>A call first runs its own load, then waits for the loads it shares, so two bulk calls that
 * share elements both ways cannot wait for each other. Outcomes are counted per distinct element.
 *
 * @param async whether the method returns a {@code CompletableFuture} or {@code CompletionStage} of
 *     the map; the calling thread then never waits on Redis
 */
public record BulkReadPlan(
    Method method,
    String cache,
    KeyTemplate key,
    EachParameter each,
    ReadSpec spec,
    RequestPath path,
    boolean async)
    implements Plan {

  @Override
  public String description() {
    return spec.description();
  }

  @Override
  public @Nullable Object handle(ProceedingJoinPoint call) throws Throwable {
    Call state = new Call(call.getArgs(), SingleFlight.runningHere());
    long ticket = path.epochs.begin();
    if (!async) {
      try {
        state.decide(
            state.toRead.isEmpty() ? null : path.lookup.many(spec, state.keysToRead()), call);
        path.load.claim(state.batch, ticket, state.chain);
      } finally {
        path.epochs.end(ticket);
      }
      state.load(call);
      return state.result();
    }
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    CompletableFuture<@Nullable Map<String, byte[]>> read =
        state.toRead.isEmpty()
            ? CompletableFuture.completedFuture(null)
            : path.lookup.manyAsync(spec, state.keysToRead());
    read.whenComplete(
        (found, unexpected) -> {
          boolean handedOver = false;
          try {
            if (unexpected != null) { // a fault of the engine's: never leave the caller waiting
              result.completeExceptionally(unexpected);
              return;
            }
            state.decide(found, call);
            if (state.batch.slots.isEmpty()) { // every element hit: no hop
              result.complete(state.result());
              return;
            }
            path.dispatch(
                () -> {
                  try {
                    path.load.claim(state.batch, ticket, state.chain);
                  } finally {
                    path.epochs.end(ticket);
                  }
                  state.loadAsync(call, result);
                });
            handedOver = true; // the load ends the ticket once it has claimed its keys
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          } finally {
            if (!handedOver) {
              path.epochs.end(ticket);
            }
          }
        });
    return result;
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    throw new IllegalArgumentException(
        description()
            + " reads one entry per element of 'each'; use keyFor(method, args) of a single-key"
            + " method of cache "
            + cache);
  }

  /** The state of one bulk call: its elements by key and what became of each. */
  private final class Call {
    final @Nullable Object[] args;
    final @Nullable Flight chain;
    final LinkedHashMap<String, @Nullable Object> elements = new LinkedHashMap<>();
    final Set<String> toRead = new LinkedHashSet<>(); // in the argument's order
    final Map<String, @Nullable Object> hits = new HashMap<>();
    final Map<String, Long> nearTickets = new HashMap<>();
    final Load.Batch batch = new Load.Batch(spec);

    Call(@Nullable Object[] args, @Nullable Flight chain) {
      this.args = args;
      this.chain = chain;
      for (Object element : each.elements(args)) {
        elements.putIfAbsent(key.keyForElement(args, element), element);
      }
      int local = 0;
      for (String k : elements.keySet()) {
        Object copy = Lookup.local(spec, k);
        if (copy != NearTier.ABSENT) {
          hits.put(k, copy); // Redis is asked only for what this JVM does not hold
          local++;
        } else if (path.lookup.mayUse(k)) {
          if (spec.near() != null) {
            nearTickets.put(k, Lookup.ticket(spec, k));
          }
          toRead.add(k);
        }
      }
      if (local > 0) {
        spec.counters().recordLocalHits(local);
      }
    }

    String[] keysToRead() {
      return toRead.toArray(String[]::new);
    }

    /**
     * Decides each element from what Redis returned ({@code null}: it could not answer): a hit is
     * kept, anything else becomes a slot of the batch, in the argument's order.
     */
    void decide(@Nullable Map<String, byte[]> found, ProceedingJoinPoint call) {
      int remote = 0;
      List<String> due = null;
      List<byte[]> dueSeen = null;
      for (Map.Entry<String, @Nullable Object> entry : elements.entrySet()) {
        String k = entry.getKey();
        if (hits.containsKey(k)) {
          continue; // a local hit
        }
        byte[] bytes = found == null || !toRead.contains(k) ? RedisGuard.UNAVAILABLE : found.get(k);
        Object decided = Decide.entry(spec, k, bytes);
        if (Decide.isHit(decided)) {
          hits.put(k, decided); // null: an absence cached with cacheNulls
          Long near = nearTickets.get(k);
          if (near != null) {
            Lookup.keep(spec, k, near, bytes, decided);
          }
          if (bytes != null && RefreshAhead.due(spec, bytes)) {
            if (due == null || dueSeen == null) {
              due = new ArrayList<>();
              dueSeen = new ArrayList<>();
            }
            due.add(k);
            dueSeen.add(bytes);
          }
          remote++;
          continue;
        }
        boolean bypassed = decided == Decide.UNAVAILABLE;
        batch.add(new Load.Slot(k, entry.getValue(), bypassed ? null : bytes, bypassed));
      }
      if (remote > 0) {
        spec.counters().recordHits(remote);
      }
      if (due != null && dueSeen != null) {
        path.refresh.offer(spec, due, dueSeen, keys -> reload(call, keys));
      }
    }

    /** On a reload thread: runs the method for the elements of {@code keys}, as {@link #load}. */
    private Map<String, @Nullable Object> reload(ProceedingJoinPoint call, List<String> keys)
        throws Throwable {
      List<@Nullable Object> some = new ArrayList<>(keys.size());
      keys.forEach(k -> some.add(elements.get(k)));
      @Nullable Object[] changed = args.clone();
      changed[each.index()] = each.rebuild(some);
      Object answer = call.proceed(changed);
      Map<?, ?> map = (Map<?, ?>) (async ? RefreshAhead.await(spec, answer) : answer);
      Map<String, @Nullable Object> values = new HashMap<>();
      for (String k : keys) {
        values.put(k, map == null ? null : map.get(elements.get(k)));
      }
      return values;
    }

    /**
     * The method's arguments with only the elements to load in the {@code each} place: what {@code
     * proceed(Object[])} takes, since the aspect binds neither this nor the target.
     */
    @Nullable Object[] argumentsFor(List<Load.Slot> run) {
      List<@Nullable Object> missing = new ArrayList<>(run.size());
      run.forEach(slot -> missing.add(slot.element));
      @Nullable Object[] changed = args.clone();
      changed[each.index()] = each.rebuild(missing);
      return changed;
    }

    void load(ProceedingJoinPoint call) throws Throwable {
      path.load.prepare(batch);
      List<Load.Slot> run = batch.toRun();
      if (!run.isEmpty()) {
        Object loaded = path.load.run(batch, run, () -> call.proceed(argumentsFor(run)));
        if (loaded != Load.STALE) {
          complete(run, loaded);
        }
      }
      for (Load.Slot slot : batch.followed) {
        slot.value = slot.flight().await();
      }
    }

    void loadAsync(ProceedingJoinPoint call, CompletableFuture<@Nullable Object> result) {
      path.load.prepare(batch);
      List<Load.Slot> run = batch.toRun();
      CompletableFuture<@Nullable Object> own = new CompletableFuture<>();
      if (run.isEmpty()) {
        own.complete(null);
      } else {
        path.load.runAsync(
            batch,
            run,
            () -> call.proceed(argumentsFor(run)),
            result,
            own,
            loaded -> {
              try {
                if (loaded != Load.STALE) {
                  complete(run, loaded);
                }
                own.complete(null);
              } catch (RuntimeException e) {
                own.completeExceptionally(e);
              }
            });
        if (result.isDone()) { // the method threw, or returned no future: the call failed
          return;
        }
      }
      List<CompletableFuture<@Nullable Object>> shared = new ArrayList<>();
      shared.add(own);
      for (Load.Slot slot : batch.followed) {
        CompletableFuture<@Nullable Object> one = new CompletableFuture<>();
        AsyncReadPlan.relay(slot.flight(), one, path);
        shared.add(one.thenApply(value -> slot.value = value));
      }
      CompletableFuture.allOf(shared.toArray(CompletableFuture[]::new))
          .whenComplete(
              (ignored, error) -> {
                if (error == null) {
                  result.complete(result());
                } else if (own.isCompletedExceptionally()) {
                  own.whenComplete((nothing, thrown) -> result.completeExceptionally(thrown));
                } else {
                  result.completeExceptionally(Futures.cause(error));
                }
              });
    }

    /** Takes the method's map for the elements run: stores them, then completes their flights. */
    private void complete(List<Load.Slot> run, @Nullable Object loaded) {
      Map<?, ?> map;
      try {
        map = (Map<?, ?>) loaded;
      } catch (ClassCastException e) {
        path.load.failed(batch, run, e); // never leave a follower waiting on an element led here
        throw e;
      }
      path.load.loaded(batch, run, slot -> map == null ? null : map.get(slot.element));
    }

    /** The result: every element found or loaded, in the argument's order. */
    Map<Object, Object> result() {
      Map<String, @Nullable Object> loaded = new HashMap<>();
      for (Load.Slot slot : batch.slots) {
        loaded.put(slot.key, slot.value);
      }
      Map<Object, Object> result = new LinkedHashMap<>();
      elements.forEach(
          (k, element) -> {
            Object value = hits.containsKey(k) ? hits.get(k) : loaded.get(k);
            if (value != null && element != null) {
              result.put(element, value);
            }
          });
      return result;
    }
  }
}
