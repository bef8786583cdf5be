package cn.gov.honghu.hub.security;

import tools.jackson.core.StreamReadConstraints;

/**
 * The JSON parser limits of every endpoint (HUB-SPEC section 11): nesting, number and string
 * lengths. Jackson takes them as process-wide defaults, read when a parser factory is built, so
 * they are set once before the application context creates its mappers. The body limits bound the
 * rest (document length, token count).
 */
public final class JsonReadLimits {

  /** As deep as ingest's envelope check allows; real messages nest 4 levels. */
  static final int MAX_NESTING_DEPTH = 64;

  /** Digits of one number: enough for any amount, far from a slow big-number parse. */
  static final int MAX_NUMBER_LENGTH = 100;

  /** One string: above the largest ingest body a deployment would configure. */
  static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

  static final int MAX_NAME_LENGTH = 1000;

  private JsonReadLimits() {}

  public static void applyAsDefaults() {
    StreamReadConstraints.overrideDefaultStreamReadConstraints(
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build());
  }
}
