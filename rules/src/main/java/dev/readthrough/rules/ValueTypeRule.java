package dev.readthrough.rules;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rule on a cached value's declared type: it must be data that can be stored and read back, so
 * neither it nor anything it reaches (type arguments, array components, record components, the
 * fields of application classes) may be a live resource of this JVM or code.
 *
 * <p>Refused: I/O streams, readers, writers and channels; {@code java.util.stream} pipelines;
 * iterators, spliterators and enumerations (a {@code Scanner} too); threads, thread groups and
 * executor services; sockets; JDBC connections, statements and result sets; class loaders;
 * subclasses and implementations of all of these; and interfaces annotated
 * {@code @FunctionalInterface} ({@code Runnable}, {@code Supplier}, {@code Function}, ...), whose
 * values are lambdas. None of these can be encoded today: their state is either outside the JVM's
 * heap or in JDK fields that the codec may not open. Everything else is left to the codec, which
 * returns a value it cannot encode uncached: a type variable, {@code Object} or another interface
 * may well hold data. The fields of JDK classes are not walked: the codec encodes JDK types with
 * serializers of their own.
 */
final class ValueTypeRule<T> {

  private static final int MAX_DEPTH = 32;

  /** A kind of type that is not data: its base type, what it is, and what to return instead. */
  private enum Family {
    INPUT_STREAM(
        "java.io.InputStream",
        "an open stream of bytes, not the bytes themselves",
        "return the bytes (byte[]) or a record of the data instead of an InputStream"),
    OUTPUT_STREAM(
        "java.io.OutputStream",
        "a destination to write bytes to, not data",
        "return the bytes (byte[]) or a record of the data instead of an OutputStream"),
    READER(
        "java.io.Reader",
        "an open stream of characters, not the text itself",
        "return the text (String) or a record of the data instead of a Reader"),
    WRITER(
        "java.io.Writer",
        "a destination to write characters to, not data",
        "return the text (String) or a record of the data instead of a Writer"),
    CHANNEL(
        "java.nio.channels.Channel",
        "an open I/O channel, not data",
        "return the bytes (byte[]) or a record of the data instead of a Channel"),
    STREAM(
        "java.util.stream.BaseStream",
        "a pipeline that can be consumed only once, not data",
        "return a List (stream.toList()) instead of a Stream"),
    ITERATOR(
        "java.util.Iterator",
        "a cursor that walks its elements once, not the elements themselves",
        "return a List of the elements instead of an Iterator"),
    SPLITERATOR(
        "java.util.Spliterator",
        "a cursor that walks its elements once, not the elements themselves",
        "return a List of the elements instead of a Spliterator"),
    ENUMERATION(
        "java.util.Enumeration",
        "a cursor that walks its elements once, not the elements themselves",
        "return a List of the elements instead of an Enumeration"),
    THREAD(
        "java.lang.Thread",
        "a thread of this JVM, not data",
        "return the result of its work instead of a Thread"),
    THREAD_GROUP(
        "java.lang.ThreadGroup",
        "a group of threads of this JVM, not data",
        "return the results of their work instead of a ThreadGroup"),
    EXECUTOR(
        "java.util.concurrent.ExecutorService",
        "a pool of threads of this JVM, not data",
        "return the results of the work instead of an ExecutorService"),
    SOCKET(
        "java.net.Socket",
        "an open network connection, not data",
        "return what was read from it (byte[], String or a record) instead of a Socket"),
    SERVER_SOCKET(
        "java.net.ServerSocket",
        "a listening network socket, not data",
        "return the data you need (such as its port) instead of a ServerSocket"),
    CONNECTION(
        "java.sql.Connection",
        "a live database connection, not data",
        "return the rows read through it as records (a List of records) instead of a Connection"),
    STATEMENT(
        "java.sql.Statement",
        "a live database statement, valid only while its connection is open",
        "return the rows it reads as records (a List of records) instead of a Statement"),
    RESULT_SET(
        "java.sql.ResultSet",
        "a cursor over a live database connection, not the rows themselves",
        "return the rows read from it as records (a List of records) instead of a ResultSet"),
    CLASS_LOADER(
        "java.lang.ClassLoader",
        "part of this JVM's class loading, not data",
        "return the class names or data you need instead of a ClassLoader");

