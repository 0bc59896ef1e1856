package dev.readthrough.sample;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /metrics} answers: every meter of the registry whose name starts with one of the
 * given prefixes, with its tags and its current measurements, sorted by name and tags.
 */
final class MeterSnapshot {

  /** One meter: its name, type, tags and each statistic it measures (count, total time, ...). */
  record Row(String name, String type, Map<String, String> tags, Map<String, Double> values) {}

  private MeterSnapshot() {}

  static List<Row> of(MeterRegistry registry, String... prefixes) {
    List<Row> rows = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      if (!matches(id.getName(), prefixes)) {
        continue;
      }
      Map<String, String> tags = new TreeMap<>();
      for (Tag tag : id.getTags()) {
        tags.put(tag.getKey(), tag.getValue());
      }
      Map<String, Double> values = new LinkedHashMap<>();
      for (Measurement measurement : meter.measure()) {
        values.put(measurement.getStatistic().getTagValueRepresentation(), measurement.getValue());
      }
      rows.add(new Row(id.getName(), id.getType().name().toLowerCase(Locale.ROOT), tags, values));
    }
    rows.sort(Comparator.comparing(Row::name).thenComparing(row -> row.tags().toString()));
    return rows;
  }

  private static boolean matches(String name, String[] prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
