/**
 * Validation: envelope and JSON syntax, the JSON Schemas of the schemas module, and bean
 * constraints (check digits, clock skew).
 */
package cn.gov.honghu.hub.validation;
