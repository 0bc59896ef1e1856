package dev.readthrough.reliability;

import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * The class an attacker wants built from a forged cache entry. Nothing in the tests refers to it
 * except by name, so it is loaded only if a decoder looks its name up.
 */
public final class EvilValue implements Serializable {
  private static final long serialVersionUID = 1L;

  static {
    AttackFlags.initialised = true;
  }

  public String payload = "";

  public EvilValue() {
    AttackFlags.constructed = true;
  }

  private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
    AttackFlags.constructed = true;
    in.defaultReadObject();
  }
}
