/**
 * Criminal thresholds (THRESHOLDS.md "Facts the hub reads" to "Farmland") and the assessment that
 * applies them before routing: the rules file of clauses and flags, each with an id, offence, legal
 * source and a condition in a small condition language ({@link
 * cn.gov.honghu.hub.thresholds.Condition}); the evaluator that says which clauses a case's facts
 * meet; the ban calendar that derives {@code inBanZone} / {@code inBanPeriod}; and the {@link
 * cn.gov.honghu.hub.thresholds.CaseAssessor} that reads a message's facts and citations with the
 * party history.
 */
package cn.gov.honghu.hub.thresholds;
