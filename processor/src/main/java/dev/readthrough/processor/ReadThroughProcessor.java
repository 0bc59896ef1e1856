package dev.readthrough.processor;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * An annotation processor that fails the build on a {@link ReadThrough}, {@link WriteThrough} or
 * {@link Invalidate} declaration the runtime would reject at the method's first call.
 *
 * <p>It applies the runtime's rules: every key entry names a parameter, and each dotted step
 * resolves to a getter, record accessor or field; every key part has a type that can form a
 * stable key; TTLs are positive; cached methods return something; cache names are readable;
 * {@code @ReadThrough} is not combined with {@code @WriteThrough} or {@code @Invalidate}. Each
 * problem is reported as an error on the method and its annotation, all of them in one build. It
 * generates nothing and claims no annotation, so other processors still see them.
 */
public final class ReadThroughProcessor extends AbstractProcessor {

  /** Creates the processor; the compiler finds it through {@link java.util.ServiceLoader}. */
  public ReadThroughProcessor() {}

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(
        ReadThrough.class.getCanonicalName(),
        WriteThrough.class.getCanonicalName(),
        Invalidate.class.getCanonicalName());
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<ExecutableElement> annotated = new HashSet<>();
    Set<Element> owners = new LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      for (ExecutableElement method : ElementFilter.methodsIn(round.getElementsAnnotatedWith(annotation))) {
        annotated.add(method);
        owners.add(method.getEnclosingElement());
      }
    }
    KeyTypes keyTypes = new KeyTypes(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
    for (Element owner : owners) {
      // in declaration order, so that errors read top to bottom within a class
      for (ExecutableElement method : ElementFilter.methodsIn(owner.getEnclosedElements())) {
        if (annotated.contains(method)) {
          check(method, keyTypes);
        }
      }
    }
    return false;
  }

  private void check(ExecutableElement method, KeyTypes keyTypes) {
    for (MethodCheck.Problem problem : new MethodCheck(method, keyTypes).problems()) {
      processingEnv.getMessager()
          .printMessage(Diagnostic.Kind.ERROR, problem.message(), method, problem.annotation());
    }
  }
}
