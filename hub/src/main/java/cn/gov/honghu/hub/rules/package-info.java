/**
 * The hub's one rules file: routing rows, criminal thresholds, the law registry and the deadline
 * definitions, loaded and checked together at start and served to admins.
 */
package cn.gov.honghu.hub.rules;
