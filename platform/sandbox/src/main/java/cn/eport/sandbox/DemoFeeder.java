package cn.eport.sandbox;

import cn.eport.sandbox.registries.SampleData;
import cn.eport.sandbox.registries.SampleEnterprise;
import cn.eport.testsupport.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives the sandbox something to watch: submits the sample enterprises' applications to intake one
 * after another, as enterprises would, and, once one is approved, registers it at telecom as the
 * clerk at the counter would. Clean enterprises end with cards; the others are rejected, or wait
 * in an agency's review queue for a reviewer (the README's tour decides one).
 */
final class DemoFeeder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoFeeder.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "demo-feeder");
        thread.setDaemon(true);
        return thread;
    });
    private final List<SampleEnterprise> enterprises = SampleData.enterprises();
    private final List<Submitted> awaitingApproval = new ArrayList<>();
    private final String intake;
    private final String telecom;
    private final int limit;
    private int next = 1;
    private int networkCard = 200_000;

    /** An application the feeder follows until it is approved (then registers it at telecom) or ends otherwise. */
    private record Submitted(String applicationId, int n, SampleEnterprise enterprise) {

        /** Minted for each request: a token outlives no request, however long the case waits. */
        String applicantToken() {
            return DevTokens.applicant(applicant(n));
        }
    }

    private static String applicant(int n) {
        return "demo-enterprise-" + n;
    }

    DemoFeeder(int intakePort, int telecomPort, int limit) {
        this.intake = "http://localhost:" + intakePort;
        this.telecom = "http://localhost:" + telecomPort;
        this.limit = limit;
    }

    void start(Duration every) {
        scheduler.scheduleWithFixedDelay(this::step, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void step() {
        try {
            if (next <= limit) {
                submit(enterprises.get(next % enterprises.size()), next++);
            }
            registerApproved();
        } catch (Exception e) {
            log.warn("demo: {}", e.toString());
        }
    }

    private void submit(SampleEnterprise enterprise, int n) throws Exception {
        Map<String, Object> form = enterprise.applicationForm();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(intake + "/api/applications"))
                .header("Authorization", "Bearer " + DevTokens.applicant(applicant(n)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(form))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode status = JSON.readTree(response.body());
        if (response.statusCode() != 201) {
            log.warn("demo: intake refused {}: {}", enterprise.name(), response.body());
            return;
        }
        String id = status.get("applicationId").asString();
        awaitingApproval.add(new Submitted(id, n, enterprise));
        log.atInfo().addKeyValue("applicationId", id).log("demo: {} applied (slip {}); expected: {}", enterprise.name(),
                status.get("slipNumber").asString(), enterprise.fate().expected());
    }

    private void registerApproved() throws Exception {
        for (Submitted submitted : List.copyOf(awaitingApproval)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(intake + "/api/applications/" + submitted.applicationId()))
                    .header("Authorization", "Bearer " + submitted.applicantToken()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode status = JSON.readTree(response.body());
            String state = status.path("status").asString("");
            if ("APPROVED".equals(state)) {
                SampleEnterprise enterprise = submitted.enterprise();
                Map<String, String> registration = Map.of("slipNumber", status.get("slipNumber").asString(),
                        "enterpriseCode", enterprise.organisationCode(), "networkCardNumber", "17999" + (networkCard++));
                HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(telecom + "/api/registrations"))
                        .header("Authorization", "Bearer " + DevTokens.telecom("telecom-counter-01"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(registration))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (registered.statusCode() == 201) {
                    awaitingApproval.remove(submitted);
                    log.atInfo().addKeyValue("applicationId", submitted.applicationId())
                            .log("demo: {} approved by all six; telecom registered it", enterprise.name());
                }
            } else if ("REJECTED".equals(state) || "WITHDRAWN".equals(state) || "CARDS_ISSUED".equals(state)) {
                awaitingApproval.remove(submitted);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
