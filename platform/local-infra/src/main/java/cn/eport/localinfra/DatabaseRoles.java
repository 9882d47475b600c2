package cn.eport.localinfra;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One PostgreSQL role per service, which owns that service's schema and nothing else: a service
 * connects and runs its migrations as its role, and another service's tables are closed to it by
 * the database, not by convention. The role is named after the schema ({@code tax_check}).
 *
 * <p>{@link #provision} runs as a superuser (the database's owner, {@value LocalPostgres#USER} here).
 * It is idempotent, and hands a schema that an earlier version created as the superuser, with its
 * tables, over to the role.
 */
public final class DatabaseRoles {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatabaseRoles() {
    }

    /** The schema, and so the role, of a service of the joint review: its name with - as _. */
    public static String schemaOf(String service) {
        return service.replace('-', '_');
    }

    /** As {@link #provision(Connection, String, String)}, connecting as the superuser {@code user}. */
    public static void provision(String jdbcUrl, String user, String password, String schema, String rolePassword) {
        provisionAll(jdbcUrl, user, password, Map.of(schema, rolePassword));
    }

    /** Each schema of {@code passwords} with its role and that role's password, over one connection as {@code user}. */
    public static void provisionAll(String jdbcUrl, String user, String password, Map<String, String> passwords) {
        try (Connection superuser = DriverManager.getConnection(jdbcUrl, user, password)) {
            for (Map.Entry<String, String> role : passwords.entrySet()) {
                provision(superuser, role.getKey(), role.getValue());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not give schemas " + passwords.keySet() + " roles of their own at " + jdbcUrl, e);
        }
    }

    /** Creates or updates the role {@code schema} with {@code password}, owning schema {@code schema} and all in it. */
    public static void provision(Connection superuser, String schema, String password) throws SQLException {
        if (!NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a schema name for a role of its own: " + schema);
        }
        boolean autoCommit = superuser.getAutoCommit();
        superuser.setAutoCommit(false);
        try (Statement sql = superuser.createStatement()) {
            // Several services may provision at once (the sandbox starts them side by side).
            sql.execute("SELECT pg_advisory_xact_lock(hashtext('eport-database-roles'))");
            boolean exists;
            try (ResultSet role = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + schema + "'")) {
                exists = role.next();
            }
            if (!exists) {
                sql.execute("CREATE ROLE " + schema);
            }
            sql.execute("ALTER ROLE " + schema + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD "
                    + literal(password));
            sql.execute("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + schema);
            sql.execute("ALTER SCHEMA " + schema + " OWNER TO " + schema);
            for (String owned : notOwnedBy(superuser, schema)) {
                sql.execute("ALTER " + owned + " OWNER TO " + schema);
            }
            // Nobody creates anything outside their own schema (PostgreSQL 15 and later revoke it already).
            sql.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            superuser.commit();
        } catch (SQLException | RuntimeException e) {
            superuser.rollback();
            throw e;
        } finally {
            superuser.setAutoCommit(autoCommit);
        }
    }

    /** The tables, sequences and views in {@code schema} that another role owns, as "TABLE schema.name". */
    private static List<String> notOwnedBy(Connection superuser, String schema) throws SQLException {
        List<String> owned = new ArrayList<>();
        try (PreparedStatement query = superuser.prepareStatement("""
                SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND pg_get_userbyid(c.relowner) <> ? AND c.relkind IN ('r', 'p', 'v', 'm')
                """)) {
            query.setString(1, schema);
            query.setString(2, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String kind = switch (rows.getString(1)) {
                        case "v" -> "VIEW";
                        case "m" -> "MATERIALIZED VIEW";
                        default -> "TABLE";
                    };
                    owned.add(kind + " " + schema + ".\"" + rows.getString(2).replace("\"", "\"\"") + "\"");
                }
            }
        }
        // A table's own sequences (serial, identity) follow it; free-standing ones are handed over too.
        try (PreparedStatement query = superuser.prepareStatement("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND pg_get_userbyid(c.relowner) <> ? AND c.relkind = 'S'
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
                """)) {
            query.setString(1, schema);
            query.setString(2, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    owned.add("SEQUENCE " + schema + ".\"" + rows.getString(1).replace("\"", "\"\"") + "\"");
                }
            }
        }
        return owned;
    }

    /** A fresh random password for a role. */
    public static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
