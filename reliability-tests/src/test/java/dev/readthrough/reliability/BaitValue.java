package dev.readthrough.reliability;

/**
 * A harmless class with the same shape and name length as {@code EvilValue}: plain Kryo writes it,
 * and the tests swap its name for the attacker's in the bytes, without ever touching the attacker
 * class itself.
 */
public final class BaitValue {
  public String payload = "";
}
