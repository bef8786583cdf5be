/**
 * Legal citations (THRESHOLDS.md "Legal citations", HUB-SPEC section 5.1 {@code legalBasis[]}): the
 * registry of laws and their revisions, and the check that flags outdated or unchecked citations.
 * Plain Java; ingest wires it.
 */
package cn.gov.honghu.hub.legal;
