package cn.gov.honghu.hub.config;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Set;

/**
 * {@code toString()} of a configuration record without its secrets. Spring prints bound records
 * (failure analysis, debug logs); a secret component shows only whether it is set, so a printed
 * configuration never carries a password, webhook secret or key.
 */
final class Redacted {

  private Redacted() {}

  static String toString(Record record, String... secretComponents) {
    Set<String> secrets = Set.of(secretComponents);
    StringBuilder text = new StringBuilder(record.getClass().getSimpleName()).append('[');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      Object value;
      try {
        value = components[i].getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        value = "?";
      }
      text.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=');
      text.append(secrets.contains(components[i].getName()) ? mask(value) : value);
    }
    return text.append(']').toString();
  }

  private static String mask(Object value) {
    if (value == null || (value instanceof String s && s.isEmpty())) {
      return "(none)";
    }
    if (value instanceof Collection<?> values) {
      return "(" + values.size() + " set)";
    }
    return "(set)";
  }
}
