package cn.eport.intake;

import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.Channel;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.FieldError;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Submit an application and follow it. An enterprise account submits and reads its own; a customs
 * clerk keys in a paper application for an enterprise account and may read any; ops may read any.
 */
@RestController
@RequestMapping("/api/applications")
class ApplicationsController {

    private final FormChecks checks;
    private final Submissions submissions;
    private final StatusView view;

    ApplicationsController(FormChecks checks, Submissions submissions, StatusView view) {
        this.checks = checks;
        this.submissions = submissions;
        this.view = view;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAnyRole('APPLICANT', 'CLERK')")
    ResponseEntity<ApplicationStatus> submit(@RequestBody ApplicationForm form, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        List<FieldError> problems = checks.problemsWith(form);
        boolean keyedByClerk = user.has(EportRole.CLERK);
        if (keyedByClerk && form.enterpriseAccount() == null) {
            problems = append(problems, new FieldError("enterpriseAccount", "NotBlank",
                    "a clerk keying in a paper application names the enterprise account it belongs to"));
        }
        if (!keyedByClerk && form.enterpriseAccount() != null) {
            problems = append(problems, new FieldError("enterpriseAccount", "NotAllowed",
                    "only a customs clerk files an application for another account"));
        }
        if (!problems.isEmpty()) {
            throw new ApiProblems.InvalidInput(problems);
        }
        ApplicationSubmitted submitted = keyedByClerk
                ? submissions.submit(form, form.enterpriseAccount(), Channel.PAPER, user.subject())
                : submissions.submit(form, user.subject(), Channel.ONLINE, user.subject());
        return ResponseEntity.created(URI.create("/api/applications/" + submitted.applicationId()))
                .body(view.statusOf(submitted.applicationId()).orElseThrow());
    }

    @GetMapping("/{applicationId}")
    ApplicationStatus status(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        boolean mayRead = user.has(EportRole.CLERK) || user.has(EportRole.OPS)
                || view.ownerOf(applicationId).map(owner -> owner.equals(user.subject()) && user.has(EportRole.APPLICANT)).orElse(false);
        // Someone else's application is "not found", not "forbidden": its existence is not theirs to learn.
        return view.statusOf(applicationId).filter(found -> mayRead)
                .orElseThrow(() -> new ApiProblems.NotFound("No application " + applicationId + " of yours"));
    }

    @GetMapping
    @PreAuthorize("hasRole('APPLICANT')")
    List<ApplicationStatus> mine(@AuthenticationPrincipal Jwt token) {
        return view.applicationsOf(token.getSubject()).stream().flatMap(id -> view.statusOf(id).stream()).toList();
    }

    private static List<FieldError> append(List<FieldError> errors, FieldError error) {
        List<FieldError> all = new java.util.ArrayList<>(errors);
        all.add(error);
        return all;
    }
}
