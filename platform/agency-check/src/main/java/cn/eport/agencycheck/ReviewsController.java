package cn.eport.agencycheck;

import cn.eport.contracts.ApplicationRevision;
import cn.eport.contracts.Decider;
import cn.eport.contracts.Outcome;
import cn.eport.contracts.Reason;
import cn.eport.contracts.VerdictIssued;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.PersonalDataReads;
import cn.eport.web.FieldError;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agency's review queue (资格审查): referred cases wait here for a reviewer of this agency, who
 * opens a case (the application, the registry's facts, the rules' findings) and approves or
 * rejects it. Only reviewers whose token names this agency may see or decide anything here.
 */
@RestController
@RequestMapping("/api/reviews")
class ReviewsController {

    private final AgencyRules rules;
    private final Checks checks;
    private final AgencyCheckPipeline pipeline;
    private final TransactionTemplate transaction;
    private final PersonalDataReads reads;

    ReviewsController(AgencyRules rules, Checks checks, AgencyCheckPipeline pipeline, TransactionTemplate transaction,
            PersonalDataReads reads) {
        this.reads = reads;
        this.rules = rules;
        this.checks = checks;
        this.pipeline = pipeline;
        this.transaction = transaction;
    }

    /** A case in the queue, with its statutory deadline and whether it is past it. */
    record Queued(UUID applicationId, int revision, String enterprise, List<Reason> reasons, Instant receivedAt,
            @Nullable Instant deadline, boolean breached) {
    }

    /** A case opened: what the reviewer decides on, and its clock. */
    record OpenCase(UUID applicationId, int revision, String state, ApplicationRevision application,
            Map<String, RegistryRecord> registryFacts, @Nullable String outcome, List<Reason> findings,
            @Nullable String decidedBy, @Nullable Instant decidedAt, Instant acceptedAt, @Nullable Instant deadline,
            @Nullable Instant breachedAt, long registryOutageMillis) {
    }

    /** A reviewer's decision: APPROVED, or REJECTED with at least one reason in this agency's codes. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record ReviewDecision(@NotNull Outcome outcome, @Nullable @Size(max = 10) List<@NotNull @Valid ReasonGiven> reasons) {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record ReasonGiven(@NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{2,79}") String code,
            @NotBlank @Size(max = 500) String zh, @NotBlank @Size(max = 500) String en) {
    }

    @GetMapping
    List<Queued> queue(@AuthenticationPrincipal Jwt token) {
        requireReviewerOfThisAgency(token);
        return checks.referred(200).stream()
                .map(c -> new Queued(c.applicationId(), c.revision(), c.application().enterprise().name(), c.reasons(), c.receivedAt(),
                        c.deadline(), c.breachedAt() != null))
                .toList();
    }

    @GetMapping("/{applicationId}/{revision}")
    OpenCase open(@PathVariable UUID applicationId, @PathVariable int revision, @AuthenticationPrincipal Jwt token) {
        EportUser reviewer = requireReviewerOfThisAgency(token);
        Checks.Case found = checks.find(applicationId, revision)
                .orElseThrow(() -> new ApiProblems.NotFound("No case " + applicationId + " revision " + revision));
        reads.record(reviewer, applicationId, personalFields(found.application()), "GET /api/reviews/{applicationId}/{revision}");
        return new OpenCase(found.applicationId(), found.revision(), found.state(), found.application(), found.facts(),
                found.outcome(), found.reasons(), found.decidedBy(), found.decidedAt(), found.receivedAt(), found.deadline(),
                found.breachedAt(), found.registryOutageMillis());
    }

    @PostMapping(path = "/{applicationId}/{revision}/decision", consumes = MediaType.APPLICATION_JSON_VALUE)
    OpenCase decide(@PathVariable UUID applicationId, @PathVariable int revision,
            @Valid @RequestBody ReviewDecision decision, @AuthenticationPrincipal Jwt token) {
        EportUser reviewer = requireReviewerOfThisAgency(token);
        List<Reason> reasons = validReasons(decision);
        Checks.Case found = checks.find(applicationId, revision)
                .orElseThrow(() -> new ApiProblems.NotFound("No case " + applicationId + " revision " + revision));
        if (!"REFERRED".equals(found.state())) {
            throw new ApiProblems.Conflict("Case " + applicationId + " revision " + revision + " is " + found.state()
                    + ", not waiting for a reviewer");
        }
        VerdictIssued verdict = pipeline.sign(new VerdictIssued(applicationId, revision, rules.agency(), decision.outcome(),
                reasons, new Decider(Decider.Kind.REVIEWER, reviewer.subject()), pipeline.now(), ""));
        boolean decided = Boolean.TRUE.equals(transaction.execute(status -> {
            if (!checks.decideReferral(verdict)) {
                return false;
            }
            pipeline.publish(verdict);
            return true;
        }));
        if (!decided) {
            throw new ApiProblems.Conflict("Case " + applicationId + " revision " + revision + " was decided meanwhile");
        }
        return open(applicationId, revision, token);
    }

    private List<Reason> validReasons(ReviewDecision decision) {
        List<FieldError> errors = new ArrayList<>();
        List<ReasonGiven> given = decision.reasons() == null ? List.of() : decision.reasons();
        if (decision.outcome() == Outcome.REFERRED) {
            errors.add(new FieldError("outcome", "FINAL_OUTCOME", "a reviewer decides: APPROVED or REJECTED"));
        }
        if (decision.outcome() == Outcome.REJECTED && given.isEmpty()) {
            errors.add(new FieldError("reasons", "NotEmpty", "a rejection gives at least one reason the applicant can act on"));
        }
        String prefix = rules.agency().name() + "_";
        for (int i = 0; i < given.size(); i++) {
            if (!given.get(i).code().startsWith(prefix)) {
                errors.add(new FieldError("reasons[" + i + "].code", "AGENCY_PREFIX", "this agency's reason codes start with " + prefix));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblems.InvalidInput(errors);
        }
        return given.stream().map(r -> new Reason(r.code(), r.zh(), r.en())).toList();
    }

    /** The personal fields of the application a case shows: the people on it, and the contact phone. */
    static List<String> personalFields(ApplicationRevision application) {
        List<String> fields = new ArrayList<>(List.of("enterprise.legalRepresentative", "enterprise.contactPhone",
                "legalRepresentative.name", "legalRepresentative.maskedIdNumber"));
        if (!application.operators().isEmpty()) {
            fields.addAll(List.of("operators[].name", "operators[].maskedIdNumber"));
        }
        if (application.operators().stream().anyMatch(operator -> operator.customsBrokerCertificate() != null)) {
            fields.add("operators[].customsBrokerCertificate");
        }
        return fields;
    }

    private EportUser requireReviewerOfThisAgency(Jwt token) {
        EportUser user = EportUser.from(token);
        if (!user.has(EportRole.REVIEWER) || !rules.agency().id().equals(user.agency())) {
            throw new AccessDeniedException("only reviewers of " + rules.agency().id() + " review its cases");
        }
        return user;
    }
}
