/**
 * Party history across agencies: which penalties the hub has seen for a person or company, keyed by
 * a keyed hash of the identifier, never the identifier itself.
 */
package cn.gov.honghu.hub.parties;
