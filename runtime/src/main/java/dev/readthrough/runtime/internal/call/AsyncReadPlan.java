package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.flight.Flight;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.keys.KeyTemplate;
import dev.readthrough.runtime.internal.near.NearTier;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @ReadThrough} method that returns a {@code CompletableFuture<T>} or {@code
 * CompletionStage<T>}: it caches the {@code T} its future completes with, in the same entry a
 * synchronous method of the cache returning {@code T} uses, and the calling thread never waits on
 * Redis. It adapts the call to the same pipeline steps as {@link ReadPlan}, as a future.
 *
 * <p>The call returns a future at once. A hit completes it with the decoded value on the thread
 * that completed the read, with no hop. A miss, or Redis failing or silent past the operation
 * timeout, is dispatched ({@link RequestPath#dispatch}) to the async executor, which claims the
 * key, takes the lease and runs the method; the method's future's completion is dispatched again,
 * so that encoding, storing and completing the caller's future never run on a thread of the
 * method's choosing. The method's exception, thrown or as its future's failure, fails the returned
 * future as that same instance, and nothing is stored.
 */
public record AsyncReadPlan(
    Method method, String cache, KeyTemplate key, ReadSpec spec, RequestPath path) implements Plan {

  @Override
  public String description() {
    return spec.description();
  }

  @Override
  public CompletableFuture<@Nullable Object> handle(ProceedingJoinPoint call) {
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    String key = this.key.keyFor(call.getArgs());
    Object local = Lookup.local(spec, key);
    if (local != NearTier.ABSENT) { // completed here, on the caller's thread: no hop
      spec.counters().recordLocalHits(1);
      result.complete(local);
      return result;
    }
    Flight chain = SingleFlight.runningHere();
    Flight running = path.flights.joinable(key, spec.entries().kind());
    if (running != null) {
      spec.counters().recordShared(1);
      relay(running, result, path);
      return result;
    }
    long ticket = path.epochs.begin();
    long near = Lookup.ticket(spec, key);
    path.lookup
        .oneAsync(spec, key)
        .whenComplete(
            (bytes, unexpected) -> {
              boolean handedOver = false;
              try {
                if (unexpected != null) { // a fault of the engine's: never leave the caller waiting
                  result.completeExceptionally(unexpected);
                  return;
                }
                Object decided = Decide.entry(spec, key, bytes);
                if (Decide.isHit(decided)) {
                  Lookup.keep(spec, key, near, bytes, decided);
                  spec.counters().recordHits(1);
                  if (bytes != null && RefreshAhead.due(spec, bytes)) {
                    path.refresh.offer(
                        spec,
                        key,
                        bytes,
                        keys -> RefreshAhead.one(key, RefreshAhead.await(spec, call.proceed())));
                  }
                  result.complete(decided);
                  return;
                }
                boolean bypassed = decided == Decide.UNAVAILABLE;
                Load.Batch batch =
                    new Load.Batch(spec)
                        .add(new Load.Slot(key, null, bypassed ? null : bytes, bypassed));
                path.dispatch(() -> load(call, batch, ticket, chain, result));
                handedOver = true; // the load ends the ticket once it has claimed the key
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

  /**
   * On the async executor: claims the key, then leads or shares its load. A fault of the engine's
   * fails the caller's future and the flight, never leaves either waiting.
   */
  private void load(
      ProceedingJoinPoint call,
      Load.Batch batch,
      long ticket,
      @Nullable Flight chain,
      CompletableFuture<@Nullable Object> result) {
    try {
      claimAndLoad(call, batch, ticket, chain, result);
    } catch (RuntimeException e) {
      path.load.failed(batch, batch.led, e);
      result.completeExceptionally(e);
    }
  }

  private void claimAndLoad(
      ProceedingJoinPoint call,
      Load.Batch batch,
      long ticket,
      @Nullable Flight chain,
      CompletableFuture<@Nullable Object> result) {
    try {
      path.load.claim(batch, ticket, chain);
    } finally {
      path.epochs.end(ticket);
    }
    if (batch.led.isEmpty()) {
      relay(batch.slots.get(0).flight(), result, path);
      return;
    }
    path.load.prepare(batch);
    Load.Slot slot = batch.led.get(0);
    if (slot.found) {
      result.complete(slot.value);
      return;
    }
    List<Load.Slot> run = batch.led;
    path.load.runAsync(
        batch,
        run,
        call::proceed,
        result,
        result,
        value -> {
          if (value == Load.STALE) {
            result.complete(slot.value);
            return;
          }
          path.load.loaded(batch, run, loaded -> value);
          result.complete(value);
        });
  }

  /**
   * Completes {@code result} as another call's load of the key completes, on the async executor if
   * the load is still running: the leader never runs a follower's completion.
   */
  static void relay(Flight flight, CompletableFuture<@Nullable Object> result, RequestPath path) {
    CompletableFuture<@Nullable Object> outcome = flight.outcome();
    if (outcome.isDone()) {
      complete(flight, outcome, result);
      return;
    }
    outcome.whenComplete((value, error) -> path.dispatch(() -> complete(flight, outcome, result)));
  }

  private static void complete(
      Flight flight,
      CompletableFuture<@Nullable Object> outcome,
      CompletableFuture<@Nullable Object> result) {
    try {
      result.complete(outcome.join());
    } catch (RuntimeException e) {
      result.completeExceptionally(flight.failure(e));
    }
  }

  @Override
  public String keyFor(@Nullable Object[] args) {
    return key.keyFor(args);
  }
}
