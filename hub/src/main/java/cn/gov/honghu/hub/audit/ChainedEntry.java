package cn.gov.honghu.hub.audit;

import java.time.Instant;

/** An entry of the chain as stored and as {@code GET /admin/v1/audit} shows it. */
public record ChainedEntry(
    long seq,
    Instant at,
    String kind,
    String actor,
    String messageId,
    String caseNumber,
    String agency,
    String detail,
    String prevHash,
    String hash) {}
