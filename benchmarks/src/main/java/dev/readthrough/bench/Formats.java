package dev.readthrough.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.runtime.internal.EntryCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The encodings compared on the same values: Readthrough's value codec (the one the engine builds
 * for the woven method, through {@link EntryCodec}), JDK serialization, Jackson JSON, and plain
 * registered Kryo (the floor's codec, for reference).
 */
public final class Formats {

  /** One encoding of one value type. */
  public interface Format {
    byte[] encode(Object value);

    Object decode(byte[] bytes);
  }

  public static final List<String> NAMES = List.of("readthrough", "kryo", "jdk", "jackson");

  private Formats() {}

  public static Format of(String name, String value) {
    boolean small = Values.isSmall(value);
    return switch (name) {
      case "readthrough" -> readthrough(small);
      case "kryo" -> kryo();
      case "jdk" -> new Jdk();
      case "jackson" ->
          small
              ? new Jackson<>(new TypeReference<Item>() {})
              : new Jackson<>(new TypeReference<List<Item>>() {});
      default -> throw new IllegalArgumentException("unknown format " + name);
    };
  }

  static Format readthrough(boolean small) {
    try {
      Method method =
          small
              ? CachedService.class.getMethod("small", long.class)
              : CachedService.class.getMethod("large", long.class);
      // the codec never connects; the URI only satisfies the builder
      ReadThroughConfig config =
          ReadThroughConfig.builder().redisUri("redis://127.0.0.1:6379").build();
      EntryCodec codec = EntryCodec.forMethod(method, config);
      return new Format() {
        @Override
        public byte[] encode(Object value) {
          return codec.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
          return codec.decode(bytes);
        }
      };
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  static Format kryo() {
    FloorKryo kryo = new FloorKryo();
    return new Format() {
      @Override
      public byte[] encode(Object value) {
        return kryo.encode(value);
      }

      @Override
      public Object decode(byte[] bytes) {
        return kryo.decode(bytes);
      }
    };
  }

  static final class Jdk implements Format {
    @Override
    public byte[] encode(Object value) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        return in.readObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static final class Jackson<T> implements Format {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final TypeReference<T> type;

    Jackson(TypeReference<T> type) {
      this.type = type;
    }

    @Override
    public byte[] encode(Object value) {
      try {
        return MAPPER.writeValueAsBytes(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Object decode(byte[] bytes) {
      try {
        return MAPPER.readValue(bytes, type);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
