package cn.eport.web;

import cn.eport.contracts.EvidenceBundle;
import cn.eport.messaging.DecisionEvidence;
import cn.eport.messaging.EvidenceGrants;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * This service's decision log, for evidence (docs/evidence.md): one case's part of its bundle, for ops
 * or for intake on behalf of a caller it authorized ({@link EvidenceGrants}), and the whole chain
 * checked against its seals, for ops.
 */
@RestController
class DecisionLogController {

    private final DecisionEvidence evidence;
    private final EvidenceGrants grants;

    DecisionLogController(DecisionEvidence evidence, EvidenceGrants grants) {
        this.evidence = evidence;
        this.grants = grants;
    }

    /**
     * Public to the security filter, so that intake's grant alone opens it; checked here: an OPS token
     * or a grant for this very case.
     */
    @GetMapping("/eport/evidence/{applicationId}")
    EvidenceBundle.ServiceEvidence partOf(@PathVariable UUID applicationId,
            @RequestHeader(name = EvidenceGrants.HEADER, required = false) @Nullable String grant) {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        boolean ops = caller != null && caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals(EportRole.OPS.authority()));
        if (!ops && !grants.permits(grant, applicationId)) {
            throw new AccessDeniedException("Evidence of a case is for ops, or for intake with a grant for that case");
        }
        return evidence.partOf(applicationId);
    }

    /** Every entry recomputed and every seal checked: how a row changed in the database is found. */
    @GetMapping("/api/decision-log/check")
    @PreAuthorize("hasRole('OPS')")
    DecisionEvidence.ChainCheck check() {
        return evidence.check();
    }
}
