/**
 * The shared message model every stage reads: types, the submission on its way, receipts,
 * case-number keys, problem refusals.
 */
package cn.gov.honghu.hub.message;
