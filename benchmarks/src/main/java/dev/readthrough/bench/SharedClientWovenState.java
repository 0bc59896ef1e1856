package dev.readthrough.bench;

import dev.readthrough.runtime.ReadThroughConfig;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.redisson.api.RedissonClient;

/**
 * {@link WovenState} with the client handed to the engine ({@code
 * ReadThroughConfig.builder().redisson(client)}): a Redisson client on Redisson's default settings,
 * created as {@link FloorState}'s is, which the engine uses but does not shut down. The same engine
 * settings otherwise, so that the hit against the floor on the floor's own kind of client can be
 * told from the hit on the engine's client.
 */
@State(Scope.Benchmark)
public class SharedClientWovenState extends WovenState {

  private RedissonClient client;

  @Override
  ReadThroughConfig.Builder redis() {
    client = BenchRedis.client();
    return ReadThroughConfig.builder().redisson(client);
  }

  @Override
  void releaseRedis() {
    if (client != null) {
      BenchRedis.shutdown(client);
    }
  }
}
