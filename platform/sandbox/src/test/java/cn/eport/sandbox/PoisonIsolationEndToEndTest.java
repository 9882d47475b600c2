package cn.eport.sandbox;

import static cn.eport.sandbox.RunningSystem.JSON;
import static cn.eport.sandbox.RunningSystem.PATIENCE;
import static cn.eport.sandbox.RunningSystem.awaitStatus;
import static cn.eport.sandbox.RunningSystem.get;
import static cn.eport.sandbox.RunningSystem.newNetworkCard;
import static cn.eport.sandbox.RunningSystem.post;
import static cn.eport.sandbox.RunningSystem.put;
import static cn.eport.sandbox.RunningSystem.registerAtTelecom;
import static cn.eport.sandbox.RunningSystem.submit;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.TestInfrastructure;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Guarantee 8 on the running system, for every consumer: a schema-valid record whose handling fails
 * again and again (here: each service's own table refuses the application's revision 2, as a bug
 * or bad data would) is quarantined in that service alone; the applications after it complete;
 * the applicant's status says which services could not process it; the dashboard raises the alert;
 * and once the cause is fixed, ops replay each service's quarantine and the application completes.
 */
@ExtendWith(RunningSystem.Extension.class)
class PoisonIsolationEndToEndTest {

    private static final String OPS = DevTokens.ops("ops-e2e-poison");

    /** Each consumer, the schema it owns and a table its handler writes when an application's revision 2 arrives. */
    private record Consumer(String service, String schema, String table, boolean hasRevision) {
    }

    private static final List<Consumer> AGENCIES = List.of(
            new Consumer("quality-check", "quality_check", "checks", true),
            new Consumer("commerce-check", "commerce_check", "checks", true),
            new Consumer("tax-check", "tax_check", "checks", true),
            new Consumer("trade-check", "trade_check", "checks", true),
            new Consumer("forex-check", "forex_check", "checks", true),
            new Consumer("customs-check", "customs_check", "checks", true));
    private static final List<Consumer> OTHERS = List.of(
            new Consumer("card-issuance", "card_issuance", "applications", true),
            new Consumer("telecom", "telecom", "applications", false),
            new Consumer("dashboard", "dashboard", "applications", true));
    /** Intake consumes the verdicts, which only come once the agencies have replayed. */
    private static final Consumer INTAKE = new Consumer("intake", "intake", "verdicts", true);

    @Test
    void aRecordNoHandlerCanProcessIsQuarantinedTheOthersFlowOnAndTheReplayAfterTheFixCompletesIt() throws Exception {
        String applicant = "enterprise-e2e-poison";
        String token = DevTokens.applicant(applicant);
        JsonNode submitted = submit(applicant, withoutBrokerCertificate(SampleForms.valid()));
        String id = submitted.get("applicationId").asString();
        awaitStatus(token, id, "REJECTED");
        awaitRow("telecom.applications", id);
        awaitRow("card_issuance.applications", id);
        awaitRow("dashboard.applications", id);

        List<Consumer> all = new ArrayList<>(AGENCIES);
        all.addAll(OTHERS);
        all.add(INTAKE);
        all.forEach(consumer -> poison(consumer, id));
        try {
            HttpResponse<String> amended = put("intake", "/api/applications/" + id, token, SampleForms.valid());
            assertThat(amended.statusCode()).as(amended.body()).isEqualTo(200);

            // The records behind the poison flow on: other applications complete while it is quarantined.
            for (int i = 0; i < 3; i++) {
                String other = "enterprise-e2e-after-poison-" + i;
                JsonNode next = submit(other, SampleForms.valid());
                awaitStatus(DevTokens.applicant(other), next.get("applicationId").asString(), "APPROVED");
                assertThat(registerAtTelecom(next.get("slipNumber").asString(), "M000100Y4", newNetworkCard()).statusCode())
                        .isEqualTo(201);
                awaitStatus(DevTokens.applicant(other), next.get("applicationId").asString(), "CARDS_ISSUED");
            }

            List<Consumer> firstWave = new ArrayList<>(AGENCIES);
            firstWave.addAll(OTHERS);
            for (Consumer consumer : firstWave) {
                JsonNode entry = awaitQuarantined(consumer.service(), id);
                assertThat(entry.get("reason").asString()).as(consumer.service()).contains("poison test");
                assertThat(entry.get("stackHash").asString()).matches("[0-9a-f]{12}");
            }
            JsonNode status = awaitStatusWhere(token, id, s -> problems(s, true).size() == firstWave.size());
            assertThat(problems(status, true)).containsExactlyInAnyOrderElementsOf(firstWave.stream().map(Consumer::service).toList());
            JsonNode quarantine = dashboardQuarantine();
            assertThat(quarantine.get("alert").asBoolean()).isTrue();
            assertThat(quarantine.get("open").asLong()).isGreaterThanOrEqualTo(firstWave.size());

            // The fix, in the agencies first: their replay publishes the verdicts, which intake (still broken) quarantines.
            AGENCIES.forEach(PoisonIsolationEndToEndTest::cure);
            for (Consumer agency : AGENCIES) {
                assertThat(replay(agency.service()).get("replayed")).as(agency.service()).hasSize(1);
            }
            awaitQuarantined(INTAKE.service(), id);

            List<Consumer> rest = new ArrayList<>(OTHERS);
            rest.add(INTAKE);
            rest.forEach(PoisonIsolationEndToEndTest::cure);
            for (Consumer consumer : rest) {
                assertThat(replay(consumer.service()).get("replayed").size()).as(consumer.service()).isGreaterThanOrEqualTo(1);
            }
        } finally {
            all.forEach(PoisonIsolationEndToEndTest::cure);
        }

        JsonNode approved = awaitStatus(token, id, "APPROVED");
        assertThat(approved.get("revision").asInt()).isEqualTo(2);
        assertThat(registerAtTelecom(submitted.get("slipNumber").asString(), "M000100Y4", newNetworkCard()).statusCode()).isEqualTo(201);
        JsonNode issued = awaitStatus(token, id, "CARDS_ISSUED");
        awaitStatusWhere(token, id, s -> problems(s, true).isEmpty() && !problems(s, false).isEmpty());
        JsonNode timeline = JSON.readTree(get("intake", "/api/applications/" + id + "/timeline", token).body());
        assertThat(timeline.toString()).contains("NOT_PROCESSED", "PROCESSED_AFTER_REPLAY");
        assertThat(issued.get("cards")).isNotNull();
        awaitDashboard(q -> q.get("open").asLong() == 0 && !q.get("alert").asBoolean());
    }

