package dev.readthrough.runtime.internal.flight;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One load of one key: the leader runs the method and completes the outcome; followers wait for it.
 * Its state moves only along the edges written down above {@link SingleFlight}, which alone creates
 * flights.
 */
public final class Flight {

  /** One immutable state: a phase and, once DONE, the finish number it was given. */
  public record State(SingleFlight.Phase phase, long finished) {
    public static final State LOADING = new State(SingleFlight.Phase.LOADING, 0);
    public static final State STORING = new State(SingleFlight.Phase.STORING, 0);
    public static final State STALE = new State(SingleFlight.Phase.STALE, 0);
  }

  private final SingleFlight owner;
  public final String key;
  public final Object entryKind;
  private final boolean registered;
  private final AtomicReference<State> state;
  private final CompletableFuture<@Nullable Object> outcome;
  private final @Nullable Flight leader;
  public @Nullable Flight outer; // written and read only by the thread running the method

  /**
   * The leader's exception, kept as thrown: {@code join()} reports a {@code CompletionException}
   * the method itself threw unchanged, but wraps any other; this keeps the instance either way.
   */
  private volatile @Nullable Throwable failure;

  public Flight(SingleFlight owner, String key, Object entryKind, boolean registered) {
    this.owner = owner;
    this.key = key;
    this.entryKind = entryKind;
    this.registered = registered;
    this.state = new AtomicReference<>(State.LOADING);
    this.outcome = new CompletableFuture<>();
    this.leader = null;
  }

  private Flight(Flight leader) {
    this.owner = leader.owner;
    this.key = leader.key;
    this.entryKind = leader.entryKind;
    this.registered = false;
    this.state = leader.state;
    this.outcome = leader.outcome;
    this.leader = leader;
  }

  public Flight follower() {
    return new Flight(this);
  }

  /** Whether this call leads the load (runs the method) rather than sharing another's. */
  public boolean isLeader() {
    return leader == null;
  }

  public boolean isLive() {
    SingleFlight.Phase phase = stateNow().phase;
    return phase == SingleFlight.Phase.LOADING || phase == SingleFlight.Phase.STORING;
  }

  /** Marks the current thread as running this flight's method, until {@link #exit()}. */
  public void enter() {
    outer = SingleFlight.RUNNING_HERE.get();
    SingleFlight.RUNNING_HERE.set(this);
  }

  /** Ends what {@link #enter()} began. */
  public void exit() {
    SingleFlight.RUNNING_HERE.set(outer);
    outer = null;
  }

  /** The leader's outcome: the loaded value (null for none) or the method's exception. */
  public CompletableFuture<@Nullable Object> outcome() {
    return outcome;
  }

  /** Completes the outcome with the loaded value; leader only, once, after its store was sent. */
  public void succeed(@Nullable Object value) {
    outcome.complete(value);
  }

  /** Completes the outcome with the method's exception and ends the flight; leader only. */
  public void fail(Throwable error) {
    failure = error;
    outcome.completeExceptionally(error);
    finish();
  }

  /**
   * Moves LOADING to STORING before the store is sent.
   *
   * @return whether the store may be sent: {@code false} if the flight was superseded
   */
  public boolean beginStore() {
    if (!state.compareAndSet(State.LOADING, State.STORING)) {
      return false; // STALE: an invalidation or write came first
    }
    Runnable hook = owner.beforeStoreSent;
    if (hook != null) {
      hook.run();
    }
    return true;
  }

  /** Whether the flight was superseded: its leader must send no store. */
  public boolean isStale() {
    return stateNow().phase == SingleFlight.Phase.STALE;
  }

  /** Ends the flight: LOADING or STORING become DONE, numbered; STALE stays and leaves. */
  public void finish() {
    if (!registered) {
      return;
    }
    while (true) {
      State current = stateNow();
      if (current.phase == SingleFlight.Phase.DONE) {
        return;
      }
      if (current.phase == SingleFlight.Phase.STALE) {
        owner.finished(this, true);
        return;
      }
      if (state.compareAndSet(
          current, new State(SingleFlight.Phase.DONE, owner.epochs.nextFinish()))) {
        owner.finished(this, false);
        return;
      }
    }
  }

  public void markStale() {
    while (true) {
      State current = stateNow();
      if (current.phase == SingleFlight.Phase.DONE) {
        // finished before the change: no call made from now on may take its outcome
        owner.flights.remove(key, this);
        return;
      }
      if (current.phase == SingleFlight.Phase.STALE) {
        return;
      }
      if (state.compareAndSet(current, State.STALE)) {
        return;
      }
    }
  }

  /** The current state: never null, as it starts LOADING and every change sets a State. */
  public @SuppressWarnings(
      "NullAway") // without JSpecify mode NullAway takes AtomicReference.get() as nullable
  State stateNow() {
    return state.get();
  }

  /** The current phase, for tests. */
  public SingleFlight.Phase phase() {
    return stateNow().phase;
  }

  /**
   * Waits for the leader as long as it runs, and returns its value or throws its exception as the
   * method threw it.
   */
  public @Nullable Object await() throws Throwable {
    try {
      return outcome.join();
    } catch (CompletionException e) {
      throw failure(e);
    }
  }

  /** The leader's exception as the method threw it, given what the outcome reported. */
  public Throwable failure(Throwable reported) {
    Flight first = leader == null ? this : leader;
    Throwable thrown = first.failure;
    if (thrown != null) {
      return thrown;
    }
    return reported instanceof CompletionException && reported.getCause() != null
        ? reported.getCause()
        : reported;
  }
}
