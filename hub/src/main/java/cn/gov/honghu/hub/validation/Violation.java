package cn.gov.honghu.hub.validation;

/**
 * One reason a message was refused with 400.
 *
 * @param pointer the RFC 6901 JSON Pointer of the offending field; for a missing field, the pointer
 *     it would have (e.g. {@code /payload/transferNo})
 * @param detail the rule that failed, never the offending value (values may be personal data)
 */
public record Violation(String pointer, String detail) {}
