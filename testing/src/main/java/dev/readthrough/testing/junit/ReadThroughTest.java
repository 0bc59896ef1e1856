package dev.readthrough.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a test class's woven methods against a real Redis: one engine, with a key prefix of the
 * class's own, from before its first {@code @BeforeAll} method to after its last {@code @AfterAll}
 * method. See {@link ReadThroughExtension} for what happens when.
 *
 * <p>The engine's settings can be changed by {@link ConfigureEngine} methods of the class. Test,
 * lifecycle and constructor parameters of type {@link dev.readthrough.runtime.ReadThroughEngine} or
 * {@link TestCaches} are injected.
 *
 * <p>One engine serves a JVM at a time, so classes with this annotation take the resource lock
 * {@value ReadThroughExtension#ENGINE_LOCK}: under parallel execution they run one after another,
 * and the tests of each run one at a time. {@code @Nested} classes share the enclosing class's
 * engine.
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ReadThroughExtension.class)
@ResourceLock(ReadThroughExtension.ENGINE_LOCK)
public @interface ReadThroughTest {

  /**
   * Whether each test starts with no entries: before each test, every cache the engine has used so
   * far is cleared. Turn it off to keep what {@code @BeforeAll} methods or earlier tests stored.
   */
  boolean clearBeforeEach() default true;
}
