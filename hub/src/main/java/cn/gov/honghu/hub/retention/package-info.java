/**
 * Retention (HUB-SPEC section 11): the nightly job that purges finished deliveries with their
 * attempts, bounds the lifecycle events the same way, and removes personal data from the envelopes
 * of cases that ended long ago; one instance at a time, in small transactions.
 */
package cn.gov.honghu.hub.retention;
