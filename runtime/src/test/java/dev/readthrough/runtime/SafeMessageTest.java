package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.runtime.internal.redis.RedisStore;
import org.junit.jupiter.api.Test;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.WriteRedisConnectionException;

/**
 * What the engine's log says of a Redisson failure: Redisson's own statement of what went wrong,
 * without the tuning advice it appends ("Try to increase nettyThreads...", "Increase connection
 * pool size..."), which is wrong for an outage, and without the channel, command and parameters
 * dumped after it. The texts are Redisson 4.7's, as {@code RedisExecutor}, {@code RedisConnection},
 * {@code ConnectionsHolder} and {@code CommandDecoder} build them.
 */
class SafeMessageTest {

  private static final String CHANNEL =
      "[id: 0x5a1c2b3d, L:/127.0.0.1:53422 - R:127.0.0.1/127.0.0.1:6379]";

  @Test
  void responseTimeout_keepsWhatHappened_dropsTheAdviceAndTheCommand() {
    RedisResponseTimeoutException e =
        new RedisResponseTimeoutException(
            "Redis server response timeout (1000 ms) occurred after 0 of 0 retry attempts,"
                + " is non-idempotent command: false"
                + " Check connection with Redis node: 127.0.0.1/127.0.0.1:6379 for TCP packet drops"
                + " or bandwidth limits. "
                + " Try to increase nettyThreads and/or timeout settings."
                + " Netty pending tasks: 0, command: (GET), params: [rt:users:1], channel: "
                + CHANNEL);

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo(
            "RedisResponseTimeoutException: Redis server response timeout (1000 ms) occurred"
                + " after 0 of 0 retry attempts, is non-idempotent command: false");
  }

  @Test
  void connectionNotAcquired_keepsTheFirstSentenceOnly() {
    RedisTimeoutException e =
        new RedisTimeoutException(
            "Unable to acquire connection! "
                + "java.util.concurrent.CompletableFuture@1b2c3d4e[Completed exceptionally:"
                + " java.util.concurrent.CancellationException]"
                + "Increase connection pool size or timeout. "
                + "Node source: NodeSource [slot=0, addr=null, redisClient=null, redirect=null,"
                + " entry=null], command: (GET), params: [rt:users:1] after 0 of 0 retry attempts");

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo("RedisTimeoutException: Unable to acquire connection!");
  }

  @Test
  void commandNotWritten_keepsTheFirstSentenceOnly() {
    RedisTimeoutException e =
        new RedisTimeoutException(
            "Command still hasn't been written into connection! "
                + "Check CPU usage of the JVM. Check that there are no blocking invocations in"
                + " async/reactive/rx listeners or subscribeOnElements method. Check connection"
                + " with Redis node: 127.0.0.1/127.0.0.1:6379 for TCP packet drops. Try to"
                + " increase nettyThreads setting. Netty pending tasks: 0, Node source: NodeSource"
                + " [slot=0, addr=null, redisClient=null, redirect=null, entry=null], connection:"
                + " RedisConnection@1224 [redisClient=[addr=redis://127.0.0.1:6379,"
                + "127.0.0.1/127.0.0.1:6379], channel="
                + CHANNEL
                + ", currentCommand=null, usage=1], command: (SET), params: [rt:users:1] after 0"
                + " of 0 retry attempts");

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo("RedisTimeoutException: Command still hasn't been written into connection!");
  }

  @Test
  void writeFailed_keepsTheFirstSentenceOnly() {
    WriteRedisConnectionException e =
        new WriteRedisConnectionException(
            "Unable to write command into connection! Check CPU usage of the JVM. Try to increase"
                + " nettyThreads setting. Netty pending tasks: 0, Node source: NodeSource [slot=0,"
                + " addr=null, redisClient=null, redirect=null, entry=null], connection:"
                + " RedisConnection@1224 [redisClient=[addr=redis://127.0.0.1:6379,"
                + "127.0.0.1/127.0.0.1:6379], channel="
                + CHANNEL
                + ", currentCommand=null, usage=1], command: (GET), params: [rt:users:1] after 0"
                + " of 0 retry attempts",
            new java.io.IOException("Broken pipe"));

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo("WriteRedisConnectionException: Unable to write command into connection!");
  }

  @Test
  void redisErrorReply_keepsRedisWords_dropsTheChannelAndCommandData() {
    RedisLoadingException e =
        new RedisLoadingException(
            "LOADING Redis is loading the dataset in memory. channel: "
                + CHANNEL
                + " data: CommandData [promise=java.util.concurrent.CompletableFuture@77f1"
                + "[Incomplete], command=(GET), params=[rt:users:1], codec=null]");

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo("RedisLoadingException: LOADING Redis is loading the dataset in memory");
  }

  @Test
  void aMessageWithoutAdvice_isKeptWhole() {
    RedisConnectionException e =
        new RedisConnectionException("Unable to connect to Redis server: 127.0.0.1/127.0.0.1:6379");

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo(
            "RedisConnectionException: Unable to connect to Redis server:"
                + " 127.0.0.1/127.0.0.1:6379");
  }

  @Test
  void commandExecutionTimeout_isKeptWhole() {
    RedisTimeoutException e =
        new RedisTimeoutException(
            "Command execution timeout for command: (PING), params: [], Redis client:"
                + " [addr=redis://127.0.0.1:6379,127.0.0.1/127.0.0.1:6379]");

    assertThat(RedisStore.safeMessage(e)).isEqualTo("RedisTimeoutException: " + e.getMessage());
  }

  @Test
  void credentialsInAUri_areStillMasked() {
    RedisConnectionException e =
        new RedisConnectionException(
            "Unable to connect to Redis server: redis://app:s3cret@10.1.2.3:6379. Check it.");

    assertThat(RedisStore.safeMessage(e))
        .isEqualTo(
            "RedisConnectionException: Unable to connect to Redis server:"
                + " redis://***@10.1.2.3:6379");
  }

  @Test
  void noMessage_givesTheClassName() {
    assertThat(RedisStore.safeMessage(new IllegalStateException()))
        .isEqualTo("IllegalStateException");
  }
}
