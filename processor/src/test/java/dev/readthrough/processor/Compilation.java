package dev.readthrough.processor;

import dev.readthrough.ReadThrough;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** One source file compiled in-process with {@link ReadThroughProcessor}, and what it reported. */
final class Compilation {

  private final String source;
  private final List<Diagnostic<? extends JavaFileObject>> diagnostics;

  private Compilation(String source, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    this.source = source;
    this.diagnostics = diagnostics;
  }

  /** Runs only annotation processing on {@code source}, a file of package {@code app}. */
  static Compilation of(String className, String source) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        compiler.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task =
          compiler.getTask(
              null,
              files,
              collector,
              List.of("-proc:only", "-classpath", annotationsOnClasspath()),
              null,
              List.of(new Source("app/" + className + ".java", source)));
      task.setProcessors(List.of(new ReadThroughProcessor()));
      task.call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Compilation(source, List.copyOf(collector.getDiagnostics()));
  }

  /** The errors, in the order reported. */
  List<Diagnostic<? extends JavaFileObject>> errors() {
    return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
  }

  /** The messages of the errors. */
  List<String> errorMessages() {
    return errors().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
  }

  /** The 1-based line of the only line of the source that contains {@code text}. */
  long lineOf(String text) {
    String[] lines = source.split("\n", -1);
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        found.add(i + 1);
      }
    }
    if (found.size() != 1) {
      throw new IllegalArgumentException("'" + text + "' is on lines " + found + ", not on one");
    }
    return found.get(0);
  }

  @Override
  public String toString() {
    return diagnostics.stream()
        .map(d -> d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }

  private static String annotationsOnClasspath() {
    try {
      return new File(ReadThrough.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String path, String text) {
      super(URI.create("string:///" + path), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
