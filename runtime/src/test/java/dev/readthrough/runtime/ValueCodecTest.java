package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.readthrough.runtime.Fixtures.User;
import dev.readthrough.runtime.internal.codec.CodecException;
import dev.readthrough.runtime.internal.codec.TooLargeException;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

  static final Type LIST_OF_USERS = typeOf("listOfUsers");

  static List<User> listOfUsers() {
    return null;
  }

  static Map<String, Long> mapOfLongs() {
    return null;
  }

  static Type typeOf(String method) {
    try {
      return ValueCodecTest.class.getDeclaredMethod(method).getGenericReturnType();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  static ValueCodec codec(Type type) {
    return ValueCodec.forType("test", type, List.of(), 1 << 20);
  }

  @Test
  void immutableAndMutableLists_roundTrip() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    for (List<User> value :
        List.of(
            List.of(new User(1, "a")),
            List.of(new User(1, "a"), new User(2, "b")),
            List.of(new User(1, "a"), new User(2, "b"), new User(3, "c")),
            new ArrayList<>(List.of(new User(1, "a"), new User(2, "b"))))) {
      assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
    }
  }

  @Test
  void maps_roundTrip() throws Exception {
    ValueCodec codec = codec(typeOf("mapOfLongs"));
    Map<String, Long> value = Map.of("a", 1L, "b", Long.MAX_VALUE);
    assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
  }

  @Test
  void entryOfAnotherType_isRejected() throws Exception {
    byte[] users = codec(LIST_OF_USERS).encode(List.of(new User(1, "a")));
    assertThatThrownBy(() -> codec(typeOf("mapOfLongs")).decode(users))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("another type");
  }

  @Test
  void truncatedEntry_isRejected() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    byte[] bytes = codec.encode(List.of(new User(1, "alpha"), new User(2, "beta")));
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(CodecException.class);
    }
  }

  @Test
  void nullStandIn_decodesToNull() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    assertThat(codec.decode(codec.encode(null))).isNull();
  }

  @Test
  void classOutsideTheAllowList_isNotEncoded() {
    ValueCodec codec = codec(Object.class);
    assertThatThrownBy(() -> codec.encode(new Thread()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Thread");
  }

  @Test
  void tooLargeValue_isRefused() {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), 64);
    assertThatThrownBy(() -> codec.encode("x".repeat(100))).isInstanceOf(TooLargeException.class);
  }

  @Test
  void stamp_carriesWriteTimeAndFreshnessEnd() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    List<User> value = List.of(new User(1, "a"));
    byte[] bytes = codec.encode(value, 1_000_000L, 1_300_000L);
    assertThat(bytes[0]).isEqualTo(ValueCodec.FORMAT);
    assertThat(codec.writtenAt(bytes)).isEqualTo(1_000_000L);
    assertThat(codec.freshUntil(bytes)).isEqualTo(1_300_000L);
    assertThat(codec.decode(bytes)).isEqualTo(value);

    byte[] nullEntry = codec.encode(null, 5L, 9L);
    assertThat(codec.isNullEntry(nullEntry)).isTrue();
    assertThat(codec.writtenAt(nullEntry)).isEqualTo(5L);
    assertThat(codec.freshUntil(nullEntry)).isEqualTo(9L);
    assertThat(codec.decode(nullEntry)).isNull();
  }

  @Test
  void unstampedEntryOfTheFormerFormat_isReadAsAnOrdinaryEntryWithNoAge() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    List<User> value = List.of(new User(1, "a"), new User(2, "b"));
    byte[] former = unstamped(codec.encode(value, 7L, 8L));
    assertThat(codec.decode(former)).isEqualTo(value);
    assertThat(codec.writtenAt(former)).isEqualTo(ValueCodec.NO_TIME);
    assertThat(codec.freshUntil(former)).isEqualTo(ValueCodec.NEVER);

    byte[] formerNull = unstamped(codec.encode(null));
    assertThat(codec.isNullEntry(formerNull)).isTrue();
    assertThat(codec.decode(formerNull)).isNull();
  }

  @Test
  void entryOfAnUnknownFormat_isRefused() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    byte[] bytes = codec.encode(List.of(new User(1, "a")));
    bytes[0] = 3;
    assertThatThrownBy(() -> codec.decode(bytes))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("format");
  }

  @Test
  void stampedEntryCutInsideItsStamp_isRefused() throws Exception {
    ValueCodec codec = codec(LIST_OF_USERS);
    byte[] bytes = codec.encode(null, 1L, 2L);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 4);
    assertThatThrownBy(() -> codec.decode(cut)).isInstanceOf(CodecException.class);
  }

  /** The same entry as the former format wrote it: format 1, no stamp. */
  static byte[] unstamped(byte[] stamped) {
    int header = 3 + (stamped[2] & 0xFF) + 8;
    byte[] former = new byte[stamped.length - ValueCodec.STAMP_LENGTH];
    System.arraycopy(stamped, 0, former, 0, header);
    System.arraycopy(
        stamped, header + ValueCodec.STAMP_LENGTH, former, header, former.length - header);
    former[0] = ValueCodec.UNSTAMPED_FORMAT;
    return former;
  }
}
