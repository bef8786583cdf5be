/** The case timeline of HUB-SPEC section 3: a case's messages, hub events and deadlines. */
package cn.gov.honghu.hub.timeline;
