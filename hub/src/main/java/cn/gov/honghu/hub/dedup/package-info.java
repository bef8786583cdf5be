/**
 * Deduplication (HUB-SPEC section 6): canonical JSON fingerprints, duplicate and conflict answers;
 * unique keys in the database decide races.
 */
package cn.gov.honghu.hub.dedup;
