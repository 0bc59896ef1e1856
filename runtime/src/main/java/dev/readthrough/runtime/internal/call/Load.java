package dev.readthrough.runtime.internal.call;

import dev.readthrough.runtime.internal.flight.Flight;
import dev.readthrough.runtime.internal.flight.SingleFlight;
import dev.readthrough.runtime.internal.redis.RedisGuard;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The load step of a read: for the keys one call missed, leads or follows each key's flight, takes
 * the distributed lock and the lease of what it leads, and once the method ran hands the loaded
 * values to the {@link Store} and to the followers. One call of one key is a batch of one; sync,
 * async and bulk calls differ only in how they run the method between {@link #prepare} and {@link
 * #loaded}, so every rule below holds for all of them.
 *
 * <p>Each distinct key counts one outcome, recorded here: a key led is a miss (a bypass when Redis
 * gave no answer for it), a key followed is shared, and a key whose value turned up under the lock
 * or lease (another JVM stored it meanwhile) is a hit.
 */
public final class Load {

  /**
   * What {@link #run} returns, and {@link #runAsync} hands on, instead of the method's result when
   * the method failed and the call falls back on stale entries ({@link Stale}): each slot run then
   * holds its stale value, and nothing is stored. Compared by identity.
   */
  public static final Object STALE = new Object();

  private final RequestPath path;
  private final Stale stale = new Stale();

  public Load(RequestPath path) {
    this.path = path;
  }

  /** One key of a call that missed, and what became of it. */
  public static final class Slot {
    public final String key;
    public final @Nullable Object element;
    public final byte @Nullable [] seen;
    public final boolean bypassed;
    private @Nullable Flight flight;
    private boolean recursive;

    /** The lease this load set on the key, or {@code null} if it holds none. */
    public byte @Nullable [] lease;

    public boolean found;
    public @Nullable Object value;
    public RedisGuard.@Nullable Lock lock;

    /**
     * @param element the bulk element the key is of, or {@code null} for a single-key call
     * @param seen what the read found: an unusable entry or a lease, or {@code null} for nothing
     * @param bypassed whether Redis gave no answer for the key
     */
    public Slot(String key, @Nullable Object element, byte @Nullable [] seen, boolean bypassed) {
      this.key = key;
      this.element = element;
      this.seen = seen;
      this.bypassed = bypassed;
    }

    public Flight flight() {
      Flight claimed = flight;
      if (claimed == null) {
        throw new IllegalStateException("slot " + key + " was not claimed");
      }
      return claimed;
    }
  }

  /** The missed keys of one call, distinct and in the argument's order. */
  public static final class Batch {
    public final ReadSpec spec;
    public final List<Slot> slots = new ArrayList<>();
    public final List<Slot> led = new ArrayList<>();
    public final List<Slot> followed = new ArrayList<>();

    /** The lease of this call's loads, or {@code null} while none was taken. */
    public byte @Nullable [] lease;

    public Batch(ReadSpec spec) {
      this.spec = spec;
    }

    public Batch add(Slot slot) {
      slots.add(slot);
      return this;
    }

    /** The keys this call runs the method for, in the argument's order. */
    public List<Slot> toRun() {
      List<Slot> run = new ArrayList<>(led.size());
      for (Slot slot : led) {
        if (!slot.found) {
          run.add(slot);
        }
      }
      return run;
    }
  }

  /**
   * Claims each key's flight: leads it, follows a live load, or takes the outcome of a load that
   * finished after the call's read began. Runs before the call's read ticket ends.
   *
   * @param ticket the call's read ticket, or -1 if it read nothing
   * @param chain the flights running on the call's thread when it was made
   */
  public void claim(Batch batch, long ticket, @Nullable Flight chain) {
    Object kind = batch.spec.entries().kind();
    for (Slot slot : batch.slots) {
      Flight flight = path.flights.claim(slot.key, kind, ticket, chain);
      slot.flight = flight;
      slot.recursive = SingleFlight.holds(chain, slot.key);
      (flight.isLeader() ? batch.led : batch.followed).add(slot);
    }
    if (!batch.followed.isEmpty()) {
      batch.spec.counters().recordShared(batch.followed.size());
    }
  }

  /**
   * Before the method runs: takes the distributed lock (if configured) and the lease of each key
   * led with an answer from Redis. A key whose entry turned up meanwhile is found: its flight
   * completes with that value, and the method does not run for it.
   */
  public void prepare(Batch batch) {
    ReadSpec spec = batch.spec;
    List<Slot> asked = new ArrayList<>(batch.led.size());
    for (Slot slot : batch.led) {
      if (!slot.bypassed && path.guard.mayUse(slot.key)) {
        asked.add(slot);
      }
    }
    if (path.config.distributedLock() && !asked.isEmpty()) {
      lock(spec, asked); // not for a recursive call: its own outer call holds the lock
    }
    if (!asked.isEmpty()) {
      asked.removeIf(slot -> !path.guard.mayUse(slot.key)); // the lock may have found Redis down
      if (!asked.isEmpty()) {
        lease(batch, asked);
      }
    }
    int hits = 0;
    int misses = 0;
    int bypassed = 0;
    for (Slot slot : batch.led) {
      if (slot.found) {
        hits++;
        slot.flight().succeed(slot.value);
        slot.flight().finish();
        unlock(spec, slot);
      } else if (slot.bypassed) {
        bypassed++;
      } else {
        misses++;
      }
    }
    Recorder recorder = spec.counters();
    if (hits > 0) {
      recorder.recordHits(hits);
    }
    if (misses > 0) {
      recorder.recordMisses(misses);
    }
    if (bypassed > 0) {
      recorder.recordBypassed(bypassed);
    }
  }

  /** Locks in key order, so that two bulk calls over the same keys never wait for each other. */
  private void lock(ReadSpec spec, List<Slot> asked) {
    List<Slot> ordered = new ArrayList<>(asked);
    ordered.sort(Comparator.comparing(slot -> slot.key));
    for (Slot slot : ordered) {
      if (!slot.recursive) {
        slot.lock = path.guard.lock(spec.counters(), slot.key, spec.description());
      }
    }
  }

  private void lease(Batch batch, List<Slot> asked) {
    ReadSpec spec = batch.spec;
    byte[] lease = Store.newLease();
    List<String> keys = new ArrayList<>(asked.size());
    List<byte @Nullable []> seen = new ArrayList<>(asked.size());
    List<byte[]> leases = new ArrayList<>(asked.size());
    long now = System.currentTimeMillis();
    for (Slot slot : asked) {
      keys.add(slot.key);
      seen.add(slot.seen);
      leases.add(Store.leaseOf(lease, Stale.entryOf(spec, slot.seen, now)));
    }
    List<byte @Nullable []> held =
        path.guard.lease(
            spec.counters(),
            keys,
            seen,
            leases,
            Store.leaseMillis(spec.ttlMillis()),
            spec.description(),
            System.nanoTime() + path.timeoutNanos);
    if (held == null) {
      return; // Redis did not answer: the method runs, and nothing is stored
    }
    batch.lease = lease;
    for (int i = 0; i < asked.size(); i++) {
      Slot slot = asked.get(i);
      byte[] found = held.get(i);
      if (found == null) {
        slot.lease = leases.get(i);
        continue;
      }
      Object decided = Decide.entry(spec, slot.key, found);
      if (Decide.isHit(decided)) { // stored meanwhile, by another JVM's load or a write
        slot.found = true;
        slot.value = decided;
      }
      // else another load's lease, or an entry this method cannot use: run, store nothing
    }
  }

  /**
   * After the method returned for {@code run}: stores each value under its lease, then completes
   * the flights, so that followers woken by a value never delay its store. With the distributed
   * lock held, waits (bounded) for the store before releasing the lock, so that the next JVM finds
   * the entry.
   *
   * @param valueOf the value the method gave each slot (a missing element is {@code null})
   */
  public void loaded(Batch batch, List<Slot> run, Function<Slot, @Nullable Object> valueOf) {
    for (Slot slot : run) {
      slot.value = valueOf.apply(slot);
    }
    CompletableFuture<Void> stored = path.store.store(batch, run);
    for (Slot slot : run) {
      slot.flight().succeed(slot.value);
    }
    boolean locked = false;
    for (Slot slot : run) {
      locked |= slot.lock != null;
    }
    if (locked) {
      Futures.awaitQuietly(stored, path.timeoutNanos);
      for (Slot slot : run) {
        unlock(batch.spec, slot);
      }
    }
  }

  /**
   * After the method threw for {@code run}, or its result could not be read: fails their flights
   * with that exception, removes their leases and releases their locks.
   */
  public void failed(Batch batch, List<Slot> run, Throwable error) {
    for (Slot slot : run) {
      slot.flight().fail(error);
      unlock(batch.spec, slot);
    }
    path.store.release(batch, run, true);
  }

  /**
   * After the method failed for {@code run} with {@code error}: falls back on their stale entries
   * if {@link Stale} allows it, completing their flights with those values, putting the entries
   * back in place of the leases and releasing the locks.
   *
   * @return whether it fell back; if not, nothing was done
   */
  private boolean fellBack(Batch batch, List<Slot> run, Throwable error) {
    if (!stale.serve(batch, run, error)) {
      return false;
    }
    for (Slot slot : run) {
      slot.flight().succeed(slot.value);
      slot.flight().finish();
      unlock(batch.spec, slot);
    }
    path.store.release(batch, run, true);
    return true;
  }

  /** The woven method, called for the keys a call leads. */
  @FunctionalInterface
  public interface Method {
    /** Calls the method: what it returns, or what it throws. */
    @Nullable Object call() throws Throwable;
  }

  /**
   * Runs the method for {@code run} on this thread, marked as running their loads (recursion is
   * told by that mark); if it throws, falls back on their stale entries ({@link #STALE}) or fails
   * their flights and rethrows the very exception.
   */
  public @Nullable Object run(Batch batch, List<Slot> run, Method method) throws Throwable {
    Recorder recorder = batch.spec.counters();
    long start = recorder.timed() ? System.nanoTime() : 0;
    try {
      Object value = call(batch, run, method);
      if (start != 0) {
        recorder.recordLoad(System.nanoTime() - start, false);
      }
      return value;
    } catch (Throwable t) {
      if (start != 0) {
        recorder.recordLoad(System.nanoTime() - start, true);
      }
      throw t;
    }
  }

  /** {@link #run} without the load's time: an async load ends when its future does. */
  private @Nullable Object call(Batch batch, List<Slot> run, Method method) throws Throwable {
    enter(run);
    try {
      return method.call();
    } catch (Throwable t) {
      if (fellBack(batch, run, t)) {
        return STALE;
      }
      failed(batch, run, t);
      throw t;
    } finally {
      exit(run);
    }
  }

  /**
   * Runs a method that returns a future for {@code run}, as {@link #run} does, and hands its
   * outcome on once the future completed ({@link Futures#onCompletion}: never on the thread that
   * completed it): a failure fails their flights and {@code failTo}, as the method failed it; a
   * value goes to {@code then}. If the method throws or returns no future, fails their flights and
   * {@code thrownTo} instead. A failure the call falls back on stale entries for hands {@link
   * #STALE} to {@code then}.
   */
  public void runAsync(
      Batch batch,
      List<Slot> run,
      Method method,
      CompletableFuture<@Nullable Object> thrownTo,
      CompletableFuture<@Nullable Object> failTo,
      Consumer<@Nullable Object> then) {
    Recorder recorder = batch.spec.counters();
    long start = recorder.timed() ? System.nanoTime() : 0;
    Object stage;
    try {
      stage = call(batch, run, method);
    } catch (Throwable t) { // call has failed the flights
      if (start != 0) {
        recorder.recordLoad(System.nanoTime() - start, true);
      }
      thrownTo.completeExceptionally(t);
      return;
    }
    if (stage == STALE) {
      if (start != 0) {
        recorder.recordLoad(System.nanoTime() - start, true);
      }
      then.accept(STALE);
      return;
    }
    if (stage == null) {
      if (start != 0) {
        recorder.recordLoad(System.nanoTime() - start, true);
      }
      NullPointerException none =
          new NullPointerException(batch.spec.description() + " returned null instead of a future");
      failed(batch, run, none);
      thrownTo.completeExceptionally(none);
      return;
    }
    Futures.onCompletion(
        (CompletionStage<?>) stage,
        path,
        (value, error) -> {
          if (start != 0) {
            recorder.recordLoad(System.nanoTime() - start, error != null);
          }
          if (error != null) {
            Throwable cause = Futures.cause(error);
            if (fellBack(batch, run, cause)) {
              then.accept(STALE);
              return;
            }
            failed(batch, run, cause);
            failTo.completeExceptionally(error);
          } else {
            then.accept(value);
          }
        });
  }

  private static void enter(List<Slot> run) {
    for (Slot slot : run) {
      slot.flight().enter();
    }
  }

  /** Ends what {@link #enter} began, in reverse order. */
  private static void exit(List<Slot> run) {
    for (int i = run.size() - 1; i >= 0; i--) {
      run.get(i).flight().exit();
    }
  }

  private void unlock(ReadSpec spec, Slot slot) {
    RedisGuard.Lock lock = slot.lock;
    if (lock != null) {
      slot.lock = null;
      path.guard.unlock(spec.counters(), lock, slot.key, spec.description());
    }
  }
}
