/**
 * The statutory deadlines of THRESHOLDS.md: which message opens and closes each, and who owes it.
 */
package cn.gov.honghu.hub.deadlines;
