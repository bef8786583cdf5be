/**
 * The audit chain (HUB-SPEC section 11): the append-only, hash-chained log of every lifecycle
 * event, admin decision, personal-data read and failed authentication; its head signed into a file
 * outside the database; its listing and verification for auditors.
 */
package cn.gov.honghu.hub.audit;
