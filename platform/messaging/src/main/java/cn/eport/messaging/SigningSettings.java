package cn.eport.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that make an event its writer's own (the government-affairs IC card of the seed, as
 * software). Ed25519, Base64: private keys PKCS#8, public keys X.509 SubjectPublicKeyInfo.
 *
 * @param privateKey the signing key of this service: an agency's signs its verdicts, intake's and
 *                   telecom's sign their records ({@link RecordSignatures}); other services have none
 * @param publicKeys every signer's public key by name: the six agencies' ids, {@code intake} and {@code telecom}
 * @param keyHistory an agency's verdict keys over time, by agency id: where an agency has one, it replaces
 *                   that agency's entry in {@code publicKeys}, so that verdicts signed before a rotation
 *                   still verify and a revoked key signs nothing after its revocation
 */
@ConfigurationProperties("eport.signing")
public record SigningSettings(@Nullable String privateKey, Map<String, String> publicKeys,
        Map<String, List<HistoricKey>> keyHistory) {

    @ConstructorBinding
    public SigningSettings(@Nullable String privateKey, @DefaultValue Map<String, String> publicKeys,
            @DefaultValue Map<String, List<HistoricKey>> keyHistory) {
        this.privateKey = privateKey;
        this.publicKeys = Map.copyOf(publicKeys);
        this.keyHistory = Map.copyOf(keyHistory);
    }

    /** With no key history: each agency's one public key is valid for all time. */
    public SigningSettings(@Nullable String privateKey, Map<String, String> publicKeys) {
        this(privateKey, publicKeys, Map.of());
    }

    /**
     * One of an agency's verdict keys and when it may have signed: a verdict counts when its decision
     * time ({@code decidedAt}) falls in [{@code validFrom}, {@code validUntil}) and before {@code revokedFrom}.
     *
     * @param key         the public key (X.509, Base64)
     * @param validFrom   from when it signs
     * @param validUntil  until when, exclusive; none: until further notice
     * @param revokedFrom from when nothing it signed counts, though what it signed before still does
     *                    (the key was lost or stolen then); none: never revoked
     */
    public record HistoricKey(String key, Instant validFrom, @Nullable Instant validUntil, @Nullable Instant revokedFrom) {
    }
}
