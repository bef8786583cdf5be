/**
 * The accepting transaction: message, receipt, deliveries, case index, outbox and events committed
 * together before the 202.
 */
package cn.gov.honghu.hub.store;
