package dev.readthrough.sample;

import com.google.inject.AbstractModule;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Binds the simulated upstream and the application's meter registry, which {@code
 * ReadThroughModule} finds and registers the engine's meters in; {@link UniversityService} is bound
 * just in time by Guice.
 */
public final class SampleModule extends AbstractModule {

  private final Duration upstreamLatency;

  /** Creates the module with an upstream that takes this long per call. */
  public SampleModule(Duration upstreamLatency) {
    this.upstreamLatency = Objects.requireNonNull(upstreamLatency, "upstreamLatency");
  }

  @Override
  protected void configure() {
    bind(UniversityApi.class).toInstance(new UniversityApi(upstreamLatency));
    bind(MeterRegistry.class).toInstance(new SimpleMeterRegistry());
  }
}