    final String base;
    final String what;
    final String instead;

    Family(String base, String what, String instead) {
      this.base = base;
      this.what = what;
      this.instead = instead;
    }
  }

  /** A refused type reached from the cached type: where it was found, and why it is refused. */
  record Refusal<T>(String subject, T declared, T offending, String why) {}

  private final TypeModel<T> model;
  private final TypeNames<T> names;

  ValueTypeRule(TypeModel<T> model, TypeNames<T> names) {
    this.model = model;
    this.names = names;
  }

  /**
   * Why a value of {@code cached} cannot be cached, or {@code null} if nothing in its declared type
   * says so.
   */
  @Nullable Refusal<T> refusal(T cached) {
    return walk(cached, "the cached value", cached, new HashSet<>(), 0);
  }

  /**
   * Why a value of {@code type} itself (not what it holds) is not data: {@code ", which is ...: it
   * cannot be cached; return ... instead"}; {@code null} if it may be.
   */
  @Nullable String why(T type) {
    if (!names.isDeclared(type)) {
      return null;
    }
    for (Family family : Family.values()) {
      if (model.asSupertype(type, family.base) != null) {
        String kind =
            model.name(type).equals(family.base)
                ? ""
                : " (" + family.base.substring(family.base.lastIndexOf('.') + 1) + ")";
        return ", which is " + family.what + kind + ": it cannot be cached; " + family.instead;
      }
    }
    if (model.isFunctionalInterface(type)) {
      return ", which is code (a lambda or method reference), not data: it cannot be cached;"
          + " return the data it works on, or its result, instead of a "
          + model.simpleName(type);
    }
    return null;
  }

  private @Nullable Refusal<T> walk(
      T type, String subject, T declared, Set<String> seen, int depth) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    switch (model.kind(type)) {
      case ARRAY -> {
        return walk(model.component(type), subject, declared, seen, depth + 1);
      }
      case TYPE_VARIABLE, WILDCARD -> {
        T bound = names.bound(type);
        return bound == null ? null : walk(bound, subject, declared, seen, depth + 1);
      }
      case CLASS, INTERFACE, ENUM, RECORD -> {
        // walked below
      }
      default -> {
        return null;
      }
    }
    String why = why(type);
    if (why != null) {
      return new Refusal<>(subject, declared, type, why);
    }
    if (!seen.add(names.name(type))) {
      return null; // a type that holds itself: its other members decide
    }
    for (T argument : model.typeArguments(type)) {
      Refusal<T> refusal = walk(argument, subject, declared, seen, depth + 1);
      if (refusal != null) {
        return refusal;
      }
    }
    List<TypeModel.Member<T>> members;
    if (model.kind(type) == TypeModel.Kind.RECORD) {
      members = model.recordComponents(type);
    } else if (model.kind(type) == TypeModel.Kind.CLASS && !isJdk(model.name(type))) {
      members = model.fields(type);
    } else {
      return null; // enums are written by name; JDK types by serializers of their own
    }
    for (TypeModel.Member<T> member : members) {
      String at = model.simpleName(type) + "." + member.name();
      Refusal<T> refusal = walk(member.type(), at, member.type(), seen, depth + 1);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  /** The message text after the annotation and method: what is refused, why, and what to do. */
  String message(Refusal<T> refusal) {
    String declared = names.name(refusal.declared());
    String offending = names.name(refusal.offending());
    return declared.equals(offending)
        ? refusal.subject() + " has type " + declared + refusal.why()
        : refusal.subject()
            + " has type "
            + declared
            + ", which holds "
            + offending
            + refusal.why();
  }

  private static boolean isJdk(String binaryName) {
    return binaryName.startsWith("java.")
        || binaryName.startsWith("javax.")
        || binaryName.startsWith("jdk.")
        || binaryName.startsWith("sun.")
        || binaryName.startsWith("com.sun.");
  }
}
