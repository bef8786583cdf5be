/**
 * The shared message model every stage reads: types, the submission on its way, receipts,
 * case-number keys, and the messages the hub sends itself.
 */
package cn.gov.honghu.hub.message;
