package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.Fixtures.Values;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every value type the contract names survives a trip through Redis and back. */
class ValueTypesTest extends EngineTest {

  Values values;

  @BeforeEach
  void newService() {
    values = new Values();
  }

  static Stream<Arguments> valueTypes() {
    return Stream.of(
        Arguments.of("v-record", (Function<Values, Object>) v -> v.record("k")),
        Arguments.of("v-pojo", (Function<Values, Object>) v -> v.pojo("k")),
        Arguments.of("v-listof", (Function<Values, Object>) v -> v.listOf("k")),
        Arguments.of("v-mapof", (Function<Values, Object>) v -> v.mapOf("k")),
        Arguments.of("v-time", (Function<Values, Object>) v -> v.time("k")),
        Arguments.of("v-date", (Function<Values, Object>) v -> v.date("k")),
        Arguments.of("v-uuid", (Function<Values, Object>) v -> v.uuid("k")),
        Arguments.of("v-int", (Function<Values, Object>) v -> v.primitiveInt("k")),
        Arguments.of("v-long", (Function<Values, Object>) v -> v.primitiveLong("k")),
        Arguments.of("v-boolean", (Function<Values, Object>) v -> v.primitiveBoolean("k")),
        Arguments.of("v-double", (Function<Values, Object>) v -> v.primitiveDouble("k")),
        Arguments.of("v-intarray", (Function<Values, Object>) v -> v.intArray("k")),
        Arguments.of("v-recordarray", (Function<Values, Object>) v -> v.recordArray("k")),
        Arguments.of("v-nested", (Function<Values, Object>) v -> v.nestedGenerics("k")),
        Arguments.of("v-enum", (Function<Values, Object>) v -> v.enumValue("k")),
        Arguments.of("v-string", (Function<Values, Object>) v -> v.string("k")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueTypes")
  void value_roundTripsThroughRedis(String cache, Function<Values, Object> call) {
    Object original = call.apply(values);
    awaitStored("rt:" + cache + ":k");
    long hitsBefore = redis.engine.stats(cache).hits();

    Object cached = call.apply(values);

    assertThat(values.calls).hasValue(1);
    assertThat(redis.engine.stats(cache).hits()).isEqualTo(hitsBefore + 1);
    assertThat(cached).usingRecursiveComparison().isEqualTo(original);
    assertThat(cached.getClass()).isEqualTo(original.getClass());
  }
}
