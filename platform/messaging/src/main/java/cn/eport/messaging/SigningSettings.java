package cn.eport.messaging;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that make an event its writer's own (the government-affairs IC card of the seed, as
 * software). Ed25519, Base64: private keys PKCS#8, public keys X.509 SubjectPublicKeyInfo.
 *
 * @param privateKey the signing key of this service: an agency's signs its verdicts, intake's and
 *                   telecom's sign their records ({@link RecordSignatures}); other services have none
 * @param publicKeys every signer's public key by name: the six agencies' ids, {@code intake} and {@code telecom}
 */
@ConfigurationProperties("eport.signing")
public record SigningSettings(@Nullable String privateKey, @DefaultValue Map<String, String> publicKeys) {
}
