/** The escalation of fishing-ban incidents nobody acknowledged in time (HUB-SPEC section 8). */
package cn.gov.honghu.hub.escalation;
