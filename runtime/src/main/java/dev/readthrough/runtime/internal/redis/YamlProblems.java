package dev.readthrough.runtime.internal.redis;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Owns what a Redisson YAML file the engine cannot use is said to have wrong: the property path,
 * line and column and the parser's own words, never the file's text, which may hold a password.
 */
final class YamlProblems {

  /**
   * Snakeyaml names a bean property it could not set as {@code Cannot create property=name ...}.
   */
  private static final Pattern PROPERTY = Pattern.compile("Cannot create property=([\\w.$-]+)");

  /** Property names whose values are never quoted back in a message, even as a parse problem. */
  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|username|user|credential|secret|token).*");

  private YamlProblems() {}

  /** The exception for a bad file: its name and the problem, never its text. */
  static IllegalArgumentException invalid(Path file, String problem) {
    // no cause: snakeyaml's and Redisson's messages quote the file's lines, passwords included
    return new IllegalArgumentException("invalid redissonYaml " + file + ": " + problem);
  }

  /** What stopped the file from being read, in a few words. */
  static String ioProblem(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * Says what is wrong in a file snakeyaml rejected: the property path, line and column, and the
   * parser's own words. Snakeyaml's message is not used: it quotes the offending lines, which may
   * hold a password, and ${VAR} references already resolved.
   */
  static String yamlProblem(RuntimeException e) {
    List<String> path = new ArrayList<>();
    MarkedYAMLException innermost = null;
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked) {
        innermost = marked;
        Matcher property = PROPERTY.matcher(String.valueOf(marked.getContext()));
        boolean underSecret =
            !path.isEmpty() && SECRET.matcher(path.get(path.size() - 1)).matches();
        if (property.find() && !underSecret) { // below a password, a "property" is the value itself
          path.add(property.group(1));
        }
      }
    }
    if (innermost == null) {
      return "not a Redisson configuration (" + e.getClass().getSimpleName() + ")";
    }
    String at =
        at(
            innermost.getProblemMark() != null
                ? innermost.getProblemMark()
                : innermost.getContextMark());
    if (path.isEmpty()) {
      if (innermost instanceof ConstructorException) { // valid YAML, but a list or a text
        return "not a Redisson configuration" + at + ": expected a mapping of settings";
      }
      String context = innermost.getContext();
      return "not valid YAML"
          + at
          + ": "
          + (context != null ? context + ", " : "")
          + innermost.getProblem();
    }
    String name = String.join(".", path);
    if (innermost.getCause() instanceof NullPointerException) {
      return "unknown property " + name + at;
    }
    String problem =
        SECRET.matcher(path.get(path.size() - 1)).matches()
            ? ""
            : ": " + RedisAddress.redact(String.valueOf(innermost.getProblem()));
    return "invalid value for " + name + at + problem;
  }

  private static String at(@Nullable Mark mark) {
    return mark == null
        ? ""
        : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
  }
}
