package cn.eport.intake;

import cn.eport.contracts.EvidenceBundle;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.PersonalDataReads;
import cn.eport.web.Problems;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A case's evidence bundle as one file (docs/evidence.md), for the enterprise it belongs to and for
 * OPS; the offline verifier ({@code tools/evidence-verifier}) checks it without the system.
 */
@RestController
class EvidenceController {

    private static final Logger log = LoggerFactory.getLogger(EvidenceController.class);

    private final EvidenceExport export;
    private final StatusView view;
    private final PersonalDataReads reads;

    EvidenceController(EvidenceExport export, StatusView view, PersonalDataReads reads) {
        this.export = export;
        this.view = view;
        this.reads = reads;
    }

    @GetMapping("/api/applications/{applicationId}/evidence")
    ResponseEntity<EvidenceBundle> evidence(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        Optional<String> owner = view.ownerOf(applicationId);
        boolean own = StatusView.owns(user, owner);
        if (owner.isEmpty() || !(own || user.has(EportRole.OPS))) {
            throw new ApiProblems.NotFound("No application " + applicationId + " of yours");
        }
        EvidenceBundle bundle = export.bundleOf(applicationId, user.subject());
        if (!own) {
            // The bundle holds the application as submitted: the legal representative's and the operators' data.
            reads.record(user, applicationId, List.of("legalRepresentative", "operators[]", "enterprise.contact"),
                    "GET /api/applications/{applicationId}/evidence");
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"evidence-" + applicationId + ".json\"")
                .body(bundle);
    }

    @ExceptionHandler(EvidenceExport.PartUnavailable.class)
    ResponseEntity<ProblemDetail> partUnavailable(EvidenceExport.PartUnavailable e) {
        log.warn("Evidence bundle not exported: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "30")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, URI.create("https://eport.cn/problems/evidence-incomplete"),
                        "The bundle would be incomplete, so none is given: " + e.getMessage()));
    }
}
