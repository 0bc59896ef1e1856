package dev.readthrough.sample;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The slow upstream the sample caches: a university directory that answers after a fixed delay, as
 * a remote HTTP API would, and counts how often it is called, in all and per calling thread.
 *
 * <p>The data live in memory so that the sample runs without a network; the delay is the whole
 * point of the simulation and is not used to synchronise anything.
 */
public final class UniversityApi {

  /** How many universities one page of {@link #search(String, int)} holds. */
  public static final int PAGE_SIZE = 5;

  private final Duration latency;
  private final AtomicLong calls = new AtomicLong();
  private final ThreadLocal<long[]> callsHere = ThreadLocal.withInitial(() -> new long[1]);
  private final Map<String, University> byId = new ConcurrentHashMap<>();

  /**
   * Creates the directory with its built-in data.
   *
   * @param latency how long every call takes; {@link Duration#ZERO} for tests
   * @throws IllegalArgumentException if the latency is negative
   */
  public UniversityApi(Duration latency) {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    this.latency = latency;
    for (University university : DATA) {
      byId.put(university.id(), university);
    }
  }

  /** Returns how long every call takes. */
  public Duration latency() {
    return latency;
  }

  /** Test hook: runs at the start of every call with what is asked, such as "search DE 1". */
  volatile @Nullable Consumer<String> beforeAnswer;

  /** Returns how many calls this upstream has answered so far. */
  public long calls() {
    return calls.get();
  }

  /**
   * Returns how many calls the current thread has made to this upstream. Unlike {@link #calls()},
   * its change across a service call says exactly whether that call reached the upstream, however
   * many other threads call it meanwhile: a call that waited for another thread's load of the same
   * key did not.
   */
  public long callsOnThisThread() {
    return callsHere.get()[0];
  }

  /**
   * Returns one page of the universities of a country, sorted by name; an empty list past the last
   * page or for a country with none.
   *
   * @param country an ISO 3166 alpha-2 code, upper case
   * @param page the page number, from 1
   * @throws IllegalArgumentException if the page is below 1
   */
  public List<University> search(String country, int page) {
    Objects.requireNonNull(country, "country");
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1: " + page);
    }
    respond("search " + country + " " + page);
    return byId.values().stream()
        .filter(u -> u.country().equals(country))
        .sorted(Comparator.comparing(University::name))
        .skip((long) (page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .toList();
  }

  /** Returns the university with this id, if there is one. */
  public Optional<University> find(String id) {
    Objects.requireNonNull(id, "id");
    respond("find " + id);
    return Optional.ofNullable(byId.get(id));
  }

  /** Stores a new or changed university and returns it as the directory now holds it. */
  public University update(University university) {
    Objects.requireNonNull(university, "university");
    respond("update " + university.id());
    byId.put(university.id(), university);
    return university;
  }

  private void respond(String question) {
    calls.incrementAndGet();
    callsHere.get()[0]++;
    Consumer<String> hook = beforeAnswer;
    if (hook != null) {
      hook.accept(question);
    }
    if (latency.isZero()) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(latency.toNanos()); // the simulated network and server time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the upstream", e);
    }
  }

  private static final List<University> DATA =
      Stream.of(
              de("de-tum", "Technical University of Munich", "Munich", 1868),
              de("de-lmu", "Ludwig Maximilian University of Munich", "Munich", 1472),
              de("de-hu-berlin", "Humboldt University of Berlin", "Berlin", 1810),
              de("de-fu-berlin", "Free University of Berlin", "Berlin", 1948),
              de("de-heidelberg", "Heidelberg University", "Heidelberg", 1386),
              de("de-rwth", "RWTH Aachen University", "Aachen", 1870),
              de("de-kit", "Karlsruhe Institute of Technology", "Karlsruhe", 1825),
              de("de-goettingen", "University of Goettingen", "Goettingen", 1737),
              de("de-freiburg", "University of Freiburg", "Freiburg", 1457),
              de("de-tu-dresden", "TU Dresden", "Dresden", 1828),
              de("de-bonn", "University of Bonn", "Bonn", 1818),
              de("de-hamburg", "University of Hamburg", "Hamburg", 1919),
              fr("fr-polytechnique", "Ecole Polytechnique", "Palaiseau", 1794),
              fr("fr-sorbonne", "Sorbonne University", "Paris", 1257),
              fr("fr-psl", "PSL University", "Paris", 2010),
              fr("fr-paris-saclay", "Paris-Saclay University", "Orsay", 2019),
              fr("fr-lyon1", "Claude Bernard University Lyon 1", "Lyon", 1971),
              fr("fr-strasbourg", "University of Strasbourg", "Strasbourg", 1538),
              fr("fr-grenoble", "Grenoble Alpes University", "Grenoble", 1339),
              nl("nl-uva", "University of Amsterdam", "Amsterdam", 1632),
              nl("nl-leiden", "Leiden University", "Leiden", 1575),
              nl("nl-tudelft", "Delft University of Technology", "Delft", 1842),
              nl("nl-utrecht", "Utrecht University", "Utrecht", 1636),
              nl("nl-groningen", "University of Groningen", "Groningen", 1614),
              nl("nl-tue", "Eindhoven University of Technology", "Eindhoven", 1956),
              gb("gb-oxford", "University of Oxford", "Oxford", 1096),
              gb("gb-cambridge", "University of Cambridge", "Cambridge", 1209),
              gb("gb-imperial", "Imperial College London", "London", 1907),
              gb("gb-ucl", "University College London", "London", 1826),
              gb("gb-edinburgh", "University of Edinburgh", "Edinburgh", 1583),
              gb("gb-manchester", "University of Manchester", "Manchester", 1824))
          .toList();

  private static University de(String id, String name, String city, int founded) {
    return new University(id, name, "DE", city, founded);
  }

  private static University fr(String id, String name, String city, int founded) {
    return new University(id, name, "FR", city, founded);
  }

  private static University nl(String id, String name, String city, int founded) {
    return new University(id, name, "NL", city, founded);
  }

  private static University gb(String id, String name, String city, int founded) {
    return new University(id, name, "GB", city, founded);
  }
}
