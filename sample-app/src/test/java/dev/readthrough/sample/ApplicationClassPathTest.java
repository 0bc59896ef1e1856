package dev.readthrough.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an application that depends on {@code readthrough-runtime} gets on its class path: the
 * declaration rules the runtime applies, and no annotation processor. The processor reaches the
 * compiler through {@code annotationProcessorPaths} only, as this module's {@code pom.xml} shows.
 */
class ApplicationClassPathTest {

  private static final String PROCESSOR_SERVICES =
      "META-INF/services/javax.annotation.processing.Processor";

  @Test
  void classPath_registersNoAnnotationProcessor() throws IOException {
    List<URL> registrations =
        Collections.list(getClass().getClassLoader().getResources(PROCESSOR_SERVICES));

    assertThat(registrations).as("service files registering a processor").isEmpty();
  }

  @Test
  void classPath_holdsTheRulesButNotTheProcessor() throws ClassNotFoundException {
    ClassLoader loader = getClass().getClassLoader();

    assertThat(Class.forName("dev.readthrough.rules.DeclarationRules", false, loader)).isNotNull();
    assertThatThrownBy(
            () -> Class.forName("dev.readthrough.processor.ReadThroughProcessor", false, loader))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
