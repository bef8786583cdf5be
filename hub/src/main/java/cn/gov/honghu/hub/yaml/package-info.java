/**
 * Reading the rules file's YAML: Jackson binds each section into records, Bean Validation checks
 * them, and errors name the entry. Shared by the feature packages that own a section.
 */
package cn.gov.honghu.hub.yaml;
