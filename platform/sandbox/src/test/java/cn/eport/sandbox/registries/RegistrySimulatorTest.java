package cn.eport.sandbox.registries;

import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The simulated registries' change feed, and the operator's way of changing a record, over HTTP as a follower and an operator use them. */
class RegistrySimulatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final SampleEnterprise ENTERPRISE = SampleData.standardsExample();
    private static RegistrySimulator registries;

    @BeforeAll
    static void start() {
        registries = RegistrySimulator.start(0, List.of(ENTERPRISE), LocalDate.of(2026, 12, 3));
    }

    @AfterAll
    static void stop() {
        registries.close();
    }

    @Test
    void aRevokedLicenceIsOnTheFeedAfterTheCursorAndInTheLookUps() throws Exception {
        long start = next(feed(Agency.COMMERCE, 0));

        HttpResponse<String> revoked = post("/admin/records/commerce/business-licences/" + ENTERPRISE.uscc(), "{\"status\": \"REVOKED\"}");

        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("status").asString()).isEqualTo("REVOKED");
        JsonNode page = feed(Agency.COMMERCE, start);
        assertThat(page.get("changes")).hasSize(1);
        JsonNode change = page.get("changes").get(0);
        assertThat(change.get("cursor").asLong()).isGreaterThan(start).isEqualTo(next(page));
        assertThat(change.get("collection").asString()).isEqualTo("business-licences");
        assertThat(change.get("record").get("number").asString()).isEqualTo(ENTERPRISE.uscc());
        assertThat(change.get("record").get("status").asString()).isEqualTo("REVOKED");
        assertThat(lookUp("commerce", "business-licences", ENTERPRISE.uscc()).get("status").asString()).isEqualTo("REVOKED");
        assertThat(feed(Agency.COMMERCE, next(page)).get("changes")).as("nothing after the last change").isEmpty();
        assertThat(feed(Agency.TAX, 0).get("changes")).as("each registry has its own feed").isEmpty();

        post("/admin/records/commerce/business-licences/" + ENTERPRISE.uscc(), "{\"status\": \"VALID\"}");
        assertThat(lookUp("commerce", "business-licences", ENTERPRISE.uscc()).get("status").asString()).isEqualTo("VALID");
    }

    @Test
    void theFeedIsReadInPagesInTheOrderOfTheChanges() throws Exception {
        long start = next(feed(Agency.CUSTOMS, 0));
        for (String day : List.of("2027-01-01", "2027-01-02", "2027-01-03")) {
            post("/admin/records/customs/declaration-units/" + ENTERPRISE.customsRegistrationCode(), "{\"validUntil\": \"" + day + "\"}");
        }

        JsonNode first = JSON.readTree(get("/customs/changes?after=" + start + "&limit=2").body());
        JsonNode rest = feed(Agency.CUSTOMS, next(first));

        assertThat(first.get("changes")).hasSize(2);
        assertThat(rest.get("changes")).hasSize(1);
        assertThat(rest.get("changes").get(0).get("record").get("validUntil").asString()).isEqualTo("2027-01-03");
        assertThat(first.get("changes").get(1).get("cursor").asLong()).isLessThan(rest.get("changes").get(0).get("cursor").asLong());
    }

    @Test
    void aChangeTheRegistryCannotMakeIsRefusedAndChangesNothing() throws Exception {
        long start = next(feed(Agency.QUALITY, 0));
        String code = "/admin/records/quality/organisation-codes/" + ENTERPRISE.organisationCode().replace("-", "");

        assertThat(post("/admin/records/quality/organisation-codes/X00000000", "{\"status\": \"REVOKED\"}").statusCode()).isEqualTo(404);
        assertThat(post("/admin/records/nowhere/organisation-codes/X", "{\"status\": \"REVOKED\"}").statusCode()).isEqualTo(404);
        for (String body : List.of("{\"status\": \"CANCELLED\"}", "{}", "{\"validUntil\": \"tomorrow\"}", "not json", "[1]")) {
            assertThat(post(code, body).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(get("/quality/changes?after=-1").statusCode()).isEqualTo(400);
        assertThat(get("/quality/changes?limit=many").statusCode()).isEqualTo(400);
        assertThat(feed(Agency.QUALITY, start).get("changes")).isEmpty();
    }

    @Test
    void aRegistrySwitchedOffServesNoFeedEither() throws Exception {
        registries.setDown(Agency.FOREX, true);
        try {
            assertThat(get("/forex/changes?after=0").statusCode()).isEqualTo(503);
        } finally {
            registries.setDown(Agency.FOREX, false);
        }
        assertThat(get("/forex/changes?after=0").statusCode()).isEqualTo(200);
    }

    private static JsonNode feed(Agency agency, long after) throws Exception {
        HttpResponse<String> page = get("/" + agency.id() + "/changes?after=" + after + "&limit=100");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return JSON.readTree(page.body());
    }

    private static long next(JsonNode page) {
        return page.get("next").asLong();
    }

    private static JsonNode lookUp(String agency, String collection, String number) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url("/" + agency + "/" + collection + "/lookup"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"numbers\": [\"" + number + "\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).get("records").get(0);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(String path) {
        return URI.create(registries.baseUrl(Agency.QUALITY).replace("/quality", "") + path);
    }
}
