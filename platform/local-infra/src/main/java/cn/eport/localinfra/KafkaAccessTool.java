package cn.eport.localinfra;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a broker that someone else runs (docker-compose's) for the joint review, as its super user:
 * every principal of {@link KafkaAccess} with its password and rights, and the topics. Idempotent, so
 * it runs before the services on every {@code docker compose up}.
 *
 * <pre>EPORT_KAFKA_BOOTSTRAP_SERVERS=kafka:9092 EPORT_KAFKA_ADMIN_PASSWORD=... EPORT_KAFKA_PASSWORD_TAX_CHECK=... \
 * java -cp ... cn.eport.localinfra.KafkaAccessTool</pre>
 *
 * The super user logs in with PLAIN ({@code EPORT_KAFKA_ADMIN_MECHANISM}, default PLAIN): a broker
 * configured from files knows it from its JAAS configuration, before any SCRAM user exists. Each
 * principal's password is in {@code EPORT_KAFKA_PASSWORD_<NAME>}, the name in upper case with - as _.
 */
public final class KafkaAccessTool {

    private static final Logger log = LoggerFactory.getLogger(KafkaAccessTool.class);

    private KafkaAccessTool() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(KafkaAccess.ADMIN, required(environment, "EPORT_KAFKA_ADMIN_PASSWORD"));
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            passwords.put(principal.name(), required(environment, passwordVariable(principal.name())));
        }
        KafkaCredentials credentials = KafkaCredentials.of(passwords);
        String mechanism = environment.getOrDefault("EPORT_KAFKA_ADMIN_MECHANISM", "PLAIN");
        Map<String, Object> admin = new LinkedHashMap<>();
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, required(environment, "EPORT_KAFKA_BOOTSTRAP_SERVERS"));
        admin.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, environment.getOrDefault("EPORT_KAFKA_SECURITY_PROTOCOL",
                KafkaCredentials.SECURITY_PROTOCOL));
        admin.put(SaslConfigs.SASL_MECHANISM, mechanism);
        admin.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaCredentials.jaas(mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule", KafkaAccess.ADMIN, credentials.password(KafkaAccess.ADMIN)));
        try (Admin client = Admin.create(admin)) {
            KafkaAccess.apply(client, credentials);
            EportTopics.create(client, Integer.parseInt(environment.getOrDefault("EPORT_KAFKA_PARTITIONS",
                    String.valueOf(LocalKafka.PARTITIONS))));
        }
        log.info("{} principals have their passwords and rights, and the topics exist", KafkaAccess.principals().size());
    }

    /** The environment variable that holds {@code principal}'s password. */
    public static String passwordVariable(String principal) {
        return "EPORT_KAFKA_PASSWORD_" + principal.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
