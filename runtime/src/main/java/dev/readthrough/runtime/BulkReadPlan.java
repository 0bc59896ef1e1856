package dev.readthrough.runtime;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @ReadThrough(each = ...)} method: every element of one collection argument is its own
 * entry, keyed as a single-element method of the same cache keys it. One call reads all its
 * elements in one MGET per batch, calls the method at most once with only the elements that missed
 * (in the argument's order and as the declared kind), stores what it loaded pipelined, and returns
 * a map in the argument's order.
 *
 * <p>Each distinct element is a single-flight load of its own key: an element another call is
 * loading is waited for, not loaded again. A call first runs its own load, then waits for the loads
 * it shares, so two bulk calls that share elements both ways cannot wait for each other. Outcomes
 * are counted per distinct element, as {@link ReadPlan} counts them per call.
 *
 * @param async whether the method returns a {@code CompletableFuture} or {@code CompletionStage} of
 *     the map; the calling thread then never waits on Redis
 */
record BulkReadPlan(
    Method method,
    String description,
    String cache,
    KeyTemplate key,
    EachParameter each,
    long ttlMillis,
    MethodEntries entries,
    CacheCounters counters,
    RequestPath path,
    boolean async)
    implements Plan {

  @Override
  public @Nullable Object handle(ProceedingJoinPoint call) throws Throwable {
    Object[] args = call.getArgs();
    Call state = new Call(args);
    if (!async) {
      Map<String, byte[]> found =
          state.toRead.isEmpty() || !path.guard.isUp()
              ? null
              : path.guard.readMany(counters, state.readableKeys(), description);
      state.resolve(found);
      state.loadMissing(call, args);
      return state.result();
    }
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    CompletableFuture<@Nullable Map<String, byte[]>> read =
        state.toRead.isEmpty() || !path.guard.isUp()
            ? CompletableFuture.completedFuture(null)
            : path.guard.readManyAsync(counters, state.readableKeys(), description);
    read.thenAcceptAsync(
        found -> {
          state.resolve(found);
          state.loadMissingAsync(call, args, result);
        },
        path.asyncExecutor());
    return result;
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    throw new IllegalArgumentException(
        description
            + " reads one entry per element of '"
            + "each"
            + "'; use keyFor(method, args) of a single-key method of cache "
            + cache);
  }

  /** The state of one bulk call: its elements by key and what became of each. */
  private final class Call {
    final LinkedHashMap<String, @Nullable Object> elements = new LinkedHashMap<>();
    final List<String> toRead = new ArrayList<>();
    final Map<String, @Nullable Object> values = new HashMap<>();
    final Map<String, SingleFlight.Flight> shared = new LinkedHashMap<>();
    final Map<String, SingleFlight.Flight> led = new LinkedHashMap<>();
    final List<String> unread = new ArrayList<>(); // keys that Redis did not answer for

    Call(@Nullable Object[] args) {
      for (Object element : each.elements(args)) {
        elements.putIfAbsent(key.keyForElement(args, element), element);
      }
      for (String k : elements.keySet()) {
        SingleFlight.Flight running = path.flights.joinable(k, entries.kind());
        if (running != null) {
          shared.put(k, running);
        } else if (path.guard.mayUse(k)) {
          toRead.add(k);
        } else {
          unread.add(k);
        }
      }
    }

    String[] readableKeys() {
      return toRead.toArray(String[]::new);
    }

    /** Takes the entries Redis returned ({@code null}: it could not answer). */
    void resolve(@Nullable Map<String, byte[]> found) {
      if (found == null) {
        unread.addAll(toRead);
      } else {
        for (String k : toRead) {
          byte[] bytes = found.get(k);
          if (bytes != null) {
            Object value = entries.decode(counters, k, bytes);
            if (value != MethodEntries.UNUSABLE) {
              counters.hits.increment();
              values.put(k, value); // null: an absence cached with cacheNulls
              continue;
            }
          }
          SingleFlight.Flight flight = path.flights.lead(k, entries.kind());
          if (flight.isLeader()) {
            counters.misses.increment();
            led.put(k, flight);
          } else {
            shared.put(k, flight);
          }
        }
      }
      for (String k : unread) {
        SingleFlight.Flight flight = path.flights.lead(k, entries.kind());
        if (flight.isLeader()) {
          counters.bypassed.increment();
          led.put(k, flight);
        } else {
          shared.put(k, flight);
        }
      }
      shared.keySet().forEach(k -> counters.shared.increment());
    }

    /**
     * The method's arguments with only the elements this call leads in the {@code each} place: what
     * {@code proceed(Object[])} takes, since the aspect binds neither this nor the target.
     */
    @Nullable Object[] argumentsForLoad(@Nullable Object[] args) {
      List<@Nullable Object> missing = new ArrayList<>(led.size());
      led.keySet().forEach(k -> missing.add(elements.get(k)));
      @Nullable Object[] changed = args.clone();
      changed[each.index()] = each.rebuild(missing);
      return changed;
    }

    void loadMissing(ProceedingJoinPoint call, @Nullable Object[] args) throws Throwable {
      if (!led.isEmpty()) {
        Object loaded;
        enterAll();
        try {
          loaded = call.proceed(argumentsForLoad(args));
        } catch (Throwable t) {
          failAll(t);
          throw t;
        } finally {
          exitAll();
        }
        try {
          complete((Map<?, ?>) loaded);
        } catch (RuntimeException e) {
          failAll(e); // never leave a follower waiting on an element this call led
          throw e;
        }
      }
      for (Map.Entry<String, SingleFlight.Flight> entry : shared.entrySet()) {
        values.put(entry.getKey(), entry.getValue().await());
      }
    }

    void loadMissingAsync(
        ProceedingJoinPoint call,
        @Nullable Object[] args,
        CompletableFuture<@Nullable Object> result) {
      CompletableFuture<@Nullable Object> own;
      if (led.isEmpty()) {
        own = CompletableFuture.completedFuture(null);
      } else {
        CompletionStage<?> stage;
        enterAll();
        try {
          stage = (CompletionStage<?>) call.proceed(argumentsForLoad(args));
          if (stage == null) {
            throw new NullPointerException(description + " returned null instead of a future");
          }
        } catch (Throwable t) {
          failAll(t);
          result.completeExceptionally(t);
          return;
        } finally {
          exitAll();
        }
        own = new CompletableFuture<>();
        stage.whenComplete(
            (loaded, error) -> {
              if (error != null) {
                Throwable thrown = Futures.cause(error);
                failAll(thrown);
                own.completeExceptionally(thrown);
              } else {
                try {
                  complete((Map<?, ?>) loaded);
                  own.complete(null);
                } catch (RuntimeException e) {
                  failAll(e);
                  own.completeExceptionally(e);
                }
              }
            });
      }
      CompletableFuture<?> all = own;
      for (Map.Entry<String, SingleFlight.Flight> entry : shared.entrySet()) {
        CompletableFuture<@Nullable Object> one = new CompletableFuture<>();
        AsyncReadPlan.relay(entry.getValue(), one);
        all =
            all.thenCombine(
                one,
                (ignored, value) -> {
                  synchronized (values) {
                    values.put(entry.getKey(), value);
                  }
                  return null;
                });
      }
      all.whenComplete(
          (ignored, error) -> {
            if (error != null) {
              result.completeExceptionally(Futures.cause(error));
            } else {
              result.complete(result());
            }
          });
    }

    private void enterAll() {
      led.values().forEach(SingleFlight.Flight::enter);
    }

    private void exitAll() {
      List<SingleFlight.Flight> flights = new ArrayList<>(led.values());
      for (int i = flights.size() - 1; i >= 0; i--) {
        flights.get(i).exit();
      }
    }

    private void failAll(Throwable t) {
      led.values().forEach(flight -> flight.fail(t));
    }

    /** Completes the led flights from the method's map and stores what it loaded, pipelined. */
    private void complete(@Nullable Map<?, ?> loaded) {
      Map<String, byte[]> toStore = new LinkedHashMap<>();
      Map<SingleFlight.Flight, CompletableFuture<Void>> announced = new HashMap<>();
      for (Map.Entry<String, SingleFlight.Flight> entry : led.entrySet()) {
        String k = entry.getKey();
        SingleFlight.Flight flight = entry.getValue();
        Object value = loaded == null ? null : loaded.get(elements.get(k));
        synchronized (values) {
          values.put(k, value);
        }
        flight.succeed(value);
        byte[] bytes = entries.encode(counters, value);
        CompletableFuture<Void> store =
            bytes == null || !path.guard.mayUse(k) ? null : flight.beginStore();
        if (store == null) {
          flight.finish();
        } else {
          toStore.put(k, bytes);
          announced.put(flight, store);
        }
      }
      if (toStore.isEmpty()) {
        return;
      }
      path.guard
          .storeManyLater(counters, toStore, path.ttlMillis(ttlMillis), description)
          .whenComplete(
              (ok, error) ->
                  announced.forEach(
                      (flight, store) -> {
                        store.complete(null);
                        flight.finish();
                      }));
    }

    /** The result: every element found or loaded, in the argument's order. */
    Map<Object, Object> result() {
      Map<Object, Object> result = new LinkedHashMap<>();
      synchronized (values) {
        elements.forEach(
            (k, element) -> {
              Object value = values.get(k);
              if (value != null && element != null) {
                result.put(element, value);
              }
            });
      }
      return result;
    }
  }
}
