package cn.eport.evidence.verifier;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * One signer's published key history, as served at {@code GET /eport/keys/{signer}}; a trust file is a
 * JSON array of these.
 *
 * @param agency the signer: an agency's id ({@code tax}) or a service's name ({@code intake})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyDocument(String agency, List<PublishedKey> keys) {

    /** A key as published: the JWK members of an Ed25519 public key (RFC 8037), its X.509 encoding, and when it may sign. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PublishedKey(String kid, String kty, String crv, String use, String x, String x509, Instant validFrom,
            Instant validUntil, Instant revokedFrom) {
    }
}
