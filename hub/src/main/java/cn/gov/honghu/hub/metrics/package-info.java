/**
 * Operational metrics (HUB-SPEC sections 9 and 10): ingest outcomes and latency per agency and
 * type, delivery backlog and outbox lag per scrape. Tag values come from the hub's own vocabulary
 * (agency codes, message type names, outcomes, HTTP statuses), never from a payload.
 */
package cn.gov.honghu.hub.metrics;
