package cn.eport.intake;

import cn.eport.contracts.Channel;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.PersonalDataReads;
import cn.eport.web.FieldError;
import cn.eport.web.Idempotent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Submit an application, follow it, amend it after a rejection, withdraw it. An enterprise account
 * acts on its own applications; a customs clerk keys in paper applications for an enterprise
 * account and may act on any; ops may read any. Someone else's application is "not found".
 */
@RestController
@RequestMapping("/api")
class ApplicationsController {

    private final FormChecks checks;
    private final Submissions submissions;
    private final Releases releases;
    private final StatusView view;
    private final Timeline timeline;
    private final PersonalDataReads reads;

    ApplicationsController(FormChecks checks, Submissions submissions, Releases releases, StatusView view, Timeline timeline,
            PersonalDataReads reads) {
        this.reads = reads;
        this.checks = checks;
        this.submissions = submissions;
        this.releases = releases;
        this.view = view;
        this.timeline = timeline;
    }

    /** Submit once: with an {@code Idempotency-Key}, sending the same form again returns the first answer. */
    @PostMapping(path = "/applications", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAnyRole('APPLICANT', 'CLERK')")
    @Idempotent
    ResponseEntity<ApplicationStatus> submit(@RequestBody ApplicationForm form, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        List<FieldError> problems = new ArrayList<>(checks.problemsWith(form));
        boolean keyedByClerk = user.has(EportRole.CLERK);
        if (keyedByClerk && form.enterpriseAccount() == null) {
            problems.add(new FieldError("enterpriseAccount", "NotBlank",
                    "a clerk keying in a paper application names the enterprise account it belongs to"));
        }
        if (!keyedByClerk && form.enterpriseAccount() != null) {
            problems.add(new FieldError("enterpriseAccount", "NotAllowed", "only a customs clerk files an application for another account"));
        }
        if (!problems.isEmpty()) {
            throw new ApiProblems.InvalidInput(problems);
        }
        UUID id = keyedByClerk
                ? submissions.submit(form, form.enterpriseAccount(), Channel.PAPER, user.subject())
                : submissions.submit(form, user.subject(), Channel.ONLINE, user.subject());
        return ResponseEntity.created(URI.create("/api/applications/" + id)).body(view.statusOf(id).orElseThrow());
    }

    @GetMapping("/applications/{applicationId}")
    ApplicationStatus status(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        boolean owner = requireMayRead(applicationId, user);
        ApplicationStatus status = view.statusOf(applicationId).orElseThrow();
        if (status.cards() != null && !owner) {
            // The cards name their holders: a clerk's or an operator's look is on the record.
            reads.record(user, applicationId, List.of("cards.legalPersonCard.holderName", "cards.legalPersonCard.maskedIdNumber",
                    "cards.operatorCards[].holderName", "cards.operatorCards[].maskedIdNumber"), "GET /api/applications/{applicationId}");
        }
        return status;
    }

    @GetMapping("/applications/{applicationId}/timeline")
    List<Timeline.Entry> timeline(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        requireMayRead(applicationId, EportUser.from(token));
        return timeline.of(applicationId);
    }

    @GetMapping("/applications")
    @PreAuthorize("hasRole('APPLICANT')")
    List<ApplicationStatus> mine(@AuthenticationPrincipal Jwt token) {
        return view.applicationsOf(token.getSubject()).stream().flatMap(id -> view.statusOf(id).stream()).toList();
    }

    /**
     * The whole form again, as a new revision: only after a rejection, and the same checks as a submission. The
     * status is checked in the transaction that amends, so of two amendments at once one is a 409.
     */
    @PutMapping(path = "/applications/{applicationId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAnyRole('APPLICANT', 'CLERK')")
    ApplicationStatus amend(@PathVariable UUID applicationId, @RequestBody ApplicationForm form, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        requireMayAct(applicationId, user);
        List<FieldError> problems = new ArrayList<>(checks.problemsWith(form));
        if (form.enterpriseAccount() != null) {
            problems.add(new FieldError("enterpriseAccount", "NotAllowed", "an amendment keeps the application's account"));
        }
        if (!problems.isEmpty()) {
            throw new ApiProblems.InvalidInput(problems);
        }
        if (submissions.amend(applicationId, form, user.subject()) instanceof Submissions.Change.Refused refused) {
            throw new ApiProblems.Conflict("Only a rejected application is amended; this one is " + refused.status());
        }
        return view.statusOf(applicationId).orElseThrow();
    }

    /** Every agency stops and no cards are issued; 409 once the cards are issued or when withdrawn already. */
    @PostMapping("/applications/{applicationId}/withdrawal")
    @PreAuthorize("hasAnyRole('APPLICANT', 'CLERK')")
    ApplicationStatus withdraw(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        requireMayAct(applicationId, user);
        if (submissions.withdraw(applicationId, user.subject()) instanceof Submissions.Change.Refused refused) {
            throw new ApiProblems.Conflict("This application is " + refused.status() + " and can no longer be withdrawn");
        }
        return view.statusOf(applicationId).orElseThrow();
    }

    /** Batch mode: releases every held application to the agencies now, rather than at the next scheduled time. */
    @PostMapping("/releases")
    @PreAuthorize("hasRole('OPS')")
    Map<String, Integer> releaseNow() {
        return Map.of("released", releases.releaseHeld());
    }

    /** Refuses a caller who may not read the application; answers whether the caller is the enterprise that owns it. */
    private boolean requireMayRead(UUID applicationId, EportUser user) {
        Optional<String> owner = view.ownerOf(applicationId);
        boolean owns = StatusView.owns(user, owner);
        boolean mayRead = user.has(EportRole.CLERK) || user.has(EportRole.OPS) || owns;
        if (!mayRead || owner.isEmpty()) {
            // Someone else's application is "not found", not "forbidden": its existence is not theirs to learn.
            throw new ApiProblems.NotFound("No application " + applicationId + " of yours");
        }
        return owns;
    }

    private void requireMayAct(UUID applicationId, EportUser user) {
        Optional<String> owner = view.ownerOf(applicationId);
        if (!(user.has(EportRole.CLERK) || StatusView.owns(user, owner)) || owner.isEmpty()) {
            throw new ApiProblems.NotFound("No application " + applicationId + " of yours");
        }
    }
}
