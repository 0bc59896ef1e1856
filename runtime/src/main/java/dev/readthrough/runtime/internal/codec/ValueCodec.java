package dev.readthrough.runtime.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory.BaseSerializerFactory;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.call.Plans;
import dev.readthrough.runtime.internal.declarations.TypeCheck;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Encodes the values of one cached method into Redis bytes and back, with Kryo restricted to the
 * classes that method's return type can reach.
 *
 * <p>Entry layout: {@code [format][kind][tag length][tag: erased type name][fingerprint: 8
 * bytes][stamp: 16 bytes][Kryo payload]}. The stamp is the entry's write time and the end of its
 * freshness (its TTL from that write time), both epoch milliseconds, so that a reader knows an
 * entry's age and how long a copy of it may be kept without another round trip. Entries of format
 * {@value #UNSTAMPED_FORMAT}, written before the stamp existed, have no stamp and are read as they
 * always were, with no age ({@link #writtenAt} is {@link #NO_TIME}): a rolling deploy does not turn
 * them into misses. The fingerprint hashes the generic value type and the shape of every
 * allow-listed class, so an entry written for another type, or before a class changed shape, never
 * matches and is read as a miss. Class names in the payload are refused outright (see {@link
 * AllowListClassResolver}); declared lengths are bounded by the bytes present (see {@link
 * BoundedInput} and {@link LengthGuard}).
 *
 * <p>Kryo instances are pooled, one per slot with its input and output, in a {@link SlotPool} of
 * {@link SlotPool#sizeFor two slots per processor} (rounded up to a power of two; at least 16, at
 * most 64). What a codec keeps between calls is bounded per method: each slot's Kryo instance
 * (about 10 KiB for a small allow-list) and an output buffer of at most {@link
 * #RETAINED_OUTPUT_BYTES} (8 KiB), since a buffer that grew past that for a large value is replaced
 * by a 512-byte one when its slot is given back. So a method keeps at most 16 × 18 KiB, about 290
 * KiB, on up to 8 processors, and 64 × 18 KiB, about 1.1 MiB, on 32 or more; only an encode in
 * progress holds more, up to {@code maxValueBytes}, until it returns. Values within 8 KiB are
 * encoded without growing a buffer again; larger ones pay for one new buffer per encode (misses
 * only: decoding reads the entry's own bytes).
 *
 * <p>A slot goes back to the pool only after an encode or decode that threw nothing. After any
 * exception, an overflow of {@code maxValueBytes} and a refused entry included, the slot and its
 * Kryo instance are dropped, as Kryo requires (an instance's state after an exception is
 * undefined), and the next call that finds the pool empty makes a new one.
 */
public final class ValueCodec {

  /** The format this codec writes: stamped entries. */
  public static final byte FORMAT = 2;

  /** The format written before entries carried a stamp; still read. */
  public static final byte UNSTAMPED_FORMAT = 1;

  /** The length of an entry's stamp: its write time and freshness end, 8 bytes each. */
  public static final int STAMP_LENGTH = 16;

  /** What {@link #writtenAt} returns for an entry without a stamp. */
  public static final long NO_TIME = -1;

  /** What {@link #freshUntil} returns for an entry without a stamp: it never goes stale. */
  public static final long NEVER = Long.MAX_VALUE;

  private static final byte KIND_VALUE = 0;
  private static final byte KIND_NULL = 1;
  private static final int MAX_DEPTH = 128;

  /** The largest output buffer a pooled slot keeps once its encode is done. */
  public static final int RETAINED_OUTPUT_BYTES = 8 << 10;

  private static final int INITIAL_OUTPUT_BYTES = 512;
  private static final int SLOTS = SlotPool.sizeFor(Runtime.getRuntime().availableProcessors());

  private final String owner;
  private final Type valueType;
  private final List<Class<?>> allowed;
  private final byte[] header;
  private final byte[] nullEntry;
  private final int maxBytes;
  private final SlotPool<Slot> pool;

  private ValueCodec(String owner, Type valueType, List<Class<?>> extra, int maxBytes) {
    this.owner = owner;
    this.valueType = valueType;
    this.allowed = AllowList.reachableFrom(valueType, extra);
    this.maxBytes = maxBytes;
    this.header = header(KIND_VALUE, valueType, allowed);
    byte[] nullHeader = header(KIND_NULL, valueType, allowed);
    this.nullEntry = Arrays.copyOf(nullHeader, nullHeader.length + STAMP_LENGTH);
    this.pool = new SlotPool<>(SLOTS, () -> new Slot(newKryo(allowed), maxBytes));
    Slot probe = pool.obtain(); // fail fast on a class Kryo cannot register
    pool.free(probe);
  }

  /**
   * Returns the codec for the values {@code method} returns: its generic return type, or the type
   * inside an {@code Optional}.
   */
  public static ValueCodec forMethod(Method method, ReadThroughConfig config) {
    return new ValueCodec(
        Plans.describe(method), valueType(method), config.allowedClasses(), config.maxValueBytes());
  }

  public static ValueCodec forType(
      String owner, Type valueType, List<Class<?>> extra, int maxBytes) {
    return new ValueCodec(owner, valueType, extra, maxBytes);
  }

  /** The type a method's cache entries hold: its return type, unwrapped from {@code Optional}. */
  public static Type valueType(Method method) {
    Type type = method.getGenericReturnType();
    if (method.getReturnType() == Optional.class) {
      return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }
    return type;
  }

  /** The classes, beyond the JDK base set, that entries of this codec may contain. */
  public List<Class<?>> allowedClasses() {
    return allowed;
  }

  /**
   * Encodes {@code value}; {@code null} becomes the cached-null stand-in.
   *
   * @throws CodecException if the value contains a class outside the allow-list, or Kryo fails
   * @throws TooLargeException if the encoding exceeds the configured maximum
   */
  public byte[] encode(@Nullable Object value) throws CodecException, TooLargeException {
    return encode(value, NO_TIME, NEVER);
  }

  /**
   * Encodes {@code value} stamped with its write time and the end of its freshness, both epoch
   * milliseconds; {@code null} becomes the cached-null stand-in.
   *
   * @throws CodecException if the value contains a class outside the allow-list, or Kryo fails
   * @throws TooLargeException if the encoding exceeds the configured maximum
   */
  public byte[] encode(@Nullable Object value, long writtenAt, long freshUntil)
      throws CodecException, TooLargeException {
    if (value == null) {
      byte[] bytes = nullEntry.clone();
      stamp(bytes, header.length, writtenAt, freshUntil);
      return bytes;
    }
    Slot slot = pool.obtain();
    try {
      Output output = slot.output;
      output.reset();
      output.writeBytes(header);
      output.writeLong(0); // room for the stamp, written below in this class's byte order
      output.writeLong(0);
      slot.kryo.writeClassAndObject(output, value);
      byte[] bytes = output.toBytes();
      stamp(bytes, header.length, writtenAt, freshUntil);
      slot.shrinkOutput();
      pool.free(slot); // only here: a slot that threw is dropped (see the class comment)
      return bytes;
    } catch (KryoBufferOverflowException e) {
      throw new TooLargeException(
          "the value of " + owner + " encodes to more than " + maxBytes + " bytes");
    } catch (RuntimeException | StackOverflowError e) {
      throw new CodecException(
          "cannot encode a " + value.getClass().getName() + " for " + owner + ": " + firstLine(e),
          e);
    }
  }

  /** Returns whether {@code bytes} is the cached-null stand-in of this codec. */
  public boolean isNullEntry(byte[] bytes) {
    int headerLength = header.length;
    return bytes.length == payloadStart(bytes)
        && bytes.length >= headerLength
        && Arrays.equals(bytes, 1, headerLength, nullEntry, 1, headerLength);
  }

  /**
   * The write time of an entry of this codec, epoch milliseconds, or {@link #NO_TIME} if it has no
   * stamp (or is not an entry of this codec's header length).
   */
  public long writtenAt(byte[] bytes) {
    return stamped(bytes) ? readLong(bytes, header.length) : NO_TIME;
  }

  /**
   * When an entry of this codec stops being fresh, epoch milliseconds, or {@link #NEVER} if it has
   * no stamp.
   */
  public long freshUntil(byte[] bytes) {
    return stamped(bytes) ? readLong(bytes, header.length + 8) : NEVER;
  }

  private boolean stamped(byte[] bytes) {
    return bytes.length >= header.length + STAMP_LENGTH && bytes[0] == FORMAT;
  }

  /** Where an entry's Kryo payload starts: after the header, and the stamp if it has one. */
  private int payloadStart(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == FORMAT ? header.length + STAMP_LENGTH : header.length;
  }

  private static void stamp(byte[] bytes, int at, long writtenAt, long freshUntil) {
    writeLong(bytes, at, writtenAt);
    writeLong(bytes, at + 8, freshUntil);
  }

  // big-endian, as a stamp reads in a hex dump
  private static void writeLong(byte[] bytes, int at, long value) {
    for (int i = 7; i >= 0; i--) {
      bytes[at + i] = (byte) value;
      value >>>= 8;
    }
  }

  private static long readLong(byte[] bytes, int at) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes[at + i] & 0xFF);
    }
    return value;
  }

  /**
   * Decodes an entry written by this codec; the cached-null stand-in decodes to {@code null}.
   *
   * @throws CodecException if the bytes are corrupt, truncated, written by another format or for
   *     another type or class shape, or name a class outside the allow-list
   */
  public @Nullable Object decode(byte[] bytes) throws CodecException {
    int headerLength = header.length;
    if (bytes.length < headerLength || (bytes[0] != FORMAT && bytes[0] != UNSTAMPED_FORMAT)) {
      throw new CodecException(
          "not a Readthrough entry of format " + UNSTAMPED_FORMAT + " or " + FORMAT);
    }
    if (!Arrays.equals(bytes, 2, headerLength, header, 2, headerLength)) {
      throw new CodecException(
          "entry was written for another type or class shape than " + owner + " returns");
    }
    int payload = payloadStart(bytes);
    if (bytes.length < payload) {
      throw new CodecException("entry is shorter than its stamp");
    }
    if (bytes[1] == KIND_NULL && bytes.length == payload) {
      return null;
    }
    if (bytes[1] != KIND_VALUE) {
      throw new CodecException("unknown entry kind " + bytes[1]);
    }
    Slot slot = pool.obtain();
    try {
      BoundedInput input = slot.input;
      input.setBuffer(bytes, payload, bytes.length - payload);
      Object value = slot.kryo.readClassAndObject(input);
      if (input.position() != bytes.length) {
        throw new CodecException(
            "entry has " + (bytes.length - input.position()) + " trailing bytes");
      }
      if (value == null) {
        throw new CodecException("entry holds a null where " + owner + " returns a value");
      }
      String mismatch = TypeCheck.mismatch(value, valueType);
      if (mismatch != null) {
        throw new CodecException("entry holds " + mismatch + " in what " + owner + " returns");
      }
      input.setBuffer(EMPTY);
      pool.free(slot); // only here: a slot that threw is dropped (see the class comment)
      return value;
    } catch (RuntimeException | StackOverflowError e) {
      throw new CodecException("corrupt entry for " + owner + ": " + e, e);
    }
  }

  private static final byte[] EMPTY = new byte[0];

  /** How many slots this codec's pool keeps at most. */
  public int poolCapacity() {
    return pool.capacity();
  }

  /**
   * The Kryo instances idle in this codec's pool, for tests of what is kept and what is dropped.
   */
  public List<Kryo> idleKryos() {
    return pool.idle().stream().map(slot -> slot.kryo).toList();
  }

  /** The sizes of the output buffers idle in this codec's pool, for tests of what is retained. */
  public List<Integer> idleOutputBuffers() {
    return pool.idle().stream().map(slot -> slot.output.getBuffer().length).toList();
  }

  /**
   * Why the codec cannot take {@code c} (and the classes it reaches) on its allow-list, such as a
   * JDK class whose fields may not be opened; {@code null} if it can.
   */
  public static @Nullable String cannotRegister(Class<?> c) {
    try {
      newKryo(AllowList.reachableFrom(Object.class, List.of(c)));
      return null;
    } catch (RuntimeException e) {
      return firstLine(e);
    }
  }

  /**
   * What in {@code value}, which this codec failed to encode, is at fault, in the user's terms;
   * {@code null} if no part of it is at fault by itself.
   */
  public @Nullable String diagnose(Object value) {
    Slot slot = pool.obtain();
    try {
      Kryo kryo = slot.kryo;
      return Unencodable.find(value, c -> registered(kryo, c));
    } catch (RuntimeException e) {
      return null; // the value changed or threw while looked at: the codec's own message must do
    } finally {
      pool.free(slot); // lookups only: the instance is as it was
    }
  }

  private static boolean registered(Kryo kryo, Class<?> c) {
    Class<?> type = c;
    if (!type.isEnum() && type.getSuperclass() != null && type.getSuperclass().isEnum()) {
      type = type.getSuperclass(); // an enum constant with a body, written as its enum
    }
    return kryo.getClassResolver().getRegistration(type) != null;
  }

  /** An exception's message up to its first line: Kryo appends hints meant for its own users. */
  public static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Kryo newKryo(List<Class<?>> allowed) {
    Kryo kryo = new Kryo(new AllowListClassResolver(), null);
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    kryo.setMaxDepth(MAX_DEPTH);
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.addDefaultSerializer(
        java.util.Collection.class,
        new BaseSerializerFactory<>() {
          @Override
          public Serializer newSerializer(Kryo k, Class type) {
            return new BoundedCollections.Bounded();
          }
        });
    kryo.addDefaultSerializer(
        java.util.Map.class,
        new BaseSerializerFactory<>() {
          @Override
          public Serializer newSerializer(Kryo k, Class type) {
            return new BoundedCollections.BoundedMap();
          }
        });
    BaseTypes.register(kryo);
    for (Class<?> c : allowed) {
      kryo.register(c);
    }
    for (int id = 0; id < kryo.getNextRegistrationId(); id++) {
      Registration registration = kryo.getRegistration(id);
      if (registration == null) {
        continue;
      }
      Serializer serializer = registration.getSerializer();
      if (startsWithCount(serializer)) {
        registration.setSerializer(new LengthGuard(serializer));
      }
    }
    return kryo;
  }

  private static boolean startsWithCount(Serializer<?> serializer) {
    // collections and maps check their size in BoundedCollections, where Kryo decodes it
    return serializer.getClass().getEnclosingClass() == DefaultArraySerializers.class;
  }

  private static byte[] header(byte kind, Type valueType, List<Class<?>> allowed) {
    byte[] tag = erase(valueType).getName().getBytes(StandardCharsets.UTF_8);
    if (tag.length > 255) {
      tag = Arrays.copyOfRange(tag, tag.length - 255, tag.length);
    }
    byte[] fingerprint = fingerprint(valueType, allowed);
    byte[] header = new byte[3 + tag.length + fingerprint.length];
    header[0] = FORMAT;
    header[1] = kind;
    header[2] = (byte) tag.length;
    System.arraycopy(tag, 0, header, 3, tag.length);
    System.arraycopy(fingerprint, 0, header, 3 + tag.length, fingerprint.length);
    return header;
  }

  private static byte[] fingerprint(Type valueType, List<Class<?>> allowed) {
    StringBuilder schema = new StringBuilder(BaseTypes.describe());
    schema.append('\n').append(valueType.getTypeName());
    for (Class<?> c : allowed) {
      schema.append('\n').append(AllowList.shapeOf(c));
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(schema.toString().getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static Class<?> erase(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return erase(p.getRawType());
    }
    if (type instanceof java.lang.reflect.GenericArrayType g) {
      return java.lang.reflect.Array.newInstance(erase(g.getGenericComponentType()), 0).getClass();
    }
    return Object.class;
  }

  /** One pooled Kryo with its reusable buffers; dropped after any failure. */
  private static final class Slot {
    final Kryo kryo;
    final BoundedInput input = new BoundedInput();
    final Output output;
    private final int maxBytes;

    Slot(Kryo kryo, int maxBytes) {
      this.kryo = kryo;
      this.maxBytes = maxBytes;
      this.output = new Output(Math.min(INITIAL_OUTPUT_BYTES, maxBytes), maxBytes);
    }

    /**
     * Replaces an output buffer that grew past {@link ValueCodec#RETAINED_OUTPUT_BYTES} by a small
     * one.
     */
    void shrinkOutput() {
      if (output.getBuffer().length > RETAINED_OUTPUT_BYTES) {
        output.setBuffer(new byte[INITIAL_OUTPUT_BYTES], maxBytes);
      }
    }
  }
}
