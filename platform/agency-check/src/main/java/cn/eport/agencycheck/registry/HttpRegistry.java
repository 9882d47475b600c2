package cn.eport.agencycheck.registry;

import cn.eport.agencycheck.Registry;
import cn.eport.agencycheck.RegistryQuery;
import cn.eport.agencycheck.RegistryRecord;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The agency's registry over HTTP (the contract of {@link RegistryRecord}): one request per
 * collection per round of checks, guarded by Resilience4j - each attempt bounded by connect and
 * read timeouts, a bulkhead on concurrent calls, a circuit breaker that fails fast while the
 * registry keeps failing, and retries with exponential backoff and jitter around them. A number
 * missing from the answer is an answer (no such record); every failure, including a body that is
 * not a list of registry records, makes the registry unavailable for the round. The change feed
 * ({@code GET <base>/changes?after=<cursor>&limit=<n>}) is guarded the same way by guards of its own,
 * so that a registry whose feed fails still answers look-ups, and the other way round.
 */
public final class HttpRegistry implements Registry {

    private final RestClient http;
    private final Guard lookups;
    private final Guard feed;
    private final MeterRegistry meters;
    private final String agency;

    public HttpRegistry(String agency, RegistrySettings settings, RestClient.Builder builder, MeterRegistry meters) {
        if (settings.baseUrl() == null || settings.baseUrl().toString().isBlank()) {
            throw new IllegalStateException("eport.registry.base-url (EPORT_REGISTRY_URL) is not set: the " + agency
                    + " check asks its registry and cannot start without knowing where it is");
        }
        this.agency = agency;
        this.meters = meters;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout()).build());
        requests.setReadTimeout(settings.readTimeout());
        this.http = builder.clone().baseUrl(settings.baseUrl().toString()).requestFactory(requests).build();
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.circuitBreaker().failureRatePercent())
                .slidingWindowSize(settings.circuitBreaker().slidingWindowCalls())
                .minimumNumberOfCalls(settings.circuitBreaker().minimumCalls())
                .waitDurationInOpenState(settings.circuitBreaker().openFor())
                .slowCallDurationThreshold(settings.readTimeout())
                .recordExceptions(RegistryFailure.class)
                .build());
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(settings.retry().maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.retry().initialBackoff(),
                        settings.retry().multiplier(), settings.retry().jitter()))
                .retryExceptions(RegistryFailure.class)
                .ignoreExceptions(CallNotPermittedException.class, BulkheadFullException.class)
                .build());
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.bulkhead().maxConcurrentCalls())
                .maxWaitDuration(settings.bulkhead().maxWait())
                .build());
        this.lookups = new Guard(agency + "-registry", circuitBreakers, retries, bulkheads);
        this.feed = new Guard(agency + "-registry-feed", circuitBreakers, retries, bulkheads);
        // Circuit state, calls by outcome, retries and bulkhead use, tagged with the guard's name.
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    @Override
    public Map<RegistryQuery, Optional<RegistryRecord>> lookUp(Collection<RegistryQuery> queries) {
        Map<String, Set<String>> numbersByCollection = new TreeMap<>();
        queries.forEach(q -> numbersByCollection.computeIfAbsent(q.collection(), c -> new TreeSet<>()).add(q.number()));
        Map<String, Map<String, RegistryRecord>> found = new HashMap<>();
        numbersByCollection.forEach((collection, numbers) -> found.put(collection,
                lookups.call(() -> fetch(collection, numbers), numbers.size() + " " + collection)));
        Map<RegistryQuery, Optional<RegistryRecord>> answers = new LinkedHashMap<>();
        for (RegistryQuery query : queries) {
            answers.put(query, Optional.ofNullable(found.get(query.collection()).get(query.number())));
        }
        return answers;
    }

    @Override
    public RegistryChanges changesSince(long cursor, int limit) {
        return feed.call(() -> fetchChanges(cursor, limit), "its changes after " + cursor);
    }

    CircuitBreaker.State circuitState() {
        return lookups.circuitBreaker.getState();
    }

    CircuitBreaker.State feedCircuitState() {
        return feed.circuitBreaker.getState();
    }

    /** Retries around a circuit breaker around a bulkhead, for one kind of call. */
    private final class Guard {

        private final Retry retry;
        private final CircuitBreaker circuitBreaker;
        private final Bulkhead bulkhead;

        Guard(String name, CircuitBreakerRegistry circuitBreakers, RetryRegistry retries, BulkheadRegistry bulkheads) {
            this.circuitBreaker = circuitBreakers.circuitBreaker(name);
            this.retry = retries.retry(name);
            this.bulkhead = bulkheads.bulkhead(name);
        }

        <T> T call(Supplier<T> attempt, String what) {
            Supplier<T> call = Retry.decorateSupplier(retry,
                    CircuitBreaker.decorateSupplier(circuitBreaker, Bulkhead.decorateSupplier(bulkhead, attempt)));
            try {
                return call.get();
            } catch (RegistryFailure | CallNotPermittedException | BulkheadFullException e) {
                throw new RegistryUnavailableException("the " + agency + " registry did not answer for " + what + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private Map<String, RegistryRecord> fetch(String collection, Set<String> numbers) {
        return timed("eport.registry.latency", () -> http.post().uri("/{collection}/lookup", collection)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new Lookup(List.copyOf(numbers)))
                .exchange((request, response) -> {
                    requireOk(response.getStatusCode().value());
                    Answer answer = response.bodyTo(Answer.class);
                    if (answer == null || answer.records() == null) {
                        throw new RegistryFailure("the answer holds no records list");
                    }
                    Map<String, RegistryRecord> byNumber = new HashMap<>();
                    for (RegistryRecord record : answer.records()) {
                        requireRecord(record);
                        byNumber.put(record.number(), record);
                    }
                    return byNumber;
                }));
    }

    private RegistryChanges fetchChanges(long cursor, int limit) {
        return timed("eport.registry.feed.latency", () -> http.get()
                .uri(b -> b.path("/changes").queryParam("after", cursor).queryParam("limit", limit).build())
                .accept(MediaType.APPLICATION_JSON)
                .exchange((request, response) -> {
                    requireOk(response.getStatusCode().value());
                    Feed page = response.bodyTo(Feed.class);
                    if (page == null || page.changes() == null) {
                        throw new RegistryFailure("the answer holds no changes list");
                    }
                    return pageAfter(cursor, limit, page);
                }));
    }

    /** The page read, if it is one: changes with increasing cursors after {@code cursor}, no more than asked for. */
    private static RegistryChanges pageAfter(long cursor, int limit, Feed page) {
        if (page.changes().size() > limit) {
            throw new RegistryFailure("the feed answered " + page.changes().size() + " changes where " + limit + " were asked for");
        }
        long last = cursor;
        for (Change change : page.changes()) {
            if (change == null || change.collection() == null || change.collection().isBlank()) {
                throw new RegistryFailure("the answer holds something that is not a change");
            }
            if (change.cursor() <= last) {
                throw new RegistryFailure("the feed's cursors do not increase: " + change.cursor() + " after " + last);
            }
            requireRecord(change.record());
            last = change.cursor();
        }
        long next = page.next() == null ? last : page.next();
        if (next < last) {
            throw new RegistryFailure("the feed's next cursor " + next + " is behind its last change " + last);
        }
        return new RegistryChanges(page.changes(), next);
    }

    /** One attempt, timed under {@code meter} by its outcome; a client failure is a failed attempt. */
    private <T> T timed(String meter, Supplier<T> attempt) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "failed";
        try {
            T answer = attempt.get();
            outcome = "answered";
            return answer;
        } catch (RestClientException e) {
            throw new RegistryFailure(e.getMostSpecificCause().toString());
        } finally {
            sample.stop(meters.timer(meter, "agency", agency, "outcome", outcome));
        }
    }

    private static void requireOk(int status) {
        if (status != 200) {
            throw new RegistryFailure("HTTP " + status);
        }
    }

    private static void requireRecord(@Nullable RegistryRecord record) {
        if (record == null || record.number() == null || record.holderName() == null || record.status() == null) {
            throw new RegistryFailure("the answer holds something that is not a registry record");
        }
    }

    /** The request body: the numbers asked for. */
    record Lookup(List<String> numbers) {
    }

    /** The answer body: the records the registry holds among those asked for. */
    record Answer(@Nullable List<RegistryRecord> records) {
    }

    /** The change feed's page: the changes after the cursor asked for, and where to ask from next. */
    record Feed(@Nullable List<Change> changes, @Nullable Long next) {
    }

    /** One attempt failed: what the circuit breaker counts and the retry retries. */
    static final class RegistryFailure extends RuntimeException {
        RegistryFailure(String message) {
            super(message);
        }
    }
}
