package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.Fixtures.User;
import dev.readthrough.runtime.internal.EntryCodec;
import dev.readthrough.runtime.internal.codec.CodecException;
import dev.readthrough.runtime.internal.codec.TooLargeException;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public-but-internal {@link EntryCodec} is the engine's own {@link ValueCodec}. */
class InternalEntryCodecTest {

  static List<User> users() {
    return List.of();
  }

  static Object anything() {
    return "";
  }

  private static final ReadThroughConfig CONFIG =
      ReadThroughConfig.builder().maxValueBytes(1024).build();

  private static Method method(String name) throws NoSuchMethodException {
    return InternalEntryCodecTest.class.getDeclaredMethod(name);
  }

  @Test
  void forMethod_encodesTheEntryTheEngineStores_andDecodesIt() throws Exception {
    List<User> value = List.of(new User(1, "a"), new User(2, "b"));
    EntryCodec codec = EntryCodec.forMethod(method("users"), CONFIG);

    byte[] entry = codec.encode(value);

    assertThat(entry).isEqualTo(ValueCodec.forMethod(method("users"), CONFIG).encode(value));
    assertThat(codec.decode(entry)).isEqualTo(value);
    assertThat(codec.decode(codec.encode(null))).isNull();
  }

  @Test
  void valueTheEngineWouldNotStore_isAnIllegalArgument() throws Exception {
    EntryCodec codec = EntryCodec.forMethod(method("anything"), CONFIG);

    assertThatThrownBy(() -> codec.encode(new Thread()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasCauseInstanceOf(CodecException.class);
    assertThatThrownBy(() -> codec.encode("x".repeat(2000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasCauseInstanceOf(TooLargeException.class);
  }

  @Test
  void entryTheEngineWouldTreatAsAMiss_isAnIllegalArgument() throws Exception {
    EntryCodec codec = EntryCodec.forMethod(method("users"), CONFIG);
    byte[] entry = codec.encode(List.of(new User(1, "a")));

    assertThatThrownBy(() -> codec.decode(Arrays.copyOf(entry, entry.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasCauseInstanceOf(CodecException.class);
  }
}
