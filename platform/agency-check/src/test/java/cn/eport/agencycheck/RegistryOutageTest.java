package cn.eport.agencycheck;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Topics;
import cn.eport.testsupport.KafkaProbe;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Guarantee 4: with the registry down during a stream of applications, every check is parked (no
 * verdict, no blocked partition), and once the registry is back every parked check completes with
 * exactly one verdict.
 */
class RegistryOutageTest extends KitTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry meters;

    @Test
    void anOutageDelaysEveryCheckAndLosesOrDoublesNone() {
        registry.stubFor(post("/certificates/lookup").willReturn(aResponse().withStatus(503)));
        List<ApplicationSubmitted> stream = new ArrayList<>();
        try (KafkaProbe kafka = probe(Topics.verdicts(Agency.FOREX))) {
            for (int i = 0; i < 20; i++) {
                ApplicationSubmitted application = application(String.format("91350100M%08dX", i), "外汇测试企业" + i);
                stream.add(application);
                publish(kafka, application);
            }
            Set<String> ids = stream.stream().map(a -> a.applicationId().toString()).collect(Collectors.toSet());

            // Consumed and accepted (the partition moves on), but parked, not decided.
            await(() -> parked(ids) == ids.size(), Duration.ofSeconds(60));
            assertThat(decided(ids)).isZero();
            assertThat(meters.get("eport.checks.parked").tag("agency", "forex").gauge().value()).isGreaterThanOrEqualTo(20);
            assertThat(verdictsFor(kafka.readFor(Duration.ofSeconds(1)), ids)).isEmpty();

            registry.resetMappings();
            registry.stubFor(post("/certificates/lookup").willReturn(okJson(answer(stream.stream()
                    .map(a -> record(a.enterprise().uscc(), a.enterprise().name(), "VALID", "2030-01-01"))
                    .toArray(String[]::new)))));

            List<KafkaProbe.Record> verdicts = verdictsFor(kafka.awaitUntil(seen -> verdictsFor(seen, ids).size() >= ids.size(),
                    Duration.ofSeconds(60)), ids);
            List<KafkaProbe.Record> settled = verdictsFor(kafka.readFor(Duration.ofSeconds(2)), ids);

            assertThat(settled).hasSize(ids.size());
            assertThat(settled.stream().map(KafkaProbe.Record::key).collect(Collectors.toSet())).isEqualTo(ids);
            assertThat(verdicts).allSatisfy(v -> assertThat(v.text()).contains("\"outcome\":\"APPROVED\""));
            assertThat(decided(ids)).isEqualTo(ids.size());
            assertThat(jdbc.sql("SELECT min(attempts) FROM checks WHERE application_id::text = ANY(?)")
                    .param(ids.toArray(String[]::new)).query(Integer.class).single()).isGreaterThanOrEqualTo(1);
        }
    }

    private int parked(Set<String> ids) {
        return jdbc.sql("SELECT count(*) FROM checks WHERE state = 'PENDING' AND attempts > 0 AND application_id::text = ANY(?)")
                .param(ids.toArray(String[]::new)).query(Integer.class).single();
    }

    private int decided(Set<String> ids) {
        return jdbc.sql("SELECT count(*) FROM checks WHERE state <> 'PENDING' AND application_id::text = ANY(?)")
                .param(ids.toArray(String[]::new)).query(Integer.class).single();
    }

    private static List<KafkaProbe.Record> verdictsFor(List<KafkaProbe.Record> records, Set<String> ids) {
        return records.stream().filter(r -> ids.contains(r.key())).toList();
    }

    private static void await(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
