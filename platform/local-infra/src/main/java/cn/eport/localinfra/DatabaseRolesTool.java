package cn.eport.localinfra;

import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each service of a database someone else runs (docker-compose's) its own role, owner of its
 * schema only, as the database's administrator. Idempotent, so it runs before the services on every
 * {@code docker compose up}.
 *
 * <pre>EPORT_DB_URL=jdbc:postgresql://postgres:5432/eport EPORT_DB_ADMIN_USER=eport EPORT_DB_ADMIN_PASSWORD=... \
 * EPORT_DB_PASSWORD_TAX_CHECK=... java -cp ... cn.eport.localinfra.DatabaseRolesTool</pre>
 *
 * Each service's password is in {@code EPORT_DB_PASSWORD_<SERVICE>}, the name in upper case with - as _.
 */
public final class DatabaseRolesTool {

    private static final Logger log = LoggerFactory.getLogger(DatabaseRolesTool.class);

    private DatabaseRolesTool() {
    }

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        String url = required(environment, "EPORT_DB_URL");
        String admin = required(environment, "EPORT_DB_ADMIN_USER");
        String adminPassword = required(environment, "EPORT_DB_ADMIN_PASSWORD");
        for (String service : KafkaAccess.services()) {
            String variable = "EPORT_DB_PASSWORD_" + service.toUpperCase(Locale.ROOT).replace('-', '_');
            DatabaseRoles.provision(url, admin, adminPassword, DatabaseRoles.schemaOf(service), required(environment, variable));
        }
        log.info("{} services have their own database roles", KafkaAccess.services().size());
    }

    private static String required(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
