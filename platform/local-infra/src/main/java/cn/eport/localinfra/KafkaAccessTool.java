package cn.eport.localinfra;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
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
 * The super user logs in with PLAIN: a broker configured from files knows it from its JAAS
 * configuration, before any SCRAM user exists. Each
 * principal's password is in {@code EPORT_KAFKA_PASSWORD_<NAME>}, the name in upper case with - as _.
 */
public final class KafkaAccessTool {

    private static final Logger log = LoggerFactory.getLogger(KafkaAccessTool.class);

    private KafkaAccessTool() {
    }

    public static void main(String[] args) {
        ToolEnvironment environment = new ToolEnvironment(System.getenv());
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(KafkaAccess.ADMIN, environment.required("EPORT_KAFKA_ADMIN_PASSWORD"));
        for (KafkaAccess.Principal principal : KafkaAccess.principals()) {
            passwords.put(principal.name(), environment.requiredFor("EPORT_KAFKA_PASSWORD_", principal.name()));
        }
        KafkaCredentials credentials = KafkaCredentials.of(passwords);
        Map<String, Object> admin = new HashMap<>(credentials.plainClientProperties(KafkaAccess.ADMIN));
        admin.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, environment.required("EPORT_KAFKA_BOOTSTRAP_SERVERS"));
        admin.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                environment.orDefault("EPORT_KAFKA_SECURITY_PROTOCOL", KafkaCredentials.SECURITY_PROTOCOL));
        try (Admin client = Admin.create(admin)) {
            KafkaAccess.apply(client, credentials);
            EportTopics.create(client, Integer.parseInt(environment.orDefault("EPORT_KAFKA_PARTITIONS",
                    String.valueOf(LocalKafka.PARTITIONS))));
        }
        log.info("{} principals have their passwords and rights, and the topics exist", KafkaAccess.principals().size());
    }
}
