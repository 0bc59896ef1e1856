package dev.readthrough.bench;

import java.util.StringJoiner;

/** Prints the encoded size of each value in each format, as JSON. */
public final class EncodedSizes {

  private EncodedSizes() {}

  public static void main(String[] args) {
    StringJoiner values = new StringJoiner(",\n", "{\n", "\n}");
    for (String value : new String[] {"small", "large"}) {
      StringJoiner formats = new StringJoiner(", ", "{", "}");
      for (String name : Formats.NAMES) {
        String size;
        try {
          size = Integer.toString(Formats.of(name, value).encode(Values.of(value)).length);
        } catch (RuntimeException | LinkageError e) {
          System.err.println("# " + name + " cannot encode the " + value + " value: " + e);
          size = "null";
        }
        formats.add("\"" + name + "\": " + size);
      }
      values.add("  \"" + value + "\": " + formats);
    }
    System.out.println(values);
  }
}
