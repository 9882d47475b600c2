package cn.eport.evidence.verifier;

/**
 * One result of the verifier: something that holds, something that fails (a problem), or a warning
 * that is not a problem but limits what the result proves.
 *
 * @param status  HOLDS, FAILS or WARN
 * @param service the part of the bundle it is about ({@code tax-check}), or {@code bundle}
 * @param seq     the sequence number of the entry or seal it is about, or null for the whole part
 * @param message what holds or what is wrong, in plain words; for an entry or a seal it starts with
 *                {@code entry N (type on topic)} or {@code seal at N}
 */
public record Finding(Status status, String service, Long seq, String message) {

    public enum Status {
        HOLDS,
        FAILS,
        WARN
    }

    /** The line the verifier prints: {@code FAILS  tax-check entry 18 (...): ...}. */
    public String line() {
        return String.format("%-5s  %s%s%s", status, Text.printable(service), seq == null ? ": " : " ", Text.printable(message));
    }

    @Override
    public String toString() {
        return line();
    }
}
