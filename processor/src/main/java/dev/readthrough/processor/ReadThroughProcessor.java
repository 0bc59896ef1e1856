package dev.readthrough.processor;

import dev.readthrough.Invalidate;
import dev.readthrough.ReadThrough;
import dev.readthrough.WriteThrough;
import dev.readthrough.rules.DeclarationRules;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * An annotation processor that fails the build on a {@link ReadThrough}, {@link WriteThrough} or
 * {@link Invalidate} declaration the runtime would reject at the method's first call.
 *
 * <p>It applies {@link DeclarationRules}, the very rules and messages the runtime applies at a
 * method's first call. Each problem is reported as an error on the method and its annotation, all
 * of them in one build. It generates nothing and claims no annotation, so other processors still
 * see them.
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
      for (ExecutableElement method :
          ElementFilter.methodsIn(round.getElementsAnnotatedWith(annotation))) {
        annotated.add(method);
        owners.add(method.getEnclosingElement());
      }
    }
    DeclarationRules<TypeMirror> rules =
        new DeclarationRules<>(
            new MirrorTypes(processingEnv.getElementUtils(), processingEnv.getTypeUtils()));
    for (Element owner : owners) {
      // in declaration order, so that errors read top to bottom within a class
      for (ExecutableElement method : ElementFilter.methodsIn(owner.getEnclosedElements())) {
        if (annotated.contains(method)) {
          check(method, rules);
        }
      }
    }
    return false;
  }

  private void check(ExecutableElement method, DeclarationRules<TypeMirror> rules) {
    MethodCheck check = new MethodCheck(method, processingEnv.getElementUtils(), rules);
    for (MethodCheck.Problem problem : check.problems()) {
      processingEnv
          .getMessager()
          .printMessage(Diagnostic.Kind.ERROR, problem.message(), method, problem.annotation());
    }
  }
}
