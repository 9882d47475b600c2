package cn.eport.messaging;

import cn.eport.contracts.Agency;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys that make a verdict an agency's own (the government-affairs IC card of the seed, as
 * software). Ed25519, Base64: private keys PKCS#8, public keys X.509 SubjectPublicKeyInfo.
 *
 * @param privateKey the signing key of the agency this service speaks for; only agency services have one
 * @param publicKeys every agency's public key, for services that read verdicts
 */
@ConfigurationProperties("eport.signing")
public record SigningSettings(@Nullable String privateKey, @DefaultValue Map<Agency, String> publicKeys) {
}
