package cn.eport.testsupport;

import cn.eport.contracts.RecordSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The development keys of the sandbox and the tests, as the configuration properties a service
 * needs: the JWT public key that {@link DevTokens} signs for, every signer's public key, and for an
 * agency service, intake, telecom and card issuance their private signing key. Their private halves are in this repository:
 * never give them to a deployment.
 */
public final class DevKeys {

    private static final List<String> AGENCIES = List.of("quality", "commerce", "tax", "trade", "forex", "customs");
    /** The services with a key of their own besides the agencies: intake and telecom sign their records, all three seal their decision logs. */
    public static final List<String> SERVICE_SIGNERS = List.of("intake", "telecom", "card-issuance");
    private static final Properties KEYS = load();

    private DevKeys() {
    }

    /** The properties that make service {@code service} trust and (for an agency) sign with the development keys. */
    public static Map<String, String> propertiesFor(String service) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.security.oauth2.resourceserver.jwt.public-key-location", "classpath:eport/dev-jwt-public.pem");
        for (String agency : AGENCIES) {
            properties.put("eport.signing.public-keys." + agency, publicKeyOf(agency));
            if (service.equals(agency + "-check")) {
                properties.put("eport.signing.private-key", privateKeyOf(agency));
            }
        }
        for (String signer : SERVICE_SIGNERS) {
            properties.put("eport.signing.public-keys." + signer, publicKeyOf(signer));
            if (service.equals(signer)) {
                properties.put("eport.signing.private-key", privateKeyOf(signer));
            }
        }
        return properties;
    }

    /** The development private key of a signer: an agency by its lower-case id, {@code intake}, {@code telecom} or {@code card-issuance}. */
    public static String privateKeyOf(String signer) {
        return KEYS.getProperty("signing." + signer + ".private");
    }

    /** The development public key of a signer, named as for {@link #privateKeyOf}. */
    public static String publicKeyOf(String signer) {
        return KEYS.getProperty("signing." + signer + ".public");
    }

    /**
     * {@code headers} signed as the writer of {@code topic} signs them, where that topic's records are
     * signed ({@link RecordSignature#signerOf}); else {@code headers} as they are.
     */
    public static Map<String, String> signedAsTopicWriter(String topic, String key, Map<String, String> headers, byte[] value) {
        return RecordSignature.signerOf(topic).map(signer -> signedRecordHeaders(signer, topic, key, headers, value)).orElse(headers);
    }

    /**
     * {@code headers} with the development signature of {@code signer} over the record, as intake or
     * telecom would sign it: for tests and tools that publish on their topics by hand.
     */
    public static Map<String, String> signedRecordHeaders(String signer, String topic, String key, Map<String, String> headers,
            byte[] value) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKeyOf(signer)))));
            ed25519.update(RecordSignature.signedMessage(topic, key, headers, value));
            Map<String, String> signed = new LinkedHashMap<>(headers);
            signed.put(RecordSignature.HEADER, Base64.getEncoder().encodeToString(ed25519.sign()));
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign as " + signer, e);
        }
    }

    private static Properties load() {
        try (InputStream in = DevKeys.class.getResourceAsStream("/eport/dev-keys.properties")) {
            Properties keys = new Properties();
            keys.load(in);
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
