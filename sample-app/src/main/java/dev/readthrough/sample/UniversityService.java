package dev.readthrough.sample;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The university directory as the rest of the application sees it: every read is cached in Redis
 * for five minutes, so the slow {@link UniversityApi} is called once per distinct question.
 *
 * <p>The annotations are woven into these methods at build time; nothing here knows about Redis.
 */
@Singleton
public final class UniversityService {

  /** The cache of {@link #byId(String)}, the one with a local tier. */
  public static final String BY_ID_CACHE = "university";

  private final UniversityApi upstream;

  /** Creates the service over this upstream. */
  @Inject
  public UniversityService(UniversityApi upstream) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
  }

  /**
   * Returns one page of a country's universities. Cached under {@code
   * rt:universities:<country>:<page>}, such as {@code rt:universities:DE:1}.
   *
   * <p>An empty page (a country the directory does not know, or a page past the last) is cached
   * like any other: it costs the upstream as much to answer, and caching it keeps repeated
   * questions for a country with no universities from reaching the upstream each time. A country
   * added upstream shows up once the entry expires or {@link #refresh()} runs.
   */
  @ReadThrough(
      key = {"country", "page"},
      ttlSeconds = 300,
      cache = "universities")
  public List<University> search(String country, int page) {
    return upstream.search(country, page);
  }

  /**
   * Returns the university with this id. Cached under {@code rt:university:<id>}, and a copy is
   * kept in this JVM for up to a minute ({@code localTtlSeconds}), dropped as soon as the entry
   * changes in Redis; an empty answer is not cached, so an unknown id asks the upstream every time.
   */
  @ReadThrough(key = "id", ttlSeconds = 300, localTtlSeconds = 60, cache = BY_ID_CACHE)
  public Optional<University> byId(String id) {
    return upstream.find(id);
  }

  /**
   * Sends a changed university to the upstream, then stores what it returns under {@code
   * rt:university:<id>}, so that {@link #byId(String)} answers with the new value at once. The
   * search pages that list it keep the old value until they expire or {@link #refresh()} runs.
   */
  @WriteThrough(cache = "university", key = "university.id", ttlSeconds = 300)
  public University save(University university) {
    return upstream.update(university);
  }

  /** Drops every cached search page, so that the next searches ask the upstream again. */
  @Invalidate(cache = "universities", allEntries = true)
  public void refresh() {
    // the woven advice removes the entries after this method returns
  }
}
