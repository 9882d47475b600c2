package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * An agency's check of one revision has used 80 % of its statutory time limit (时限), or all of it,
 * without a final verdict. Written by that agency's service to {@link Topics#deadlines(Agency)}, at
 * most once per level and check; the dashboard lists them and integrators may follow them. Time is
 * working time on the Chinese calendar (public holidays off, make-up working days on), counted in
 * China Standard Time; time waiting on the agency's registry counts, because the applicant waits
 * all the same, and is also given on its own.
 *
 * @param applicationId              the application, and the record key
 * @param revision                   the revision checked
 * @param agency                     whose check it is
 * @param level                      {@code WARNING} at 80 % of the limit, {@code BREACH} at the limit
 * @param acceptedAt                 when the agency accepted the check: the clock's start
 * @param deadline                   when the limit ends
 * @param timeLimitWorkingDays       the agency's limit, in working days, when it accepted the check
 * @param workingHoursUsed           working time from acceptance to {@code raisedAt}, in hours
 * @param registryOutageWorkingHours of that, the working time the check was parked on a registry outage
 * @param waitingFor                 {@code CHECK} (the registry and the rules) or {@code REVIEWER} (referred)
 * @param raisedAt                   when the agency raised it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckEscalated(UUID applicationId, int revision, Agency agency, Level level, Instant acceptedAt, Instant deadline,
        int timeLimitWorkingDays, double workingHoursUsed, double registryOutageWorkingHours, WaitingFor waitingFor,
        Instant raisedAt) implements ApplicationEvent {

    /** How far the check is through its limit. */
    public enum Level {
        /** 80 % of the limit used. */
        WARNING,
        /** The limit is reached. */
        BREACH
    }

    /** What the check waits for. */
    public enum WaitingFor {
        /** The registry's answer and the rules' decision: a check not yet decided, parked or not. */
        CHECK,
        /** A reviewer of the agency: the rules referred the case. */
        REVIEWER
    }
}
