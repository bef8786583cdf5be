package cn.gov.honghu.hub.yaml;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.InputStream;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the rules file with Jackson and binds its sections into records checked by Bean Validation.
 * A problem becomes an {@link IllegalArgumentException} whose message locates it like {@code
 * routes[0] (T1).copy: unknown field 'colour'}: list entries are named by their {@code id}.
 */
public final class RulesYaml {

  /**
   * Exact decimals (an amount is never a binary double), repeated keys refused, unknown fields
   * refused, a single name accepted where a list is expected, a flag the file leaves out is false.
   */
  public static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

  private RulesYaml() {}

  /** Parses a YAML document; {@code prefix} starts the message of a syntax error. */
  public static JsonNode read(InputStream in, String prefix) {
    try (in) {
      return MAPPER.readTree(in);
    } catch (JacksonException e) {
      // A syntax error, a repeated key or a number that is no decimal (.inf): only the line says
      // where, as the document has no entries yet.
      String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new IllegalArgumentException(
          prefix + "not valid YAML" + line + ": " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(prefix + "cannot be read: " + e.getMessage(), e);
    }
  }

  /** The document as plain maps and lists (exact decimals), e.g. for an admin view. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> plain(JsonNode document) {
    return MAPPER.convertValue(document, Map.class);
  }

  /**
   * Binds {@code node} into {@code type} and checks its constraints; {@code prefix} starts every
   * error message (the file's name).
   */
  public static <T> T bind(JsonNode node, Class<T> type, String prefix) {
    T value;
    try {
      value = MAPPER.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      List<Object> steps = steps(e);
      steps.remove(steps.size() - 1);
      throw fail(prefix, node, steps, "unknown field '" + e.getPropertyName() + "'");
    } catch (MismatchedInputException e) {
      throw fail(prefix, node, steps(e), "is not " + kind(e.getTargetType()));
    }
    Validator validator = VALIDATION.getValidator();
    Set<ConstraintViolation<T>> violations = validator.validate(value);
    violations.stream()
        .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
        .ifPresent(
            v -> {
              throw fail(prefix, node, steps(v.getPropertyPath()), v.getMessage());
            });
    return value;
  }

  /**
   * Where an entry is: {@code section[index]}, with {@code (id)} when the entry has one. For the
   * checks a loader makes itself after binding.
   */
  public static String entry(String section, int index, String id) {
    return section + "[" + index + "]" + (id == null || id.isBlank() ? "" : " (" + id + ")");
  }

  private static IllegalArgumentException fail(
      String prefix, JsonNode root, List<Object> steps, String problem) {
    // "a.b[0] (X).c is not ..." reads as "a.b[0] (X): c is not ...": the entry, then its field.
    String leaf = "";
    if (!steps.isEmpty() && steps.get(steps.size() - 1) instanceof String name) {
      leaf = name + " ";
      steps = steps.subList(0, steps.size() - 1);
    }
    String at = locate(root, steps);
    return new IllegalArgumentException(prefix + (at.isEmpty() ? "" : at + ": ") + leaf + problem);
  }

  /** The path as text, walking the document to name each list entry by its id. */
  private static String locate(JsonNode root, List<Object> steps) {
    StringBuilder at = new StringBuilder();
    JsonNode node = root;
    for (Object step : steps) {
      if (step instanceof Integer index) {
        node = node.path(index);
        at.append('[').append(index).append(']');
        String id = node.path("id").asString("");
        if (!id.isBlank()) {
          at.append(" (").append(id).append(')');
        }
      } else {
        node = node.path((String) step);
        at.append(at.isEmpty() ? "" : ".").append(step);
      }
    }
    return at.toString();
  }

  private static List<Object> steps(JacksonException e) {
    List<Object> steps = new ArrayList<>();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        steps.add(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        steps.add(reference.getIndex());
      }
    }
    return steps;
  }

  private static List<Object> steps(Path path) {
    List<Object> steps = new ArrayList<>();
    for (Path.Node node : path) {
      if (node.getIndex() != null) {
        steps.add(node.getIndex());
      }
      if (node.getKind() == ElementKind.PROPERTY) {
        steps.add(node.getName());
      }
    }
    return steps;
  }

  /** What the file should have written, for a value of the wrong type. */
  private static String kind(Class<?> type) {
    if (type == null) {
      return "of the expected type";
    } else if (Temporal.class.isAssignableFrom(type)) {
      return "a date (yyyy-MM-dd)";
    } else if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    } else if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    } else if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    } else if (type == String.class) {
      return "text";
    }
    return "a mapping";
  }
}
