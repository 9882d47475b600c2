package cn.eport.contracts;

import java.time.Instant;

/**
 * What an agency signs with its Ed25519 key: its verdict on a revision ({@link VerdictIssued}) and its
 * withdrawal of an approval ({@link ApprovalWithdrawn}). A reader counts one only when
 * {@link #signature()} verifies over the UTF-8 of {@link #signedContent()} with a key of
 * {@link #agency()} valid at {@link #decidedAt()}.
 */
public interface SignedVerdict extends ApplicationEvent {

    Agency agency();

    int revision();

    Instant decidedAt();

    String signature();

    /** The exact text that is signed, one field per line; the two kinds differ in their fourth line. */
    String signedContent();
}
