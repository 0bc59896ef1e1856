package dev.readthrough.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.readthrough.testing.RedisProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redisson YAML file that cannot be read or is not a valid configuration fails {@code start} with
 * an IllegalArgumentException naming the file and the problem, and never showing a credential; only
 * an unreachable Redis is an outage, which {@code start} rides out.
 */
class BadRedissonYamlTest {

  private static final String SECRET = "Pw-51c0e7-secret";

  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path file = dir.resolve("redisson.yaml");
    Files.writeString(file, text);
    return file;
  }

  /**
   * Starts an engine on {@code file} and returns what start threw, closing an engine it returned.
   */
  private static @Nullable Throwable startFailure(Path file, Runnable beforeStart) {
    ReadThroughConfig config = ReadThroughConfig.builder().redissonYaml(file).build();
    beforeStart.run();
    try (ReadThroughEngine engine = ReadThroughEngine.start(config)) {
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static void assertFailsStart(Path file, String problem) {
    assertFailsStart(file, problem, () -> {});
  }

  private static void assertFailsStart(Path file, String problem, Runnable beforeStart) {
    Throwable thrown = startFailure(file, beforeStart);
    assertThat(thrown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redissonYaml " + file)
        .hasMessageContaining(problem);
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(SECRET);
  }

  @Test
  void syntaxError_failsStart_namingLineAndColumn() throws Exception {
    Path file = yaml("singleServerConfig:\n  address: \"redis://127.0.0.1:6379\n  timeout: 100\n");

    assertFailsStart(file, "not valid YAML (line 4, column 1)");
  }

  @Test
  void unknownProperty_failsStart_namingIt() throws Exception {
    Path file = yaml("singleServerConfig:\n  adress: \"redis://127.0.0.1:6379\"\n");

    assertFailsStart(file, "unknown property singleServerConfig.adress (line 2, column 11)");
  }

  @Test
  void unknownTopLevelProperty_failsStart_namingIt() throws Exception {
    Path file = yaml("singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\nthreadz: 4\n");

    assertFailsStart(file, "unknown property threadz (line 3, column 10)");
  }

  @Test
  void valueOfTheWrongType_failsStart_namingTheProperty() throws Exception {
    Path file =
        yaml("singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n  timeout: soon\n");

    assertFailsStart(file, "invalid value for singleServerConfig.timeout (line 3, column 12)");
  }

  @Test
  void missingAddress_failsStart() throws Exception {
    Path file = yaml("singleServerConfig:\n  timeout: 100\n");

    assertFailsStart(file, "singleServerConfig.address is missing");
  }

  @Test
  void addressWithoutScheme_failsStart() throws Exception {
    Path file = yaml("singleServerConfig:\n  address: \"127.0.0.1:6379\"\n");

    assertFailsStart(file, "singleServerConfig.address \"127.0.0.1:6379\" is not a Redis address");
  }

  @Test
  void clusterWithoutNodes_failsStart() throws Exception {
    Path file = yaml("clusterServersConfig:\n  scanInterval: 1000\n");

    assertFailsStart(file, "clusterServersConfig.nodeAddresses is missing or empty");
  }

  @Test
  void sentinelWithoutMasterName_failsStart() throws Exception {
    Path file =
        yaml("sentinelServersConfig:\n  sentinelAddresses:\n  - \"redis://127.0.0.1:26379\"\n");

    assertFailsStart(file, "sentinelServersConfig.masterName is missing");
  }

  @Test
  void noServers_failsStart() throws Exception {
    Path file = yaml("threads: 4\n");

    assertFailsStart(file, "it names no servers");
  }

  @Test
  void twoServerModes_failStart() throws Exception {
    Path file =
        yaml(
            "clusterServersConfig:\n  nodeAddresses:\n  - \"redis://127.0.0.1:7000\"\n"
                + "singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n");

    assertFailsStart(
        file, "more than one server mode, keep one of singleServerConfig, clusterServersConfig");
  }

  @Test
  void listInsteadOfSettings_failsStart() throws Exception {
    Path file = yaml("- redis://127.0.0.1:6379\n");

    assertFailsStart(file, "not a Redisson configuration (line 1, column ");
  }

  @Test
  void emptyFile_failsStart() throws Exception {
    Path file = yaml("\n");

    assertFailsStart(file, "it is empty");
  }

  @Test
  void fileGoneByStart_failsStart() throws Exception {
    Path file = yaml("singleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n");

    assertFailsStart(
        file,
        "cannot read it: no such file",
        () -> {
          try {
            Files.delete(file);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void syntaxErrorInThePasswordLine_neverShowsThePassword() throws Exception {
    Path file =
        yaml(
            "password: [\""
                + SECRET
                + "\"\nsingleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n");

    assertFailsStart(file, "not valid YAML");
  }

  @Test
  void invalidPasswordValue_neverShowsThePassword() throws Exception {
    Path file =
        yaml(
            "password:\n  "
                + SECRET
                + ": 1\nsingleServerConfig:\n  address: \"redis://127.0.0.1:6379\"\n");

    assertFailsStart(file, "invalid value for password (line 2, column ");
  }

  @Test
  void addressWithCredentialsButNoPort_isShownWithoutThem() throws Exception {
    Path file =
        yaml("singleServerConfig:\n  address: \"redis://reader:" + SECRET + "@127.0.0.1\"\n");

    assertFailsStart(file, "\"redis://***@127.0.0.1\" is not a Redis address: it has no port");
  }

  @Test
  void addressWithCredentialsButNoHost_isShownWithoutThem() throws Exception {
    Path file = yaml("singleServerConfig:\n  address: \"redis://reader:" + SECRET + "@:6379\"\n");

    assertFailsStart(file, "\"redis://***@:6379\" is not a Redis address");
  }

  @Test
  void afterABadFile_anotherEngineStarts() throws Exception {
    assertFailsStart(
        yaml("singleServerConfig:\n  timeout: 100\n"), "singleServerConfig.address is missing");

    try (RedisProcess redis = RedisProcess.start();
        ReadThroughEngine engine =
            ReadThroughEngine.start(
                ReadThroughConfig.builder()
                    .redissonYaml(yaml("singleServerConfig:\n  address: \"" + redis.uri() + "\"\n"))
                    .build())) {
      assertThat(engine.isRedisAvailable()).isTrue();
    }
  }

  @Test
  void validFile_unreachableRedis_startsWithoutRedis() throws Exception {
    RedisProcess redis = RedisProcess.start();
    redis.stop();
    Path file = yaml("singleServerConfig:\n  address: \"" + redis.uri() + "\"\n");

    try (ReadThroughEngine engine =
        ReadThroughEngine.start(ReadThroughConfig.builder().redissonYaml(file).build())) {
      assertThat(engine.isRedisAvailable()).isFalse();
    }
  }
}
