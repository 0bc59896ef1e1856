package dev.readthrough.runtime;

import java.util.List;

/**
 * A {@code @ReadThrough}, {@code @WriteThrough} or {@code @Invalidate} declaration that cannot
 * work: every problem found is listed, each naming the method and the attribute at fault.
 */
public final class CacheDeclarationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates the exception from its problems, each naming the method and attribute at fault.
   *
   * @param problems at least one problem
   */
  public CacheDeclarationException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Returns each problem as one sentence that names its method. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    StringBuilder message = new StringBuilder(problems.size() + " cache declaration problems:");
    for (String problem : problems) {
      message.append("\n  - ").append(problem);
    }
    return message.toString();
  }
}
