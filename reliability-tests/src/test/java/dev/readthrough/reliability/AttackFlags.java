package dev.readthrough.reliability;

/** Set by {@link EvilValue} when it is initialised or constructed; never by anything else. */
final class AttackFlags {
  static volatile boolean initialised;
  static volatile boolean constructed;

  private AttackFlags() {}
}
