package dev.readthrough.runtime;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Woven services the contract tests call; each counts how often its methods really run. */
final class Fixtures {

  private Fixtures() {}

  record User(long id, String name) {}

  record Address(String city, String zip) {}

  /** A POJO without a no-arg constructor, exposing its id through a getter. */
  static final class Account {
    private final String id;
    private final int balance;
    final String region;

    Account(String id, int balance, String region) {
      this.id = id;
      this.balance = balance;
      this.region = region;
    }

    public String getId() {
      return id;
    }

    public boolean isRich() {
      return balance > 1000;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Account a
          && a.id.equals(id)
          && a.balance == balance
          && a.region.equals(region);
    }

    @Override
    public int hashCode() {
      return id.hashCode();
    }
  }

  record Customer(User user, Address address) {}

  enum Tier {
    FREE,
    PRO
  }

  static class Service {
    final AtomicInteger calls = new AtomicInteger();
    static final AtomicInteger staticCalls = new AtomicInteger();

    @ReadThrough(key = "id", ttlSeconds = 300, cache = "users")
    public User find(long id) {
      calls.incrementAndGet();
      return new User(id, "user-" + id);
    }

    @ReadThrough(
        key = {"country", "page"},
        ttlSeconds = 60,
        cache = "universities")
    public List<String> universities(String country, int page) {
      calls.incrementAndGet();
      return List.of(country + "-" + page + "-a", country + "-" + page + "-b");
    }

    @ReadThrough(
        key = {"a", "b"},
        ttlSeconds = 60,
        cache = "pairs")
    public String pair(String a, String b) {
      calls.incrementAndGet();
      return a + "|" + b;
    }

    @ReadThrough(ttlSeconds = 60, cache = "all")
    public String allParameters(String name, int count, Tier tier) {
      calls.incrementAndGet();
      return name + count + tier;
    }

    @ReadThrough(key = "user.id", ttlSeconds = 60, cache = "byRecordAccessor")
    public String byRecordAccessor(User user) {
      calls.incrementAndGet();
      return "hello " + user.name();
    }

    @ReadThrough(key = "account.id", ttlSeconds = 60, cache = "byGetter")
    public int byGetter(Account account) {
      calls.incrementAndGet();
      return account.getId().length();
    }

    @ReadThrough(
        key = {"account.region", "account.rich"},
        ttlSeconds = 60,
        cache = "byField")
    public String byFieldAndBooleanGetter(Account account) {
      calls.incrementAndGet();
      return account.region;
    }

    @ReadThrough(key = "customer.address.city", ttlSeconds = 60, cache = "nested")
    public String byNestedPath(Customer customer) {
      calls.incrementAndGet();
      return customer.address().zip();
    }

    @ReadThrough(key = "id", ttlSeconds = 1, cache = "short")
    public String shortLived(String id) {
      calls.incrementAndGet();
      return "v" + calls.get();
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "nullable")
    public String nullNotCached(String id) {
      calls.incrementAndGet();
      return null;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "nullCached", cacheNulls = true)
    public String nullCached(String id) {
      calls.incrementAndGet();
      return null;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "optional")
    public Optional<User> optional(long id) {
      calls.incrementAndGet();
      return id > 0 ? Optional.of(new User(id, "o" + id)) : Optional.empty();
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "optionalCached", cacheNulls = true)
    public Optional<User> optionalEmptyCached(long id) {
      calls.incrementAndGet();
      return Optional.empty();
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "failing")
    public String failing(String id) throws java.io.IOException {
      calls.incrementAndGet();
      throw new java.io.IOException("upstream down for " + id);
    }

    public String throughThis(String id) {
      return privateCached(id) + "/" + publicCached(id);
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "private")
    private String privateCached(String id) {
      calls.incrementAndGet();
      return "p" + id;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "public")
    public String publicCached(String id) {
      calls.incrementAndGet();
      return "q" + id;
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "static")
    static String staticCached(String id) {
      staticCalls.incrementAndGet();
      return "s" + id;
    }

    @ReadThrough(ttlSeconds = 60)
    public String defaultCache(String id) {
      calls.incrementAndGet();
      return "d1" + id;
    }

    @ReadThrough(ttlSeconds = 60)
    public String defaultCacheOther(String id) {
      calls.incrementAndGet();
      return "d2" + id;
    }

    @WriteThrough(cache = "users", key = "user.id", ttlSeconds = 300)
    public User save(User user) {
      calls.incrementAndGet();
      return user;
    }

    @WriteThrough(cache = "users", key = "user.id", ttlSeconds = 300)
    public User saveFailing(User user) {
      calls.incrementAndGet();
      throw new IllegalStateException("rejected " + user.id());
    }

    @Invalidate(cache = "users", key = "id")
    public void delete(long id) {
      calls.incrementAndGet();
    }

    @Invalidate(cache = "users", key = "id")
    public void deleteFailing(long id) {
      calls.incrementAndGet();
      throw new IllegalStateException("cannot delete " + id);
    }

    @Invalidate(cache = "universities", allEntries = true)
    public void refreshUniversities() {
      calls.incrementAndGet();
    }
  }

  /** One method per value type the codec must round-trip. */
  static class Values {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-record")
    public User record(String k) {
      calls.incrementAndGet();
      return new User(7, "seven");
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-pojo")
    public Account pojo(String k) {
      calls.incrementAndGet();
      return new Account("acc-1", 5000, "eu");
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-listof")
    public List<User> listOf(String k) {
      calls.incrementAndGet();
      return List.of(new User(1, "a"), new User(2, "b"));
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-mapof")
    public Map<String, Integer> mapOf(String k) {
      calls.incrementAndGet();
      return Map.of("one", 1, "two", 2);
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-time")
    public Instant time(String k) {
      calls.incrementAndGet();
      return Instant.parse("2026-11-23T10:15:30.123456789Z");
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-date")
    public LocalDate date(String k) {
      calls.incrementAndGet();
      return LocalDate.of(2026, 11, 23);
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-uuid")
    public UUID uuid(String k) {
      calls.incrementAndGet();
      return UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-int")
    public int primitiveInt(String k) {
      calls.incrementAndGet();
      return 42;
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-long")
    public long primitiveLong(String k) {
      calls.incrementAndGet();
      return Long.MIN_VALUE;
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-boolean")
    public boolean primitiveBoolean(String k) {
      calls.incrementAndGet();
      return true;
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-double")
    public double primitiveDouble(String k) {
      calls.incrementAndGet();
      return Math.PI;
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-intarray")
    public int[] intArray(String k) {
      calls.incrementAndGet();
      return new int[] {3, 1, 4, 1, 5};
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-recordarray")
    public User[] recordArray(String k) {
      calls.incrementAndGet();
      return new User[] {new User(1, "x"), null, new User(3, "z")};
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-nested")
    public Map<String, List<Optional<Customer>>> nestedGenerics(String k) {
      calls.incrementAndGet();
      return Map.of(
          "eu",
              List.of(
                  Optional.of(new Customer(new User(1, "a"), new Address("Berlin", "10115"))),
                  Optional.empty()),
          "us", List.of());
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-enum")
    public Tier enumValue(String k) {
      calls.incrementAndGet();
      return Tier.PRO;
    }

    @ReadThrough(key = "k", ttlSeconds = 60, cache = "v-string")
    public String string(String k) {
      calls.incrementAndGet();
      return "ünïcödé ✓ " + "x".repeat(300);
    }
  }
}
