package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.readthrough.ReadThrough;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A value whose declared type passes the rules but whose runtime content cannot be encoded is
 * returned uncached, every time, with a warning that says which part of it is at fault, why, and
 * what to return instead, and never tells the user to register classes with Kryo.
 */
class UncacheableValuesTest extends EngineTest {

  /** Not a {@code @FunctionalInterface}: the rules let it pass, and a lambda can still fill it. */
  interface Pricing {
    long cents();
  }

  record Quote(String sku, Pricing pricing) {}

  record Envelope(String id, Object payload) {}

  interface Shape {}

  record Circle(double radius) implements Shape {}

  record Drawing(String name, Shape shape) {}

  static final class Values {
    final AtomicInteger calls = new AtomicInteger();

    @ReadThrough(key = "sku", ttlSeconds = 60, cache = "u-lambda")
    public Quote quote(String sku) {
      calls.incrementAndGet();
      long cents = sku.length();
      return new Quote(sku, () -> cents);
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "u-stream")
    public Envelope envelope(String id) {
      calls.incrementAndGet();
      return new Envelope(id, new ByteArrayInputStream(new byte[] {1, 2, 3}));
    }

    @ReadThrough(key = "what", ttlSeconds = 60, cache = "u-object")
    public Object anything(String what) {
      calls.incrementAndGet();
      return switch (what) {
        case "text" -> "a string";
        case "list" -> List.of("a", 1L);
        default -> new Circle(2.0);
      };
    }

    @ReadThrough(key = "id", ttlSeconds = 60, cache = "u-iterator")
    public Object cursor(String id) {
      calls.incrementAndGet();
      return List.of("a", "b").iterator();
    }

    @ReadThrough(key = "name", ttlSeconds = 60, cache = "u-unreached")
    public Drawing drawing(String name) {
      calls.incrementAndGet();
      return new Drawing(name, new Circle(1.5));
    }
  }

  private final Values values = new Values();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger engineLogger = (Logger) LoggerFactory.getLogger(ReadThroughEngine.class);

  @BeforeEach
  void captureWarnings() {
    log.start();
    engineLogger.addAppender(log);
  }

  @AfterEach
  void stopCapturing() {
    engineLogger.detachAppender(log);
    log.stop();
  }

  @Test
  void lambdaInAnInterfaceField_isReturnedUncached_withAWarningThatItIsCode() {
    Quote first = values.quote("abc");
    Quote second = values.quote("abc");

    assertThat(second).isNotSameAs(first);
    assertThat(values.calls).hasValue(2);
    assertThat(redis.exists("rt:u-lambda:abc")).isFalse();
    assertThat(redis.engine.stats("u-lambda").unencodable()).isEqualTo(2);
    assertThat(redis.engine.stats("u-lambda").errors()).isZero();
    assertThat(oneWarning())
        .contains(
            "Values.quote(String) returned a value that cannot be cached;"
                + " it was returned uncached: Quote.pricing holds a lambda or method reference"
                + " implementing dev.readthrough.runtime.UncacheableValuesTest$Pricing, which is"
                + " code, not data: it cannot be cached; return the data it works on, or its"
                + " result, instead")
        .doesNotContainIgnoringCase("kryo")
        .doesNotContain("allowClasses");
  }

  @Test
  void streamInAnObjectField_isReturnedUncached_withAWarningSayingWhatToReturn() {
    values.envelope("e1");
    values.envelope("e1");

    assertThat(values.calls).hasValue(2);
    assertThat(redis.exists("rt:u-stream:e1")).isFalse();
    assertThat(oneWarning())
        .contains(
            "Envelope.payload holds a java.io.ByteArrayInputStream, which is an open stream of"
                + " bytes, not the bytes themselves (InputStream): it cannot be cached; return the"
                + " bytes (byte[]) or a record of the data instead of an InputStream")
        .doesNotContainIgnoringCase("kryo")
        .doesNotContain("allowClasses");
  }

  @Test
  void classTheReturnTypeDoesNotReach_isReturnedUncached_withAHintToAllowIt() {
    values.drawing("d");

    assertThat(redis.exists("rt:u-unreached:d")).isFalse();
    assertThat(oneWarning())
        .contains(
            "Drawing.shape holds a dev.readthrough.runtime.UncacheableValuesTest$Circle, a class"
                + " the method's declared return type does not reach",
            "allowClasses(Circle.class)")
        .doesNotContainIgnoringCase("kryo");
  }

  @Test
  void methodDeclaredObject_cachesJdkValues_andReturnsItsOwnClassesUncached() {
    assertThat(values.anything("text")).isEqualTo("a string");
    assertThat(values.anything("list")).isEqualTo(List.of("a", 1L));
    // a store still in flight shares its value with the next call: wait until both are in Redis
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.engine.loadsInFlight() == 0);
    assertThat(redis.exists("rt:u-object:text")).isTrue();
    assertThat(redis.exists("rt:u-object:list")).isTrue();
    assertThat(values.anything("text")).isEqualTo("a string");
    assertThat(values.anything("list")).isEqualTo(List.of("a", 1L));
    assertThat(values.calls).as("the string and the list are cached").hasValue(2);

    assertThat(values.anything("record")).isEqualTo(new Circle(2.0));
    assertThat(values.anything("record")).isEqualTo(new Circle(2.0));
    assertThat(values.calls).as("the record is not").hasValue(4);
    assertThat(redis.exists("rt:u-object:record")).isFalse();
    assertThat(redis.engine.stats("u-object").hits()).isEqualTo(2);
    assertThat(redis.engine.stats("u-object").unencodable()).isEqualTo(2);
    assertThat(oneWarning())
        .contains(
            "Values.anything(String) returned a value that cannot be cached",
            "allowClasses(Circle.class)");
  }

  @Test
  void iteratorBehindAnObjectReturnType_isReturnedUncached_andCountedUnencodable() {
    values.cursor("i");
    values.cursor("i");

    assertThat(values.calls).hasValue(2);
    assertThat(redis.exists("rt:u-iterator:i")).isFalse();
    assertThat(redis.engine.stats("u-iterator").unencodable()).isEqualTo(2);
    assertThat(redis.engine.stats("u-iterator").errors()).isZero();
    assertThat(oneWarning())
        .contains(
            "Values.cursor(String) returned a value that cannot be cached; it was returned"
                + " uncached: the value holds a java.util.ImmutableCollections$ListItr, which is a"
                + " cursor that walks its elements once, not the elements themselves (Iterator):"
                + " it cannot be cached; return a List of the elements instead of an Iterator");
  }

  /** The one warning logged so far; the rate limit keeps the second call's out. */
  private String oneWarning() {
    List<String> warnings =
        log.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings).hasSize(1);
    return warnings.get(0);
  }
}
