/**
 * The ingest flow: the HTTP front, the Camel routes of the message path in check order, and the
 * hub's one error policy.
 */
package cn.gov.honghu.hub.ingest;
