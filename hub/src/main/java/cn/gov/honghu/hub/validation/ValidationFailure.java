package cn.gov.honghu.hub.validation;

import cn.gov.honghu.hub.web.ProblemException;
import java.util.List;
import java.util.Map;

/** A 400 that lists every violation at once, each with the JSON Pointer of its field. */
public final class ValidationFailure {

  private ValidationFailure() {}

  public static ProblemException of(String detail, List<Violation> violations) {
    return new ProblemException(400, "invalid-message", "Invalid message", detail)
        .with(
            "errors",
            violations.stream()
                .map(v -> Map.of("pointer", v.pointer(), "detail", v.detail()))
                .toList());
  }
}
