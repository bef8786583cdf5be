package cn.gov.honghu.hub.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * An ISO-8601 timestamp at most {@code minutes} ahead of the validator's clock (the allowed clock
 * skew of a sender). An unparsable value is left to the schema's format check.
 */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NotFarAhead.Validator.class)
@interface NotFarAhead {
  String message() default "must not be more than {minutes} minutes in the future";

  int minutes();

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<NotFarAhead, String> {
    private Duration allowance;

    @Override
    public void initialize(NotFarAhead annotation) {
      allowance = Duration.ofMinutes(annotation.minutes());
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      try {
        OffsetDateTime at = OffsetDateTime.parse(value);
        var now = context.getClockProvider().getClock().instant();
        return !at.toInstant().isAfter(now.plus(allowance));
      } catch (DateTimeParseException e) {
        return true;
      }
    }
  }
}
