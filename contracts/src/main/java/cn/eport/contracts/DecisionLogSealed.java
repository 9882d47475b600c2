package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A service sealed one lane of its decision log ({@link DecisionLog}): that lane's head at {@code seq} was {@code headHash}
 * at {@code sealedAt}, signed by its key {@code keyId}. Written by each deciding service to
 * {@link Topics#seals}, at least once a seal interval, so that a head is witnessed outside the
 * service's database and the dashboard sees whose seals stopped. Hashes, signature and token Base64.
 *
 * @param timestampToken the DER of the RFC 3161 token over SHA-256 of the sealed message, where the
 *                       service has a time-stamping authority
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionLogSealed(String service, int lane, long seq, String headHash, Instant sealedAt, String keyId, String signature,
        String timestampToken) {

    /** Its CloudEvents type. */
    public static final String TYPE = "cn.eport.decision-log.sealed.v1";
}
