package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * The applicant (or a clerk for them) withdrew the application: every check stops, no card set is
 * issued, and verdicts arriving later change nothing. Written by intake to {@link Topics#APPLICATIONS}.
 *
 * @param applicationId the application, and the record key
 * @param revision      the revision that was current when it was withdrawn
 * @param withdrawnAt   when
 * @param withdrawnBy   the account that withdrew it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApplicationWithdrawn(UUID applicationId, int revision, Instant withdrawnAt, String withdrawnBy)
        implements ApplicationEvent {
}