    @Test
    void onlyOpsListAndReplayAQuarantine() throws Exception {
        assertThat(get("tax-check", "/api/quarantine", DevTokens.reviewer("tax-reviewer-01", "tax")).statusCode()).isEqualTo(403);
        assertThat(post("tax-check", "/api/quarantine/replay", DevTokens.applicant("enterprise-e2e-poison"), Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(get("tax-check", "/api/quarantine", null).statusCode()).isEqualTo(401);
        assertThat(get("tax-check", "/api/quarantine", OPS).statusCode()).isEqualTo(200);
    }

    private static void poison(Consumer consumer, String applicationId) {
        String condition = "NEW.application_id = '" + UUID.fromString(applicationId) + "'::uuid" + (consumer.hasRevision() ? " AND NEW.revision = 2" : "");
        sql("CREATE OR REPLACE FUNCTION " + consumer.schema() + ".poison_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "RAISE EXCEPTION 'poison test: % cannot be processed here', NEW.application_id; END $$",
                "DROP TRIGGER IF EXISTS poison_test ON " + consumer.schema() + "." + consumer.table(),
                "CREATE TRIGGER poison_test BEFORE INSERT OR UPDATE ON " + consumer.schema() + "." + consumer.table()
                        + " FOR EACH ROW WHEN (" + condition + ") EXECUTE FUNCTION " + consumer.schema() + ".poison_test()");
    }

    private static void cure(Consumer consumer) {
        sql("DROP TRIGGER IF EXISTS poison_test ON " + consumer.schema() + "." + consumer.table());
    }

    private static void sql(String... statements) {
        TestInfrastructure.Endpoints db = TestInfrastructure.endpoints();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitRow(String table, String applicationId) throws Exception {
        TestInfrastructure.Endpoints db = TestInfrastructure.endpoints();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 var query = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE application_id = ?::uuid")) {
                query.setString(1, applicationId);
                try (var rs = query.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(table + " never saw " + applicationId);
    }

    private static JsonNode awaitQuarantined(String service, String applicationId) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get(service, "/api/quarantine", OPS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            for (JsonNode entry : JSON.readTree(response.body())) {
                if (applicationId.equals(entry.path("applicationId").asString(""))) {
                    return entry;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(service + " never quarantined a record of " + applicationId);
    }

    private static JsonNode replay(String service) throws Exception {
        HttpResponse<String> response = post(service, "/api/quarantine/replay", OPS, Map.of());
        assertThat(response.statusCode()).as(service + ": " + response.body()).isEqualTo(200);
        JsonNode outcome = JSON.readTree(response.body());
        assertThat(outcome.get("failed")).as(service + " replay failures").isEmpty();
        return outcome;
    }

    /** The services the status names as not having processed an event, open ones or resolved ones. */
    private static List<String> problems(JsonNode status, boolean open) {
        List<String> services = new ArrayList<>();
        status.path("processingProblems").forEach(p -> {
            boolean unresolved = p.path("resolvedAt").isNull() || p.path("resolvedAt").isMissingNode();
            if (unresolved == open) {
                services.add(p.get("service").asString());
            }
        });
        return services;
    }

    private static JsonNode awaitStatusWhere(String token, String id, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = JSON.readTree(get("intake", "/api/applications/" + id, token).body());
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the status never matched; last: " + last);
    }

    private static JsonNode dashboardQuarantine() throws Exception {
        HttpResponse<String> response = get("dashboard", "/api/dashboard", OPS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("quarantine");
    }

    private static void awaitDashboard(Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = dashboardQuarantine();
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the dashboard's quarantine never matched; last: " + last);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutBrokerCertificate(Map<String, Object> form) {
        Map<String, Object> changed = new LinkedHashMap<>(form);
        List<Map<String, Object>> operators = new ArrayList<>();
        for (Map<String, Object> o : (List<Map<String, Object>>) form.get("operators")) {
            operators.add(new LinkedHashMap<>(o));
        }
        operators.get(1).remove("customsBrokerCertificate");
        changed.put("operators", operators);
        return changed;
    }
}
