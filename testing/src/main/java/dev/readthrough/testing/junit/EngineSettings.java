package dev.readthrough.testing.junit;

import dev.readthrough.runtime.ReadThroughConfig;
import dev.readthrough.testing.TestRedis;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** Builds a test class's engine configuration: the defaults, then its {@link ConfigureEngine}s. */
final class EngineSettings {

  /**
   * The operation timeout tests start with: a cold JVM's first connections can take longer than the
   * 200 ms default, and an engine whose first calls time out runs them uncached.
   */
  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(2);

  /** How much of the class name a key prefix keeps. */
  private static final int NAME_LENGTH = 40;

  private EngineSettings() {}

  /**
   * Returns the configuration of {@code testClass}'s engine.
   *
   * @throws IllegalStateException naming every {@link ConfigureEngine} method that is not {@code
   *     static void m(ReadThroughConfig.Builder)}
   * @throws IllegalArgumentException if such a method gives the builder a wrong setting
   */
  static ReadThroughConfig configFor(Class<?> testClass) {
    List<Method> methods = methods(testClass);
    ReadThroughConfig.Builder builder =
        ReadThroughConfig.builder()
            .redisUri(TestRedis.uri())
            .keyPrefix(keyPrefix(testClass))
            .operationTimeout(OPERATION_TIMEOUT);
    for (Method method : methods) {
      // the method's own exception, such as the builder's IllegalArgumentException, passes as is
      ReflectionSupport.invokeMethod(method, null, builder);
    }
    return builder.build();
  }

  /**
   * Returns {@code testClass}'s {@link ConfigureEngine} methods, superclasses' first.
   *
   * @throws IllegalStateException naming every one that is not {@code static void
   *     m(ReadThroughConfig.Builder)}
   */
  static List<Method> methods(Class<?> testClass) {
    List<Method> methods =
        AnnotationSupport.findAnnotatedMethods(
            testClass, ConfigureEngine.class, HierarchyTraversalMode.TOP_DOWN);
    List<String> problems = new ArrayList<>();
    for (Method method : methods) {
      if (!Modifier.isStatic(method.getModifiers())
          || method.getReturnType() != void.class
          || method.getParameterCount() != 1
          || method.getParameterTypes()[0] != ReadThroughConfig.Builder.class) {
        problems.add(
            "@ConfigureEngine method "
                + method.getDeclaringClass().getSimpleName()
                + "."
                + method.getName()
                + " must be static void "
                + method.getName()
                + "(ReadThroughConfig.Builder config)");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    return methods;
  }

  /**
   * A key prefix no other class or run shares: {@code rt-test-}, the class's simple name, and eight
   * random hexadecimal digits, such as {@code rt-test-UserServiceTest-3f9a01c2}.
   */
  static String keyPrefix(Class<?> testClass) {
    StringBuilder name = new StringBuilder();
    for (char c : testClass.getSimpleName().toCharArray()) {
      if (name.length() == NAME_LENGTH) {
        break;
      }
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      name.append(plain ? c : '_');
    }
    String random = String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
    return "rt-test-" + (name.length() == 0 ? "class" : name) + "-" + random;
  }
}
