package dev.readthrough.testing.junit;

import dev.readthrough.runtime.ReadThroughEngine;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ReadThroughTest}: it owns the test class's engine, from its
 * start to its close, and resolves parameters of type {@link ReadThroughEngine} and {@link
 * TestCaches}.
 *
 * <ul>
 *   <li>Before the class's {@code @BeforeAll} methods (or earlier, when a constructor of a
 *       {@code @TestInstance(PER_CLASS)} class asks for it), it starts an engine on the shared test
 *       Redis ({@link dev.readthrough.testing.TestRedis}) with a key prefix of the class's own,
 *       changed by the class's {@link ConfigureEngine} methods; the engine is installed into the
 *       woven aspect, so every woven method of the JVM uses it. A class whose engine cannot reach
 *       Redis fails.
 *   <li>Before each test's {@code @BeforeEach} methods, it clears every cache the engine has used
 *       (unless {@link ReadThroughTest#clearBeforeEach()} is off) and sets {@link TestCaches}'
 *       counters to zero; it sets them to zero again right before the test method, so that a test's
 *       counters hold its own calls and not those of its set-up.
 *   <li>After the class's {@code @AfterAll} methods, it clears every cache the engine used, so that
 *       no key of the class's prefix stays in Redis, and closes the engine.
 * </ul>
 *
 * <p>A {@code @Nested} class shares the engine of the class that encloses it; it may not have
 * {@link ConfigureEngine} methods of its own.
 */
public final class ReadThroughExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        BeforeTestExecutionCallback,
        ParameterResolver {

  /**
   * The resource lock that {@link ReadThroughTest} classes take, because one engine serves a JVM at
   * a time. Give it ({@code @ResourceLock(ReadThroughExtension.ENGINE_LOCK)}) to test classes that
   * start an engine of their own, so that parallel execution never runs them beside one.
   */
  public static final String ENGINE_LOCK = "dev.readthrough.engine";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ReadThroughExtension.class);

  /** Created by JUnit, from {@link ReadThroughTest} or {@code @ExtendWith}. */
  public ReadThroughExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    ClassEngine current = classEngine(context);
    Class<?> testClass = context.getRequiredTestClass();
    if (testClass != current.testClass()) {
      List<Method> own = new ArrayList<>(EngineSettings.methods(testClass));
      own.removeAll(EngineSettings.methods(current.testClass()));
      if (!own.isEmpty()) {
        throw new ExtensionConfigurationException(
            "@ConfigureEngine methods of @Nested class "
                + testClass.getName()
                + " are not used: it shares the engine of "
                + current.testClass().getName()
                + "; configure the engine there");
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    classEngine(context).beginTest();
  }

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    classEngine(context).caches().zero();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ClassEngine current = context.getStore(NAMESPACE).get(ClassEngine.class, ClassEngine.class);
    if (current != null && current.testClass() == context.getRequiredTestClass()) {
      context.getStore(NAMESPACE).remove(ClassEngine.class);
      current.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == ReadThroughEngine.class || type == TestCaches.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ClassEngine current = classEngine(context);
    return parameter.getParameter().getType() == ReadThroughEngine.class
        ? current.engine()
        : current.caches();
  }

  /**
   * Returns the engine of the class {@code context} belongs to, starting it if this is the first
   * call for the class: the outermost class with the extension owns it, and its {@code @Nested}
   * classes find it in its store.
   */
  private static ClassEngine classEngine(ExtensionContext context) {
    ExtensionContext owner = classContext(context);
    return owner
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            ClassEngine.class,
            key -> {
              Class<?> testClass = owner.getRequiredTestClass();
              return ClassEngine.start(testClass, clearBeforeEach(testClass));
            },
            ClassEngine.class);
  }

  /** The context of the innermost test class that {@code context} is in. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() || current.getTestClass().isEmpty()) {
      current =
          current
              .getParent()
              .orElseThrow(() -> new ExtensionConfigurationException("no test class"));
    }
    return current;
  }

  /** Whether the class clears its caches before each test; true without the annotation. */
  private static boolean clearBeforeEach(Class<?> testClass) {
    return AnnotationSupport.findAnnotation(testClass, ReadThroughTest.class)
        .map(ReadThroughTest::clearBeforeEach)
        .orElse(true);
  }
}
