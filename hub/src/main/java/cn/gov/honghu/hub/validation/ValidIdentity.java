package cn.gov.honghu.hub.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A party's identity number has a valid check digit: a resident ID (the default {@code idType}) per
 * GB 11643, a company's unified social credit code per GB 32100. Passports and permits carry no
 * check digit. The violation names the field, never its value.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidIdentity.Validator.class)
@interface ValidIdentity {
  String message() default "invalid check digit";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  class Validator implements ConstraintValidator<ValidIdentity, TypedMessage.Party> {
    @Override
    public boolean isValid(TypedMessage.Party party, ConstraintValidatorContext context) {
      boolean valid = true;
      context.disableDefaultConstraintViolation();
      boolean residentId = party.idType() == null || "RESIDENT_ID".equals(party.idType());
      if (party.idNumber() != null
          && residentId
          && !CheckDigits.isValidResidentId(party.idNumber())) {
        context
            .buildConstraintViolationWithTemplate(
                "not a valid resident ID number (18 characters with a valid check digit)")
            .addPropertyNode("idNumber")
            .addConstraintViolation();
        valid = false;
      }
      if (party.creditCode() != null && !CheckDigits.isValidCreditCode(party.creditCode())) {
        context
            .buildConstraintViolationWithTemplate(
                "not a valid unified social credit code (18 characters with a valid check digit)")
            .addPropertyNode("creditCode")
            .addConstraintViolation();
        valid = false;
      }
      return valid;
    }
  }
}
