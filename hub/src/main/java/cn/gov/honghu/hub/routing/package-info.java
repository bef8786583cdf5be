/**
 * Routing by the rules file (HUB-SPEC section 5): who may send what, recipients, and the case rules
 * that refuse with 422.
 */
package cn.gov.honghu.hub.routing;
