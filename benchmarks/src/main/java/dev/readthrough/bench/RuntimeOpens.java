package dev.readthrough.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code --add-opens} flags, if any, that the Readthrough value codec needs on this JDK:
 * runs {@code EncodedSizes} in a child JVM, adding the package each failure names, until it
 * succeeds. Prints the flags on one line (empty when none is needed).
 */
public final class RuntimeOpens {

  private static final Pattern NOT_OPEN =
      Pattern.compile("module (\\S+) does not \"opens ([\\w.]+)\" to unnamed module");

  private RuntimeOpens() {}

  public static void main(String[] args) throws Exception {
    System.out.println(String.join(" ", needed()));
  }

  public static List<String> needed() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<String> flags = new ArrayList<>();
    for (int attempt = 0; attempt < 10; attempt++) {
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(flags);
      command.addAll(List.of("-cp", classpath, EncodedSizes.class.getName()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("EncodedSizes did not finish");
      }
      Matcher m = NOT_OPEN.matcher(output);
      if (!m.find()) {
        if (process.exitValue() != 0 || output.contains("cannot encode")) {
          // not a missing --add-opens: the Readthrough cases will fail and say why; the others run
          System.err.println("# WARNING: the Readthrough value codec fails:\n" + output);
        }
        return flags;
      }
      flags.add("--add-opens");
      flags.add(m.group(1) + "/" + m.group(2) + "=ALL-UNNAMED");
    }
    throw new IllegalStateException("too many --add-opens needed: " + flags);
  }
}
