/**
 * The durable record: the accepting transaction (message, receipt, deliveries, case index, outbox
 * and events committed together before the 202) and the append-only lifecycle event log that the
 * timeline, statistics and audit chain read.
 */
package cn.gov.honghu.hub.store;
