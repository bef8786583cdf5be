/**
 * Fishing-ban alerts: the index of accepted alerts and their incidents (correlation), the incident
 * views, and the escalation of incidents nobody acknowledged in time (HUB-SPEC section 8).
 */
package cn.gov.honghu.hub.alerts;
