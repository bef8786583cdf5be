/**
 * Fishing-ban alerts: the index of accepted alerts and their incidents (correlation and escalation
 * come with the alerts feature).
 */
package cn.gov.honghu.hub.alerts;
