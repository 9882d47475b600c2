package cn.eport.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.testsupport.DevTokens;
import cn.eport.testsupport.RealInfrastructure;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@link Idempotent} on the real database, through a test endpoint that places orders (a row each):
 * a repeat gets the first answer and places nothing; a repeat that arrives while the first runs
 * waits on the key's index; a failure keeps no key; a key is one caller's and one request's.
 */
@SpringBootTest(classes = IdempotentRequestsTest.OrdersService.class, properties = "spring.config.name=web-test")
@AutoConfigureMockMvc
@ContextConfiguration(initializers = RealInfrastructure.class)
class IdempotentRequestsTest {

    @Autowired
    MockMvc http;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Counter counter;
    @Autowired
    IdempotencyKeyJanitor janitor;

    private final String caller = "buyer-" + UUID.randomUUID();

    @AfterEach
    void openTheGate() {
        counter.gate = null;
        counter.failuresLeft.set(0);
        counter.waiting.set(0);
    }

    @Test
    void aRepeatWithTheSameKeyGetsTheFirstStatusHeadersAndBodyAndPlacesNothingAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        MockHttpServletResponse first = place(caller, key, "tea", 2);
        MockHttpServletResponse repeat = place(caller, key, "tea", 2);

        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(repeat.getStatus()).isEqualTo(201);
        assertThat(repeat.getContentAsString()).isEqualTo(first.getContentAsString());
        assertThat(repeat.getHeader(HttpHeaders.LOCATION)).isEqualTo(first.getHeader(HttpHeaders.LOCATION)).startsWith("/orders/");
        assertThat(first.getHeader("Idempotent-Replayed")).isNull();
        assertThat(repeat.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ordersOf(caller)).isEqualTo(1);
    }

    @Test
    void aQuotedKeyIsTheSameKeyAsItsBareForm() throws Exception {
        MockHttpServletResponse first = place(caller, "order-7", "tea", 1);
        MockHttpServletResponse repeat = place(caller, "\"order-7\"", "tea", 1);

        assertThat(repeat.getContentAsString()).isEqualTo(first.getContentAsString());
        assertThat(ordersOf(caller)).isEqualTo(1);
    }

    @Test
    void aRepeatWhileTheFirstStillRunsWaitsOnTheKeyThenGetsTheFirstAnswer() throws Exception {
        String key = UUID.randomUUID().toString();
        counter.gate = new CountDownLatch(1);
        CompletableFuture<MockHttpServletResponse> first = CompletableFuture.supplyAsync(() -> placeQuietly(caller, key, "tea", 3));
        awaitOrderBeingPlaced();
        CompletableFuture<MockHttpServletResponse> repeat = CompletableFuture.supplyAsync(() -> placeQuietly(caller, key, "tea", 3));

        // The repeat is inside the database, waiting for the first's uncommitted key: not done, not failed.
        awaitSessionWaitingForALock();
        assertThat(repeat).isNotDone();
        counter.gate.countDown();

        MockHttpServletResponse firstAnswer = first.get(30, TimeUnit.SECONDS);
        MockHttpServletResponse repeatAnswer = repeat.get(30, TimeUnit.SECONDS);
        assertThat(firstAnswer.getStatus()).isEqualTo(201);
        assertThat(repeatAnswer.getStatus()).isEqualTo(201);
        assertThat(repeatAnswer.getContentAsString()).isEqualTo(firstAnswer.getContentAsString());
        assertThat(repeatAnswer.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ordersOf(caller)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndPlacesNothing() throws Exception {
        String key = UUID.randomUUID().toString();
        place(caller, key, "tea", 1);

        http.perform(order(caller, key, "tea", 5))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value(IdempotentRequests.KEY_REUSED.toString()))
                .andExpect(jsonPath("$.status").value(422));
        assertThat(ordersOf(caller)).isEqualTo(1);
    }

    @Test
    void theSameKeyFromAnotherCallerIsAnotherRequest() throws Exception {
        String key = UUID.randomUUID().toString();
        String other = "buyer-" + UUID.randomUUID();
        MockHttpServletResponse mine = place(caller, key, "tea", 1);
        MockHttpServletResponse theirs = place(other, key, "tea", 1);

        assertThat(theirs.getStatus()).isEqualTo(201);
        assertThat(theirs.getContentAsString()).isNotEqualTo(mine.getContentAsString());
        assertThat(ordersOf(caller)).isEqualTo(1);
        assertThat(ordersOf(other)).isEqualTo(1);
    }

    @Test
    void aFailedRequestKeepsNoKeySoItsRetryRunsAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        counter.failuresLeft.set(1);

        assertThat(place(caller, key, "tea", 1).getStatus()).isEqualTo(409);
        assertThat(keysOf(caller)).isZero();
        MockHttpServletResponse retry = place(caller, key, "tea", 1);

        assertThat(retry.getStatus()).isEqualTo(201);
        assertThat(retry.getHeader("Idempotent-Replayed")).isNull();
        assertThat(ordersOf(caller)).isEqualTo(1);
    }

    @Test
    void withoutTheHeaderEveryRequestIsDone() throws Exception {
        for (int i = 0; i < 2; i++) {
            http.perform(post("/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.clerk(caller))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"item\": \"tea\", \"quantity\": 1}"))
                    .andExpect(status().isCreated());
        }
        assertThat(ordersOf(caller)).isEqualTo(2);
        assertThat(keysOf(caller)).isZero();
    }

    @Test
    void aKeyOlderThanTheRetentionIsForgottenAndThenDoesItsRequestAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        place(caller, key, "tea", 1);
        jdbc.sql("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 1 minute' WHERE subject = ?").param(caller).update();
        String recent = UUID.randomUUID().toString();
        place(caller, recent, "tea", 1);

        assertThat(janitor.forgetExpired()).isGreaterThanOrEqualTo(1);

        assertThat(keysOf(caller)).isEqualTo(1);
        assertThat(place(caller, key, "tea", 1).getHeader("Idempotent-Replayed")).isNull();
        assertThat(place(caller, recent, "tea", 1).getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(ordersOf(caller)).isEqualTo(3);
    }

    @Test
    void anAnswerLargerThanTheBoundIs500AndNothingIsDone() throws Exception {
        MockHttpServletResponse answer = place(caller, UUID.randomUUID().toString(), "t".repeat(2000), 1);

        assertThat(answer.getStatus()).isEqualTo(500);
        assertThat(ordersOf(caller)).isZero();
        assertThat(keysOf(caller)).isZero();
    }

    @Test
    void aMalformedKeyIs400NamingTheHeaderAndNothingIsDone() throws Exception {
        http.perform(order(caller, "k".repeat(256), "tea", 1))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"))
                .andExpect(jsonPath("$.errors[0].code").value("WRONG_LENGTH"));
        http.perform(order(caller, "two words", "tea", 1))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].code").value("INVALID_CHARACTER"));
        assertThat(ordersOf(caller)).isZero();
    }

    private MockHttpServletResponse place(String subject, String key, String item, int quantity) throws Exception {
        return http.perform(order(subject, key, item, quantity)).andReturn().getResponse();
    }

    private MockHttpServletResponse placeQuietly(String subject, String key, String item, int quantity) {
        try {
            return place(subject, key, item, quantity);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static MockHttpServletRequestBuilder order(String subject, String key, String item, int quantity) {
        return post("/orders").header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.clerk(subject))
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"item\": \"" + item + "\", \"quantity\": " + quantity + "}");
    }

    private int ordersOf(String subject) {
        return jdbc.sql("SELECT count(*) FROM orders WHERE placed_by = ?").param(subject).query(Integer.class).single();
    }

    private int keysOf(String subject) {
        return jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE subject = ?").param(subject).query(Integer.class).single();
    }

    private void awaitOrderBeingPlaced() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (counter.waiting.get() == 0) {
            assertThat(Instant.now()).as("the first request reaches the endpoint").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private void awaitSessionWaitingForALock() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO idempotency_keys%'")
                .query(Integer.class).single() == 0) {
            assertThat(Instant.now()).as("the repeat waits on the first's key").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    /** A service with one idempotent endpoint. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({Orders.class, Counter.class})
    static class OrdersService {
    }

    /** What the tests make the endpoint do: wait at a gate, fail the next few orders. Not proxied, unlike the controller. */
    static class Counter {
        final AtomicInteger failuresLeft = new AtomicInteger();
        final AtomicInteger waiting = new AtomicInteger();
        volatile CountDownLatch gate;
    }

    @RestController
    static class Orders {

        record OrderRequest(String item, int quantity) {
        }

        record Order(UUID orderId, String item, int quantity) {
        }

        private final JdbcClient jdbc;
        private final Counter counter;

        Orders(JdbcClient jdbc, Counter counter) {
            this.jdbc = jdbc;
            this.counter = counter;
        }

        @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
        @Idempotent
        ResponseEntity<Order> place(@RequestBody OrderRequest request) throws InterruptedException {
            CountDownLatch closed = counter.gate;
            if (closed != null) {
                counter.waiting.incrementAndGet();
                closed.await(30, TimeUnit.SECONDS);
            }
            if (counter.failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new ApiProblems.Conflict("out of stock, for now");
            }
            UUID id = UUID.randomUUID();
            String buyer = SecurityContextHolder.getContext().getAuthentication().getName();
            jdbc.sql("INSERT INTO orders (order_id, placed_by, item, quantity) VALUES (?, ?, ?, ?)")
                    .params(id, buyer, request.item(), request.quantity()).update();
            return ResponseEntity.created(URI.create("/orders/" + id)).body(new Order(id, request.item(), request.quantity()));
        }
    }
}
