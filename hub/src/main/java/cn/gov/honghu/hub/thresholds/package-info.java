/**
 * Criminal thresholds (THRESHOLDS.md "Facts the hub reads" to "Farmland"): the rules file of
 * clauses and flags, each with an id, offence, legal source and a condition in a small condition
 * language ({@link cn.gov.honghu.hub.thresholds.Condition}); the evaluator that says which clauses
 * a case's facts meet; and the ban calendar that derives {@code inBanZone} / {@code inBanPeriod}.
 * Plain Java; ingest wires it.
 */
package cn.gov.honghu.hub.thresholds;
