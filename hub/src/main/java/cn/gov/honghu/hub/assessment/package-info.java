/**
 * Reads a message's facts and citations before routing: criminal thresholds with the ban calendar
 * and the party history, and legal citations (THRESHOLDS.md).
 */
package cn.gov.honghu.hub.assessment;
