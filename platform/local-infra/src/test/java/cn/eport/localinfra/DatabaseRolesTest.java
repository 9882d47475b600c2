package cn.eport.localinfra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database, not a convention, keeps each service out of the others' tables. */
class DatabaseRolesTest {

    private static LocalPostgres postgres;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void aServicesRoleOwnsItsSchemaAndCannotReadAnotherServicesTables() throws SQLException {
        DatabaseRoles.provision(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD, "card_issuance", "cards-secret");
        DatabaseRoles.provision(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD, "tax_check", "tax-secret");
        try (Connection cards = connect("card_issuance", "cards-secret"); Statement sql = cards.createStatement()) {
            sql.execute("CREATE TABLE card_issuance.card_sets (application_id uuid PRIMARY KEY)");
            sql.execute("INSERT INTO card_issuance.card_sets VALUES (gen_random_uuid())");
        }
        try (Connection tax = connect("tax_check", "tax-secret"); Statement sql = tax.createStatement()) {
            assertThatThrownBy(() -> sql.executeQuery("SELECT * FROM card_issuance.card_sets"))
                    .hasMessageContaining("permission denied for schema card_issuance");
            assertThatThrownBy(() -> sql.execute("CREATE TABLE public.leak (x int)")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> sql.execute("ALTER ROLE tax_check SUPERUSER")).hasMessageContaining("permission denied");
            sql.execute("CREATE TABLE tax_check.checks (id int)");
        }
        assertThatThrownBy(() -> connect("tax_check", "cards-secret")).hasMessageContaining("password authentication failed");
    }

    @Test
    void aSchemaAnEarlierVersionCreatedAsTheSuperuserIsHandedOverWithItsTables() throws SQLException {
        try (Connection superuser = connect(LocalPostgres.USER, LocalPostgres.PASSWORD); Statement sql = superuser.createStatement()) {
            sql.execute("CREATE SCHEMA intake");
            sql.execute("CREATE TABLE intake.applications (id bigserial PRIMARY KEY, slip text)");
            sql.execute("CREATE SEQUENCE intake.slip_numbers");
            sql.execute("CREATE VIEW intake.slips AS SELECT slip FROM intake.applications");
        }

        DatabaseRoles.provision(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD, "intake", "intake-secret");
        DatabaseRoles.provision(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD, "intake", "intake-secret-2");

        try (Connection intake = connect("intake", "intake-secret-2"); Statement sql = intake.createStatement()) {
            sql.execute("INSERT INTO intake.applications (slip) VALUES ('YY2026000000011')");
            sql.execute("ALTER TABLE intake.applications ADD COLUMN revision int");
            try (ResultSet next = sql.executeQuery("SELECT nextval('intake.slip_numbers')")) {
                assertThat(next.next()).isTrue();
            }
            try (ResultSet slips = sql.executeQuery("SELECT count(*) FROM intake.slips")) {
                assertThat(slips.next()).isTrue();
                assertThat(slips.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aNameThatIsNoSchemaNameIsRefusedBeforeAnySqlRuns() {
        assertThatThrownBy(() -> DatabaseRoles.provision(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD,
                "tax; DROP ROLE eport", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), user, password);
    }
}
