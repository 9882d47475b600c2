package cn.eport.intake;

import cn.eport.contracts.Agency;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.FieldError;
import cn.eport.webhooks.EndpointCheck;
import cn.eport.webhooks.EndpointPolicy;
import cn.eport.webhooks.WebhookSigner;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook subscriptions: an enterprise account subscribes its endpoints to its own applications; an
 * integrator (role INTEGRATOR, granted by the liaison office) to every application or to one agency's
 * verdicts. Each subscriber reads its own delivery log and asks for a replay from a sequence number.
 * Nobody sees or changes another's subscriptions; OPS may read and re-enable any.
 */
@RestController
@RequestMapping("/api/webhooks")
class WebhooksController {

    /** Subscriptions one account may hold: enough for a few environments, bounded all the same. */
    static final int MAX_SUBSCRIPTIONS = 10;

    private final WebhookSubscriptions subscriptions;
    private final EndpointPolicy policy;
    private final JdbcClient jdbc;
    private final Clock clock;

    WebhooksController(WebhookSubscriptions subscriptions, EndpointPolicy policy, JdbcClient jdbc, Clock clock) {
        this.subscriptions = subscriptions;
        this.policy = policy;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A subscription asked for: the endpoint, and for an integrator what it wants (ALL, or AGENCY with the agency). */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record NewSubscription(@NotBlank @Size(max = 2000) String url, WebhookSubscriptions.@Nullable Scope scope,
            @Nullable @Size(max = 20) String agency, @Nullable @Size(max = 200) String description) {
    }

    /** A subscription as its subscriber sees it; the secret only in the answer that created it. */
    record SubscriptionView(UUID id, String url, WebhookSubscriptions.Scope scope, @Nullable String agency,
            @Nullable String description, Instant createdAt, @Nullable String secret, boolean active, int consecutiveFailures,
            @Nullable Instant failingSince, @Nullable Instant disabledAt, @Nullable String disabledReason) {

        static SubscriptionView of(WebhookSubscriptions.Subscription s, boolean withSecret) {
            return new SubscriptionView(s.id(), s.url(), s.scope(), s.agency(), s.description(), s.createdAt(),
                    withSecret ? s.secret() : null, s.disabledAt() == null, s.failures(), s.failingSince(), s.disabledAt(),
                    s.disabledReason());
        }
    }

    /** One message to this subscriber: its state and last attempt. */
    record Delivery(UUID applicationId, long sequence, String messageId, String state, int attempts, @Nullable Instant firstAttemptAt,
            @Nullable Instant lastAttemptAt, @Nullable Integer lastStatus, @Nullable String lastError, @Nullable Instant deliveredAt) {
    }

    /** Send again, in order, every message of this subscription from {@code fromSequence} on, of one application or of all. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Replay(@Nullable UUID applicationId, @NotNull @Min(1) @Max(Long.MAX_VALUE) Long fromSequence) {
    }

    record Replayed(int requeued) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<SubscriptionView> subscribe(@Valid @RequestBody NewSubscription request, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        WebhookSubscriptions.Scope scope = request.scope() == null
                ? (user.has(EportRole.INTEGRATOR) ? WebhookSubscriptions.Scope.ALL : WebhookSubscriptions.Scope.OWN) : request.scope();
        String agency = null;
        if (scope == WebhookSubscriptions.Scope.OWN) {
            if (!user.has(EportRole.APPLICANT)) {
                throw new AccessDeniedException("only an enterprise account subscribes to its own applications");
            }
        } else {
            if (!user.has(EportRole.INTEGRATOR)) {
                throw new AccessDeniedException("only an integrator the liaison office registered subscribes to every application");
            }
            if (scope == WebhookSubscriptions.Scope.AGENCY) {
                agency = agency(request.agency());
            }
        }
        if (scope != WebhookSubscriptions.Scope.AGENCY && request.agency() != null) {
            throw invalid("agency", "NotAllowed", "an agency is named only with the scope AGENCY");
        }
        URI url = endpoint(request.url());
        if (subscriptions.countOf(user.subject()) >= MAX_SUBSCRIPTIONS) {
            throw new ApiProblems.Conflict("an account holds at most " + MAX_SUBSCRIPTIONS + " subscriptions; delete one first");
        }
        WebhookSubscriptions.Subscription created = new WebhookSubscriptions.Subscription(UUID.randomUUID(), user.subject(), scope,
                scope == WebhookSubscriptions.Scope.OWN ? user.subject() : null, agency, url.toString(), WebhookSigner.newSecret(),
                request.description(), clock.instant(), 0, null, null, null);
        subscriptions.create(created);
        return ResponseEntity.created(URI.create("/api/webhooks/" + created.id())).body(SubscriptionView.of(created, true));
    }

    @GetMapping
    List<SubscriptionView> mine(@AuthenticationPrincipal Jwt token) {
        return subscriptions.of(EportUser.from(token).subject()).stream().map(s -> SubscriptionView.of(s, false)).toList();
    }

    @GetMapping("/{id}")
    SubscriptionView one(@PathVariable UUID id, @AuthenticationPrincipal Jwt token) {
        return SubscriptionView.of(readable(id, EportUser.from(token)), false);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unsubscribe(@PathVariable UUID id, @AuthenticationPrincipal Jwt token) {
        subscriptions.delete(own(id, EportUser.from(token)).id());
    }

    /** A disabled subscription delivers again (from what is still pending; replay what was dead-lettered). */
    @PostMapping("/{id}/enable")
    SubscriptionView enable(@PathVariable UUID id, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        WebhookSubscriptions.Subscription subscription = user.has(EportRole.OPS) ? readable(id, user) : own(id, user);
        subscriptions.enable(subscription.id());
        return SubscriptionView.of(subscriptions.find(id).orElseThrow(), false);
    }

    /** The delivery log, oldest first: of one application from a sequence number, or of all. */
    @GetMapping("/{id}/deliveries")
    List<Delivery> deliveries(@PathVariable UUID id, @RequestParam(required = false) @Nullable UUID applicationId,
            @RequestParam(defaultValue = "1") long fromSequence, @RequestParam(defaultValue = "100") int limit,
            @AuthenticationPrincipal Jwt token) {
        readable(id, EportUser.from(token));
        if (limit < 1 || limit > 1000) {
            throw invalid("limit", "RANGE", "from 1 to 1000");
        }
        return jdbc.sql("""
                        SELECT d.application_id, d.sequence, m.message_id, d.state, d.attempts, d.first_attempt_at, d.last_attempt_at,
                               d.last_status, d.last_error, d.delivered_at
                        FROM webhook_deliveries d JOIN webhook_messages m ON m.application_id = d.application_id AND m.sequence = d.sequence
                        WHERE d.subscription_id = ? AND (?::uuid IS NULL OR d.application_id = ?::uuid) AND d.sequence >= ?
                        ORDER BY m.created_at, d.application_id, d.sequence LIMIT ?""")
                .params(id, applicationId, applicationId, fromSequence, limit)
                .query((rs, n) -> new Delivery(rs.getObject("application_id", UUID.class), rs.getLong("sequence"),
                        rs.getString("message_id"), rs.getString("state"), rs.getInt("attempts"),
                        WebhookSubscriptions.instant(rs, "first_attempt_at"), WebhookSubscriptions.instant(rs, "last_attempt_at"),
                        (Integer) rs.getObject("last_status"), rs.getString("last_error"), WebhookSubscriptions.instant(rs, "delivered_at")))
                .list();
    }

    /** Queues the messages again, each under its own id (a receiver that keeps ids sees them as the same messages). */
    @PostMapping(path = "/{id}/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Transactional
    Replayed replay(@PathVariable UUID id, @Valid @RequestBody Replay replay, @AuthenticationPrincipal Jwt token) {
        own(id, EportUser.from(token));
        int requeued = jdbc.sql("""
                        UPDATE webhook_deliveries SET state = 'PENDING', attempts = 0, first_attempt_at = NULL, last_error = NULL,
                                                      delivered_at = NULL, lease_until = NULL
                        WHERE subscription_id = ? AND (?::uuid IS NULL OR application_id = ?::uuid) AND sequence >= ?""")
                .params(id, replay.applicationId(), replay.applicationId(), replay.fromSequence())
                .update();
        return new Replayed(requeued);
    }

    private WebhookSubscriptions.Subscription own(UUID id, EportUser user) {
        return subscriptions.find(id).filter(s -> s.createdBy().equals(user.subject()))
                .orElseThrow(() -> new ApiProblems.NotFound("No subscription " + id + " of yours"));
    }

    private WebhookSubscriptions.Subscription readable(UUID id, EportUser user) {
        return subscriptions.find(id).filter(s -> s.createdBy().equals(user.subject()) || user.has(EportRole.OPS))
                .orElseThrow(() -> new ApiProblems.NotFound("No subscription " + id + " of yours"));
    }

    private URI endpoint(String text) {
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalid("url", "URL", "not a URL: " + e.getReason());
        }
        EndpointCheck check = policy.check(url);
        if (!check.accepted()) {
            throw invalid("url", "ENDPOINT_REFUSED", check.reason());
        }
        return url;
    }

    private static String agency(@Nullable String id) {
        if (id == null) {
            throw invalid("agency", "NotBlank", "the scope AGENCY names the agency: quality, commerce, tax, trade, forex or customs");
        }
        try {
            return Agency.ofId(id.toLowerCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw invalid("agency", "UNKNOWN_AGENCY", "quality, commerce, tax, trade, forex or customs");
        }
    }

    private static ApiProblems.InvalidInput invalid(String field, String code, String message) {
        return new ApiProblems.InvalidInput(List.of(new FieldError(field, code, message)));
    }
}
