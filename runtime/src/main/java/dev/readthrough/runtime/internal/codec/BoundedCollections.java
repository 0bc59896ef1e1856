package dev.readthrough.runtime.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collection and map serializers that refuse a declared size larger than the bytes left before
 * allocating anything, and serializers for the JDK's immutable collections ({@code List.of}, {@code
 * Set.of}, {@code Map.of}) built on them.
 *
 * <p>Kryo encodes a collection's size in a form that depends on the element type, so the size can
 * only be checked where Kryo hands it to {@code create}.
 */
public final class BoundedCollections {

  private BoundedCollections() {}

  public static void check(Input input, int size) {
    ((BoundedInput) input).claim(size); // the codec reads only through a BoundedInput
  }

  /** Registers the JDK immutable collection classes, in a fixed order. */
  public static void registerImmutables(Kryo kryo) {
    kryo.register(List.of().getClass(), new ImmutableListSerializer());
    kryo.register(List.of(1).getClass(), new ImmutableListSerializer());
    kryo.register(List.of(1, 2, 3).subList(0, 2).getClass(), new ImmutableListSerializer());
    kryo.register(Set.of().getClass(), new ImmutableSetSerializer());
    kryo.register(Set.of(1).getClass(), new ImmutableSetSerializer());
    kryo.register(Map.of().getClass(), new ImmutableMapSerializer());
    kryo.register(Map.of(1, 1).getClass(), new ImmutableMapSerializer());
  }

  /** The default for every {@link Collection} without a more specific serializer. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static final class Bounded extends CollectionSerializer<Collection> {
    @Override
    protected Collection create(
        Kryo kryo, Input input, Class<? extends Collection> type, int size) {
      check(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  /** The default for every {@link Map} without a more specific serializer. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static final class BoundedMap extends MapSerializer<Map> {
    @Override
    protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
      check(input, size);
      return super.create(kryo, input, type, size);
    }
  }

  private static final class ImmutableListSerializer extends CollectionSerializer<List<Object>> {
    ImmutableListSerializer() {
      setElementsCanBeNull(false);
    }

    @Override
    protected List<Object> create(
        Kryo kryo, Input input, Class<? extends List<Object>> type, int size) {
      check(input, size);
      return new ArrayList<>(size);
    }

    @Override
    public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
      return List.copyOf(super.read(kryo, input, type));
    }
  }

  private static final class ImmutableSetSerializer extends CollectionSerializer<Set<Object>> {
    ImmutableSetSerializer() {
      setElementsCanBeNull(false);
    }

    @Override
    protected Set<Object> create(
        Kryo kryo, Input input, Class<? extends Set<Object>> type, int size) {
      check(input, size);
      return new HashSet<>(size * 2);
    }

    @Override
    public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
      return Set.copyOf(super.read(kryo, input, type));
    }
  }

  private static final class ImmutableMapSerializer extends MapSerializer<Map<Object, Object>> {
    @Override
    protected Map<Object, Object> create(
        Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
      check(input, size);
      return new HashMap<>(size * 2);
    }

    @Override
    public Map<Object, Object> read(
        Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
      return Map.copyOf(super.read(kryo, input, type));
    }
  }
}
