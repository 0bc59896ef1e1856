package dev.readthrough.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Owns the loads of keys under way in this JVM, so that one key is loaded once and a load's store
 * never lands after the invalidation or write that superseded it.
 *
 * <h2>The protocol</h2>
 *
 * A {@link Flight} is one load of one key. Its state is one atomic reference that moves only along
 * these edges:
 *
 * <pre>
 *   LOADING ──> STORING(store) ──> DONE
 *      │             │
 *      └──> STALE    └──> STALE(store)
 *   LOADING ──> DONE                        (nothing to store, or the method threw)
 * </pre>
 *
 * <ul>
 *   <li>Only the leader (the call that created the flight) moves it out of LOADING to STORING or
 *       DONE, and out of STORING to DONE. It moves to STORING <em>before</em> it sends the SET, and
 *       only then sends it; the state carries a future that completes once Redis has answered that
 *       SET (or it failed, or timed out).
 *   <li>Anyone who is about to delete or overwrite the key (an invalidation, a write-through, a
 *       programmatic invalidate) first {@linkplain #supersede supersedes} the flight: LOADING or
 *       STORING becomes STALE, keeping the store future, and then waits for that future, bounded by
 *       the operation timeout, before sending its own command. Because both sides change the one
 *       reference by compare-and-set, exactly one of two things holds: the supersede came first and
 *       the leader never sends its SET, or the SET was announced first and the superseder's command
 *       goes out after Redis answered it.
 *   <li>A flight is in the map from its creation until its leader finishes it; followers may join
 *       it in LOADING and STORING (they share the leader's outcome), never in STALE: a call made
 *       after an invalidation must not receive a value loaded before it. A STALE flight is replaced
 *       by the next load of its key.
 *   <li>The outcome (the loaded value, or the method's exception as thrown) is data, not state: it
 *       is completed once, by the leader, before the flight leaves LOADING.
 * </ul>
 *
 * <p>A load that calls its own method with its own key (recursion) must run rather than wait for
 * itself. That is detected by the flights whose method is running on the current thread right now
 * ({@link #RUNNING_HERE}), not by which thread created the flight: an async leader's method runs on
 * an executor thread, and the creating thread may make unrelated calls meanwhile.
 */
final class SingleFlight {

  /** The phases of a flight; see the class comment for the edges between them. */
  enum Phase {
    LOADING,
    STORING,
    DONE,
    STALE
  }

  /** One immutable state: a phase and, from STORING on, the store Redis has not yet answered. */
  record State(Phase phase, @Nullable CompletableFuture<Void> store) {
    static final State LOADING = new State(Phase.LOADING, null);
    static final State DONE = new State(Phase.DONE, null);
    static final State STALE = new State(Phase.STALE, null);
  }

  /** The flights whose method body runs on this thread now, innermost first. */
  private static final ThreadLocal<@Nullable Flight> RUNNING_HERE = new ThreadLocal<>();

  private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  private final long timeoutNanos;

  /** Test hook: runs in the leader after it moved to STORING and before the SET is sent. */
  volatile @Nullable Runnable beforeStoreSent;

  /** Test hook: runs at the start of {@link #lead}. */
  volatile @Nullable Runnable beforeLead;

  /** Test hook: runs in a superseder that found a store to wait for, before it waits. */
  volatile @Nullable Runnable beforeSupersedeWaits;

  SingleFlight(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Returns the flight of {@code key} that a new call may share: one in LOADING or STORING for
   * entries of the same kind, and not running its method on this thread; else {@code null}.
   */
  @Nullable Flight joinable(String key, Object entryKind) {
    Flight flight = flights.get(key);
    if (flight == null || !flight.isJoinable(entryKind) || flight.isRunningHere()) {
      return null;
    }
    return flight;
  }

  /**
   * Whether the current thread is running the method of a load of {@code key} now: a call for the
   * key from here is recursion, which must run rather than wait for itself. An async call asks this
   * on its calling thread, before it moves to the executor.
   */
  boolean isRunningHere(String key) {
    for (Flight f = RUNNING_HERE.get(); f != null; f = f.outer) {
      if (f.key.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** A leader for a recursive call: it runs the method and shares nothing with anyone. */
  Flight unshared(String key, Object entryKind) {
    return new Flight(this, key, entryKind, false);
  }

  /**
   * Makes the calling load the leader of {@code key}, or returns the flight it must share.
   *
   * @return a flight whose {@link Flight#isLeader()} says which of the two it is; for a recursive
   *     call (this thread is running the key's method) a fresh leader that is not registered
   */
  Flight lead(String key, Object entryKind) {
    Runnable hook = beforeLead;
    if (hook != null) {
      hook.run();
    }
    Flight mine = new Flight(this, key, entryKind, true);
    while (true) {
      Flight running = flights.putIfAbsent(key, mine);
      if (running == null) {
        return mine;
      }
      if (running.isRunningHere() || (!running.isJoinable(entryKind) && running.isLive())) {
        // recursion, or a live load of another kind of entry under this key: run unshared
        return new Flight(this, key, entryKind, false);
      }
      if (running.isJoinable(entryKind)) {
        return running.follower();
      }
      if (flights.replace(key, running, mine)) { // stale or done: replace it
        return mine;
      }
    }
  }

  /**
   * Makes every flight of {@code key} stale and waits, up to the operation timeout, for a store it
   * already announced, so that a delete or write sent next reaches Redis after it.
   */
  void supersede(String key) {
    Flight flight = flights.get(key);
    if (flight != null) {
      await(flight.markStale());
    }
  }

  /** Supersedes every flight whose key starts with {@code head}, as {@code allEntries} needs. */
  void supersedeAll(String head) {
    List<CompletableFuture<Void>> stores = new ArrayList<>();
    flights.forEach(
        (key, flight) -> {
          if (key.startsWith(head)) {
            CompletableFuture<Void> store = flight.markStale();
            if (store != null) {
              stores.add(store);
            }
          }
        });
    stores.forEach(this::await);
  }

  private void await(@Nullable CompletableFuture<Void> store) {
    if (store == null) {
      return;
    }
    Runnable hook = beforeSupersedeWaits;
    if (hook != null) {
      hook.run();
    }
    Futures.awaitQuietly(store, timeoutNanos);
  }

  /** How many flights are registered, for tests. */
  int size() {
    return flights.size();
  }

  private void remove(Flight flight) {
    flights.remove(flight.key, flight);
  }

  /**
   * One load of one key: the leader runs the method and completes the outcome; followers wait for
   * it. See {@link SingleFlight} for the states.
   */
  static final class Flight {

    private final SingleFlight owner;
    final String key;
    private final Object entryKind;
    private final boolean registered;
    private final AtomicReference<State> state = new AtomicReference<>(State.LOADING);
    private final CompletableFuture<@Nullable Object> outcome;
    private final @Nullable Flight leader;
    private @Nullable Flight outer; // written and read only by the thread running the method

    /**
     * The leader's exception, kept as thrown: {@code join()} reports a {@code CompletionException}
     * the method itself threw unchanged, but wraps any other; this keeps the instance either way.
     */
    private volatile @Nullable Throwable failure;

    private Flight(SingleFlight owner, String key, Object entryKind, boolean registered) {
      this.owner = owner;
      this.key = key;
      this.entryKind = entryKind;
      this.registered = registered;
      this.outcome = new CompletableFuture<>();
      this.leader = null;
    }

    private Flight(Flight leader) {
      this.owner = leader.owner;
      this.key = leader.key;
      this.entryKind = leader.entryKind;
      this.registered = false;
      this.outcome = leader.outcome;
      this.leader = leader;
    }

    private Flight follower() {
      return new Flight(this);
    }

    /** Whether this call leads the load (runs the method) rather than sharing another's. */
    boolean isLeader() {
      return leader == null;
    }

    private boolean isJoinable(Object kind) {
      Phase phase = stateNow().phase();
      return (phase == Phase.LOADING || phase == Phase.STORING) && entryKind.equals(kind);
    }

    private boolean isLive() {
      Phase phase = stateNow().phase();
      return phase == Phase.LOADING || phase == Phase.STORING;
    }

    /** Whether this flight's method is running on the current thread now (recursion). */
    private boolean isRunningHere() {
      for (Flight f = RUNNING_HERE.get(); f != null; f = f.outer) {
        if (f == this) {
          return true;
        }
      }
      return false;
    }

    /** Marks the current thread as running this flight's method, until {@link #exit()}. */
    void enter() {
      outer = RUNNING_HERE.get();
      RUNNING_HERE.set(this);
    }

    /** Ends what {@link #enter()} began. */
    void exit() {
      RUNNING_HERE.set(outer);
      outer = null;
    }

    /** The leader's outcome: the loaded value (null for none) or the method's exception. */
    CompletableFuture<@Nullable Object> outcome() {
      return outcome;
    }

    /** Completes the outcome with the loaded value; leader only, once. */
    void succeed(@Nullable Object value) {
      outcome.complete(value);
    }

    /** Completes the outcome with the method's exception and ends the flight; leader only. */
    void fail(Throwable error) {
      failure = error;
      outcome.completeExceptionally(error);
      finish();
    }

    /**
     * Moves LOADING to STORING before the SET is sent.
     *
     * @return the future to complete once Redis answered the SET, or {@code null} if the flight was
     *     superseded and nothing may be stored
     */
    @Nullable CompletableFuture<Void> beginStore() {
      CompletableFuture<Void> store = new CompletableFuture<>();
      if (!state.compareAndSet(State.LOADING, new State(Phase.STORING, store))) {
        return null; // STALE: an invalidation or write came first
      }
      Runnable hook = owner.beforeStoreSent;
      if (hook != null) {
        hook.run();
      }
      return store;
    }

    /** Ends the flight: STORING or LOADING become DONE (STALE stays), and it leaves the map. */
    void finish() {
      while (true) {
        State current = stateNow();
        if (current.phase() == Phase.STALE || current.phase() == Phase.DONE) {
          break;
        }
        if (state.compareAndSet(current, State.DONE)) {
          break;
        }
      }
      if (registered) {
        owner.remove(this);
      }
    }

    /**
     * Moves LOADING or STORING to STALE.
     *
     * @return the store the superseder must wait for, or {@code null}
     */
    private @Nullable CompletableFuture<Void> markStale() {
      while (true) {
        State current = stateNow();
        switch (current.phase()) {
          case LOADING -> {
            if (state.compareAndSet(current, State.STALE)) {
              return null;
            }
          }
          case STORING -> {
            if (state.compareAndSet(current, new State(Phase.STALE, current.store()))) {
              return current.store();
            }
          }
          default -> {
            return current.store(); // STALE keeps a store still under way; DONE has none
          }
        }
      }
    }

    /** The current state: never null, as it starts LOADING and every change sets a State. */
    @SuppressWarnings(
        "NullAway") // without JSpecify mode NullAway takes AtomicReference.get() as nullable
    private State stateNow() {
      return state.get();
    }

    /** The current phase, for tests. */
    Phase phase() {
      return stateNow().phase();
    }

    /**
     * Waits for the leader as long as it runs, and returns its value or throws its exception as the
     * method threw it.
     */
    @Nullable Object await() throws Throwable {
      try {
        return outcome.join();
      } catch (CompletionException e) {
        throw failure(e);
      }
    }

    /** The leader's exception as the method threw it, given what the outcome reported. */
    Throwable failure(Throwable reported) {
      Flight first = leader == null ? this : leader;
      Throwable thrown = first.failure;
      if (thrown != null) {
        return thrown;
      }
      return Futures.cause(reported);
    }
  }
}
