package cn.eport.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The development keys of the sandbox and the tests, as the configuration properties a service
 * needs: the JWT public key that {@link DevTokens} signs for, every agency's public verdict key, and
 * for an agency service its private verdict key. Their private halves are in this repository:
 * never give them to a deployment.
 */
public final class DevKeys {

    private static final List<String> AGENCIES = List.of("quality", "commerce", "tax", "trade", "forex", "customs");
    private static final Properties KEYS = load();

    private DevKeys() {
    }

    /** The properties that make service {@code service} trust and (for an agency) sign with the development keys. */
    public static Map<String, String> propertiesFor(String service) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.security.oauth2.resourceserver.jwt.public-key-location", "classpath:eport/dev-jwt-public.pem");
        for (String agency : AGENCIES) {
            properties.put("eport.signing.public-keys." + agency, KEYS.getProperty("signing." + agency + ".public"));
            if (service.equals(agency + "-check")) {
                properties.put("eport.signing.private-key", KEYS.getProperty("signing." + agency + ".private"));
            }
        }
        return properties;
    }

    /** The development private key of an agency, by its lower-case id. */
    public static String privateKeyOf(String agency) {
        return KEYS.getProperty("signing." + agency + ".private");
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
