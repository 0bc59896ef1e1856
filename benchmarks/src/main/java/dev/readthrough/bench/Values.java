package dev.readthrough.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The two values every case caches: one {@link Item} (~100 B) and a list of 100 of them (~10 KB).
 */
public final class Values {

  /** Items in the large value. */
  public static final int LARGE_SIZE = 100;

  public static final Item SMALL = item(1);
  public static final List<Item> LARGE = large();

  private Values() {}

  public static Item item(long id) {
    return new Item(
        id,
        String.format("SKU-%08d", id),
        "Stainless steel water bottle, 750 ml, matte black, no. " + id,
        "kitchen/drinkware",
        (int) (id * 7 % 500),
        1999 + id * 13,
        id % 3 != 0,
        3.5 + (id % 15) / 10.0);
  }

  /** Whether the benchmark parameter {@code value} names the small value. */
  public static boolean isSmall(String value) {
    return switch (value) {
      case "small" -> true;
      case "large" -> false;
      default -> throw new IllegalArgumentException("value must be small or large: " + value);
    };
  }

  public static Object of(String value) {
    return isSmall(value) ? SMALL : LARGE;
  }

  private static List<Item> large() {
    List<Item> items = new ArrayList<>(LARGE_SIZE);
    for (int i = 1; i <= LARGE_SIZE; i++) {
      items.add(item(i));
    }
    return items;
  }
}
