package dev.readthrough.runtime.internal.near;

import io.netty.channel.ChannelPipeline;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.redisson.client.RedisClientConfig;
import org.redisson.client.handler.CommandPubSubDecoder;
import org.redisson.client.handler.State;
import org.redisson.client.protocol.CommandData;
import org.redisson.client.protocol.decoder.MultiDecoder;

/**
 * Decodes every key of an invalidation message on the subscriber connection, where Redisson's own
 * pub/sub decoder keeps only the first.
 *
 * <p>Redis sends one invalidation message for all the keys one command changed ({@code DEL k1 k2},
 * {@code MSET}, {@code UNLINK}, a script): {@code message __redis__:invalidate [k1, k2, ...]}.
 * Redisson decodes a nested array inside a pub/sub message with a decoder that returns its first
 * element, so the other keys' copies would never be dropped. This decoder returns the nested array
 * whole, as a list of strings; everything else is left to Redisson's. It is installed in place of
 * Redisson's on the engine's own subscriber connections only, as each channel is initialised.
 */
final class InvalidationDecoder extends CommandPubSubDecoder {

  /** The words that open a pub/sub reply or message, which Redisson's decoder handles itself. */
  private static final Set<String> PUB_SUB_WORDS =
      Set.of(
          "message",
          "smessage",
          "pmessage",
          "subscribe",
          "psubscribe",
          "ssubscribe",
          "unsubscribe",
          "punsubscribe",
          "sunsubscribe",
          "invalidate",
          "pong");

  private static final MultiDecoder<Object> KEYS =
      new MultiDecoder<>() {
        @Override
        public Object decode(List<Object> parts, State state) {
          List<String> keys = new ArrayList<>(parts.size());
          for (Object part : parts) {
            keys.add(
                part instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(part));
          }
          return keys;
        }
      };

  private InvalidationDecoder(RedisClientConfig config) {
    super(config);
  }

  /**
   * Puts this decoder in place of Redisson's in {@code pipeline}, if it is a subscriber's; called
   * while the channel is being initialised, before it reads anything.
   */
  static void installOn(ChannelPipeline pipeline, RedisClientConfig config) {
    if (pipeline.get(CommandPubSubDecoder.class) != null) {
      pipeline.replace(
          CommandPubSubDecoder.class, "readthrough-invalidations", new InvalidationDecoder(config));
    }
  }

  @Override
  protected @Nullable MultiDecoder<Object> messageDecoder(
      @Nullable CommandData<Object, Object> data, List<Object> parts) {
    if (data == null && !parts.isEmpty() && !isPubSubWord(parts.get(0))) {
      return KEYS; // the keys of an invalidation, nested in its message
    }
    return super.messageDecoder(data, parts);
  }

  private static boolean isPubSubWord(@Nullable Object part) {
    String word =
        part instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : String.valueOf(part);
    return PUB_SUB_WORDS.contains(word);
  }
}
