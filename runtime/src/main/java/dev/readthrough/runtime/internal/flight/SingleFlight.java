package dev.readthrough.runtime.internal.flight;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Owns the loads of keys under way in this JVM, so that one key is loaded once, and a call whose
 * read was sent before a load of its key finished takes that load's outcome.
 *
 * <h2>The protocol</h2>
 *
 * A {@link Flight} is one load of one key. Its state is one atomic reference that moves only along
 * these edges:
 *
 * <pre>
 *   LOADING ──> STORING ──> DONE
 *      │           │
 *      └──> STALE &lt;┘
 *   LOADING ──> DONE            (nothing to store, or the method threw)
 * </pre>
 *
 * <ul>
 *   <li>Only the leader (the call that {@linkplain #claim claimed} the key first) moves a flight
 *       out of LOADING to STORING or DONE, and out of STORING to DONE. It moves to STORING before
 *       it sends its store, and to DONE once Redis answered it (or could not).
 *   <li>Anyone about to delete or overwrite the key (an invalidation, a write-through, a
 *       programmatic invalidate) first {@linkplain #supersede supersedes} its flight: LOADING or
 *       STORING becomes STALE. A leader that finds its flight STALE sends no store. A store already
 *       sent needs no waiting for: every store of a load is conditional in Redis on the lease its
 *       leader took before running the method (see {@link
 *       dev.readthrough.runtime.internal.call.Store}), and the superseder's delete or write removes
 *       that lease, so a store that reaches Redis after it changes nothing, in this JVM or any
 *       other.
 *   <li>Followers join a flight in LOADING or STORING (they share the leader's outcome), never in
 *       STALE: a call made after an invalidation must not receive a value loaded before it.
 *   <li>A DONE flight stays in the table until the {@linkplain ReadEpochs read epochs} say that
 *       every read begun before it finished has come back. A call whose read missed and whose
 *       ticket is older than the flight's finish takes the flight's outcome (counted as shared):
 *       its miss may have been read before the store landed. Any other call replaces a DONE or
 *       STALE flight with its own. A STALE flight leaves the table as soon as its leader finishes.
 *   <li>The outcome (the loaded value, or the method's exception as thrown) is data, not state: it
 *       is completed once, by the leader, after its store was sent, so that followers woken by it
 *       never delay the store.
 * </ul>
 *
 * <p>A load that calls its own method with its own key (recursion) must run rather than wait for
 * itself. That is detected by the flights whose method runs on the calling thread right now ({@link
 * #runningHere()}), not by which thread created the flight: an async leader's method runs on an
 * executor thread, and the creating thread may make unrelated calls meanwhile. An async call takes
 * that chain on its calling thread and hands it to {@link #claim}, which runs on the executor.
 */
public final class SingleFlight {

  /** The phases of a flight; see the class comment for the edges between them. */
  public enum Phase {
    LOADING,
    STORING,
    DONE,
    STALE
  }

  /** How long the sweeper waits between its steps. */
  private static final long SWEEP_MILLIS = 20;

  /** The flights whose method body runs on this thread now, innermost first. */
  public static final ThreadLocal<@Nullable Flight> RUNNING_HERE = new ThreadLocal<>();

  public final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
  public final ReadEpochs epochs = new ReadEpochs();
  private final ScheduledExecutorService sweeper;
  private final AtomicBoolean sweepScheduled = new AtomicBoolean();

  /** Sweeper state: the parity being drained, or -1; the finish count when it was advanced. */
  private int draining = -1;

  private long drainUpTo;

  /** Test hook: runs in the leader after it moved to STORING and before the store is sent. */
  public volatile @Nullable Runnable beforeStoreSent;

  /** Test hook: runs at the start of {@link #claim}. */
  public volatile @Nullable Runnable beforeClaim;

  /**
   * @param sweeper the engine's scheduler, which drops finished flights once no read needs them
   */
  public SingleFlight(ScheduledExecutorService sweeper) {
    this.sweeper = sweeper;
  }

  /** The read tickets: a read begins before it is sent and ends once its call has claimed. */
  public ReadEpochs epochs() {
    return epochs;
  }

  /**
   * Returns the flight of {@code key} that a new call may share before it reads Redis: one in
   * LOADING or STORING for entries of the same kind, and not running its method on this thread;
   * else {@code null}.
   */
  public @Nullable Flight joinable(String key, Object entryKind) {
    Flight flight = flights.get(key);
    if (flight == null || !flight.isLive() || !flight.entryKind.equals(entryKind)) {
      return null;
    }
    if (holds(RUNNING_HERE.get(), key)) {
      return null; // recursion: a load of this key runs its method on this thread
    }
    return flight;
  }

  /** The chain of flights whose method runs on the calling thread now, or {@code null}. */
  public static @Nullable Flight runningHere() {
    return RUNNING_HERE.get();
  }

  /** Whether {@code chain} holds a load of {@code key}: a call for it is recursion. */
  public static boolean holds(@Nullable Flight chain, String key) {
    for (Flight f = chain; f != null; f = f.outer) {
      if (f.key.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Claims the load of {@code key} for a call whose read missed: the call leads a new flight,
   * follows a live one, or takes the outcome of one that finished after its read began.
   *
   * @param ticket the call's read ticket ({@link ReadEpochs#begin()}), or -1 if it read nothing
   * @param chain the flights running on the call's thread when it was made ({@link #runningHere})
   * @return a flight whose {@link Flight#isLeader()} says whether the call runs the method; for a
   *     recursive call, or one that meets a live load of another kind of entry, a leader that is
   *     not in the table and so shares nothing
   */
  public Flight claim(String key, Object entryKind, long ticket, @Nullable Flight chain) {
    Runnable hook = beforeClaim;
    if (hook != null) {
      hook.run();
    }
    if (holds(chain, key)) {
      return new Flight(this, key, entryKind, false);
    }
    Flight mine = new Flight(this, key, entryKind, true);
    while (true) {
      Flight found = flights.putIfAbsent(key, mine);
      if (found == null) {
        return mine;
      }
      Flight.State state = found.stateNow();
      boolean sameKind = found.entryKind.equals(entryKind);
      if (state.phase() == Phase.LOADING || state.phase() == Phase.STORING) {
        return sameKind ? found.follower() : new Flight(this, key, entryKind, false);
      }
      if (state.phase() == Phase.DONE
          && sameKind
          && ticket >= 0
          && state.finished() > ReadEpochs.finishesAt(ticket)) {
        return found.follower(); // finished after this call's read began: its miss may be stale
      }
      if (flights.replace(key, found, mine)) { // stale, or done before this call's read
        return mine;
      }
    }
  }

  /**
   * Makes the flight of {@code key} stale, so that its leader sends no store and no later call
   * joins it. A store already sent needs no waiting for: it is conditional on a lease that the
   * caller's own delete or write is about to remove.
   */
  public void supersede(String key) {
    Flight flight = flights.get(key);
    if (flight != null) {
      flight.markStale();
    }
  }

  /** Supersedes every flight whose key starts with {@code head}, as {@code allEntries} needs. */
  public void supersedeAll(String head) {
    flights.forEach(
        (key, flight) -> {
          if (key.startsWith(head)) {
            flight.markStale();
          }
        });
  }

  /** How many flights are loading or storing now, for tests. */
  public int size() {
    int live = 0;
    for (Flight flight : flights.values()) {
      if (flight.isLive()) {
        live++;
      }
    }
    return live;
  }

  /** How many flights the table holds, finished ones kept for late reads included, for tests. */
  public int retained() {
    return flights.size();
  }

  public void finished(Flight flight, boolean stale) {
    if (stale) {
      flights.remove(flight.key, flight);
    } else {
      sweepSoon();
    }
  }

  private void sweepSoon() {
    if (!sweepScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      sweeper.schedule(this::sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      sweepScheduled.set(false); // the engine is closing: the table goes with it
    }
  }

  /**
   * One step of the sweeper, on the scheduler's one thread: advance the epoch, or, once the reads
   * begun before the advance have all ended, drop the flights that finished before it.
   */
  private void sweep() {
    sweepScheduled.set(false);
    if (draining < 0) {
      drainUpTo = epochs.finishes();
      draining = epochs.advance();
    }
    if (epochs.drained(draining)) {
      long upTo = drainUpTo;
      flights.forEach(
          (key, flight) -> {
            Flight.State state = flight.stateNow();
            if (state.phase() == Phase.DONE && state.finished() <= upTo) {
              flights.remove(key, flight);
            }
          });
      draining = -1;
    }
    for (Flight flight : flights.values()) {
      if (!flight.isLive()) {
        sweepSoon();
        return;
      }
    }
  }
}
