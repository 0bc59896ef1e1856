package dev.readthrough.runtime;

import dev.readthrough.ReadThrough;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Java sources compiled in this JVM, against the annotations: either checked by an annotation
 * processor (its diagnostics) or compiled into classes loaded from memory.
 */
final class InMemoryJavac {

  private InMemoryJavac() {}

  /** Runs only annotation processing with {@code processor}; returns the errors by file name. */
  static Map<String, List<String>> errors(Map<String, String> sources, Processor processor) {
    DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task =
          compiler.getTask(
              null,
              files,
              collector,
              List.of("-proc:only", "-classpath", annotationsJar()),
              null,
              sourceObjects(sources));
      task.setProcessors(List.of(processor));
      task.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<String>> errors = new HashMap<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : collector.getDiagnostics()) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR) {
        String file =
            diagnostic.getSource() == null
                ? ""
                : new File(diagnostic.getSource().getName()).getName();
        errors
            .computeIfAbsent(file.replace(".java", ""), f -> new ArrayList<>())
            .add(diagnostic.getMessage(Locale.ROOT));
      }
    }
    return errors;
  }

  /**
   * Compiles the sources without annotation processing, recording parameter names, into a class
   * loader whose parent is this class's loader.
   *
   * @throws IllegalStateException if the sources do not compile
   */
  static ClassLoader classes(Map<String, String> sources) {
    DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    try (StandardJavaFileManager standard =
            compiler.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8);
        JavaFileManager files =
            new ForwardingJavaFileManager<>(standard) {
              @Override
              public JavaFileObject getJavaFileForOutput(
                  Location location,
                  String className,
                  JavaFileObject.Kind kind,
                  FileObject sibling) {
                return new SimpleJavaFileObject(
                    URI.create("mem:///" + className + ".class"), kind) {
                  @Override
                  public OutputStream openOutputStream() {
                    return classes.computeIfAbsent(className, c -> new ByteArrayOutputStream());
                  }
                };
              }
            }) {
      boolean compiled =
          compiler
              .getTask(
                  null,
                  files,
                  collector,
                  List.of("-proc:none", "-parameters", "-classpath", annotationsJar()),
                  null,
                  sourceObjects(sources))
              .call();
      if (!compiled) {
        throw new IllegalStateException(
            "the sources do not compile: " + collector.getDiagnostics());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ClassLoader(InMemoryJavac.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        ByteArrayOutputStream bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] code = bytes.toByteArray();
        return defineClass(name, code, 0, code.length);
      }
    };
  }

  private static List<JavaFileObject> sourceObjects(Map<String, String> sources) {
    List<JavaFileObject> objects = new ArrayList<>();
    sources.forEach(
        (className, text) ->
            objects.add(
                new SimpleJavaFileObject(
                    URI.create("string:///app/" + className + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                  @Override
                  public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                  }
                }));
    return objects;
  }

  private static String annotationsJar() {
    try {
      return new File(ReadThrough.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
