package cn.eport.testsupport;

import cn.eport.contracts.Agency;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Bearer tokens signed with the development key whose public half every service trusts by default
 * ({@code classpath:eport/dev-jwt-public.pem}). The development identity provider of tests and the
 * sandbox; a deployment points the services at its real identity provider's keys instead.
 */
public final class DevTokens {

    private static final NimbusJwtEncoder ENCODER = encoder();

    private DevTokens() {
    }

    public static String applicant(String enterpriseAccount) {
        return token(enterpriseAccount, List.of("APPLICANT"), null);
    }

    public static String clerk(String staffId) {
        return token(staffId, List.of("CLERK"), null);
    }

    /** A reviewer of one agency, by its lower-case id ({@code tax}). */
    public static String reviewer(String staffId, String agency) {
        return token(staffId, List.of("REVIEWER"), agency);
    }

    public static String telecom(String staffId) {
        return token(staffId, List.of("TELECOM"), null);
    }

    public static String ops(String staffId) {
        return token(staffId, List.of("OPS"), null);
    }

    /** An integrator's system, as the liaison office registered it at the identity provider. */
    public static String integrator(String clientId) {
        return token(clientId, List.of("INTEGRATOR"), null);
    }

    /**
     * The lines a local system prints so that a person can paste them into a shell: one token for
     * each role, and one reviewer per agency ({@code export REVIEWER_TAX=...}).
     */
    public static String exportLines() {
        StringBuilder lines = new StringBuilder("  Development tokens (valid 12 h; export the ones you need):")
                .append("\n    export APPLICANT=").append(applicant("enterprise-0001"))
                .append("\n    export CLERK=").append(clerk("clerk-0001"))
                .append("\n    export TELECOM=").append(telecom("telecom-0001"))
                .append("\n    export OPS=").append(ops("ops-0001"))
                .append("\n    export INTEGRATOR=").append(integrator("integrator-erp-01"));
        for (Agency agency : Agency.values()) {
            lines.append("\n    export REVIEWER_").append(agency.name()).append('=')
                    .append(reviewer("reviewer-" + agency.id() + "-01", agency.id()));
        }
        return lines.toString();
    }

    public static String token(String subject, List<String> roles, String agency) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer("eport-dev")
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(12)))
                .claim("roles", roles);
        if (agency != null) {
            claims.claim("agency", agency);
        }
        return ENCODER.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims.build()))
                .getTokenValue();
    }

    private static NimbusJwtEncoder encoder() {
        try (InputStream pem = DevTokens.class.getResourceAsStream("/eport/dev-jwt-private.pem")) {
            String base64 = new String(pem.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateKey privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            java.security.interfaces.RSAPrivateCrtKey crt = (java.security.interfaces.RSAPrivateCrtKey) privateKey;
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            RSAKey key = new RSAKey.Builder(publicKey).privateKey(privateKey).build();
            return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the development JWT key cannot be read", e);
        }
    }
}
