package dev.readthrough.sample;

/**
 * A university as the upstream API describes it.
 *
 * @param id a stable identifier such as {@code de-tum}
 * @param name the English name
 * @param country the ISO 3166 alpha-2 country code, upper case
 * @param city the city of the main campus
 * @param founded the year of foundation
 */
public record University(String id, String name, String country, String city, int founded) {

  /** Returns a copy with another name. */
  public University withName(String newName) {
    return new University(id, newName, country, city, founded);
  }
}
