package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import dev.readthrough.runtime.internal.codec.CodecException;
import dev.readthrough.runtime.internal.codec.SlotPool;
import dev.readthrough.runtime.internal.codec.TooLargeException;
import dev.readthrough.runtime.internal.codec.ValueCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a codec's pool of Kryo slots keeps: a bounded number of slots, each with an output buffer of
 * at most {@link ValueCodec#RETAINED_OUTPUT_BYTES}, and never a Kryo instance that threw. Tests run
 * on one thread, so each operation takes the one idle slot and gives it back (or not).
 */
class ValueCodecPoolTest {

  private static final int EIGHT_MIB = 8 << 20;

  @Test
  void largeValue_givenBack_slotKeepsOnlyASmallOutputBuffer() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), EIGHT_MIB);
    String large = "x".repeat(2 << 20);

    byte[] entry = codec.encode(large);

    assertThat(entry.length).isGreaterThan(2 << 20);
    assertThat(codec.idleOutputBuffers())
        .singleElement()
        .satisfies(size -> assertThat(size).isLessThanOrEqualTo(ValueCodec.RETAINED_OUTPUT_BYTES));
    assertThat(codec.decode(codec.encode(large)))
        .as("the replaced buffer still grows")
        .isEqualTo(large);
  }

  @Test
  void valueWithinTheRetainedSize_keepsItsGrownBuffer() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), EIGHT_MIB);

    codec.encode("y".repeat(ValueCodec.RETAINED_OUTPUT_BYTES / 2));

    assertThat(codec.idleOutputBuffers())
        .singleElement()
        .satisfies(
            size ->
                assertThat(size)
                    .isGreaterThan(ValueCodec.RETAINED_OUTPUT_BYTES / 2)
                    .isLessThanOrEqualTo(ValueCodec.RETAINED_OUTPUT_BYTES));
  }

  @Test
  void poolCapacity_isTwoSlotsPerProcessor_atMost64() {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), EIGHT_MIB);
    int processors = Runtime.getRuntime().availableProcessors();

    assertThat(codec.poolCapacity())
        .isGreaterThanOrEqualTo(SlotPool.MIN_SLOTS)
        .isLessThan(2 * Math.max(SlotPool.MIN_SLOTS, 2 * processors)) // a power of two at most
        .isLessThanOrEqualTo(SlotPool.MAX_SLOTS);
  }

  @Test
  void successfulEncodeAndDecode_giveTheSameKryoBack() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), 1 << 20);
    Kryo kryo = onlyIdleKryo(codec);

    byte[] entry = codec.encode("value");
    assertThat(onlyIdleKryo(codec)).as("after an encode").isSameAs(kryo);
    codec.decode(entry);
    assertThat(onlyIdleKryo(codec)).as("after a decode").isSameAs(kryo);
  }

  @Test
  void overflow_dropsTheKryoInstance() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), 64);
    Kryo before = onlyIdleKryo(codec);

    assertThatThrownBy(() -> codec.encode("x".repeat(100))).isInstanceOf(TooLargeException.class);

    assertNeverObtainedAgain(codec, before);
  }

  @Test
  void failedEncode_dropsTheKryoInstance() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", Object.class, List.of(), 1 << 20);
    Kryo before = onlyIdleKryo(codec);

    assertThatThrownBy(() -> codec.encode(new Thread())).isInstanceOf(CodecException.class);

    assertNeverObtainedAgain(codec, before);
  }

  @Test
  void corruptPayload_dropsTheKryoInstance() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", Object.class, List.of(), 1 << 20);
    byte[] entry = codec.encode(new ArrayList<>(List.of("a", "b")));
    Kryo before = onlyIdleKryo(codec);
    byte[] corrupt = entry.clone();
    corrupt[3 + (entry[2] & 0xFF) + 8 + ValueCodec.STAMP_LENGTH] =
        0x7E; // the payload's class id: one never registered

    assertThatThrownBy(() -> codec.decode(corrupt)).isInstanceOf(CodecException.class);

    assertNeverObtainedAgain(codec, before);
  }

  @Test
  void entryWithTrailingBytes_dropsTheKryoInstance() throws Exception {
    ValueCodec codec = ValueCodec.forType("test", String.class, List.of(), 1 << 20);
    byte[] entry = codec.encode("value");
    Kryo before = onlyIdleKryo(codec);
    byte[] longer = Arrays.copyOf(entry, entry.length + 1);

    assertThatThrownBy(() -> codec.decode(longer))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("trailing");

    assertNeverObtainedAgain(codec, before);
  }

  private static Kryo onlyIdleKryo(ValueCodec codec) {
    List<Kryo> idle = codec.idleKryos();
    assertThat(idle).as("idle Kryo instances").hasSize(1);
    return idle.get(0);
  }

  /** The failed slot is not idle, and the next operation gets a new Kryo instance. */
  private static void assertNeverObtainedAgain(ValueCodec codec, Kryo failed) throws Exception {
    assertThat(codec.idleKryos()).as("idle after the failure").doesNotContain(failed);
    codec.encode("next");
    assertThat(onlyIdleKryo(codec)).as("the next slot").isNotSameAs(failed);
  }
}
