package cn.eport.localinfra;

import java.util.LinkedHashMap;
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
        ToolEnvironment environment = new ToolEnvironment(System.getenv());
        String url = environment.required("EPORT_DB_URL");
        String admin = environment.required("EPORT_DB_ADMIN_USER");
        String adminPassword = environment.required("EPORT_DB_ADMIN_PASSWORD");
        Map<String, String> roles = new LinkedHashMap<>();
        for (String service : KafkaAccess.services()) {
            roles.put(DatabaseRoles.schemaOf(service), environment.requiredFor("EPORT_DB_PASSWORD_", service));
        }
        DatabaseRoles.provisionAll(url, admin, adminPassword, roles);
        log.info("{} services have their own database roles", KafkaAccess.services().size());
    }
}
