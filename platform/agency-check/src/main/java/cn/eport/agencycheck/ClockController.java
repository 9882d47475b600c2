package cn.eport.agencycheck;

import cn.eport.workingdays.WorkingDayCalendar;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.FieldError;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agency's statutory clock, for its reviewers and the liaison office: the open checks that
 * were warned about or breached their limit, the oldest open check against it, and the monthly SLA
 * report as JSON or CSV.
 */
@RestController
@RequestMapping("/api/clock")
class ClockController {

    private static final int MAX_MONTHS = 24;
    private static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

    private final AgencyRules rules;
    private final Checks checks;
    private final StatutoryClock clock;

    ClockController(AgencyRules rules, Checks checks, StatutoryClock clock) {
        this.rules = rules;
        this.checks = checks;
        this.clock = clock;
    }

    /** An open check on the clock: how much of its limit it has used, in working hours and as a share. */
    record OpenCheck(UUID applicationId, int revision, String waitingFor, Instant acceptedAt, @Nullable Instant deadline,
            double workingHoursUsed, @Nullable Double shareOfLimitUsed, boolean breached) {
    }

    /** The clock now: the limit, the oldest open check, and the open checks warned about or breached, breached first. */
    record Overview(String agency, int timeLimitWorkingDays, Instant now, @Nullable OpenCheck oldestOpen, List<OpenCheck> escalated) {
    }

    @GetMapping
    Overview overview(@AuthenticationPrincipal Jwt token) {
        requireReviewerOfThisAgencyOrOps(token);
        Instant now = clock.now();
        return new Overview(rules.agency().id(), clock.limitWorkingDays(), now,
                checks.oldestOpen().map(open -> openCheck(open, now)).orElse(null),
                checks.escalatedOpen(200).stream().map(open -> openCheck(open, now)).toList());
    }

    /**
     * The SLA report of each month from {@code from} to {@code to} (both {@code YYYY-MM}, China
     * Standard Time; the current month by default), at most two years: JSON, or CSV with
     * {@code Accept: text/csv} or {@code format=csv}.
     */
    @GetMapping(path = "/report", produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    ResponseEntity<?> report(@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String format,
            @org.springframework.web.bind.annotation.RequestHeader(name = "Accept", required = false) @Nullable String accept,
            @AuthenticationPrincipal Jwt token) {
        requireReviewerOfThisAgencyOrOps(token);
        YearMonth current = YearMonth.from(clock.now().atZone(cn.eport.workingdays.WorkingDayCalendar.CHINA_STANDARD_TIME));
        YearMonth first = month("from", from, current);
        YearMonth last = month("to", to, to == null && from != null ? first : current);
        if (last.isBefore(first) || first.plusMonths(MAX_MONTHS - 1).isBefore(last)) {
            throw new ApiProblems.InvalidInput(List.of(new FieldError("to", "RANGE",
                    "from " + first + " to " + last + " is not a span of 1 to " + MAX_MONTHS + " months")));
        }
        List<ClockReport> months = new ArrayList<>();
        for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
            Instant start = ClockReport.start(month);
            Instant end = ClockReport.start(month.plusMonths(1));
            months.add(ClockReport.of(rules.agency().id(), month, clock.limitWorkingDays(), checks.decidedBetween(start, end),
                    checks.breachedBetween(start, end), clock));
        }
        boolean csv = "csv".equalsIgnoreCase(format) || (format == null && accept != null && accept.contains("text/csv"));
        if (csv) {
            StringBuilder body = new StringBuilder(ClockReport.CSV_HEADER).append("\r\n");
            months.forEach(month -> body.append(month.csvRow()).append("\r\n"));
            return ResponseEntity.ok().contentType(CSV)
                    .header("Content-Disposition", "attachment; filename=\"" + rules.agency().id() + "-clock-" + first + "-" + last + ".csv\"")
                    .body(body.toString());
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(months);
    }

    private OpenCheck openCheck(Checks.Open open, Instant now) {
        double used = WorkingDayCalendar.hoursOf(clock.workingTime(open.acceptedAt(), now));
        Double share = open.deadline() == null ? null
                : Math.round(100.0 * used / (24.0 * clock.limitWorkingDays())) / 100.0;
        return new OpenCheck(open.applicationId(), open.revision(), "REFERRED".equals(open.state()) ? "REVIEWER" : "CHECK",
                open.acceptedAt(), open.deadline(), used, share, open.breachedAt() != null);
    }

    private static YearMonth month(String name, @Nullable String text, YearMonth otherwise) {
        if (text == null) {
            return otherwise;
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiProblems.InvalidInput(List.of(new FieldError(name, "YEAR_MONTH", "a month as YYYY-MM, such as 2026-10")));
        }
    }

    private void requireReviewerOfThisAgencyOrOps(Jwt token) {
        EportUser user = EportUser.from(token);
        if (!user.has(EportRole.OPS) && !(user.has(EportRole.REVIEWER) && rules.agency().id().equals(user.agency()))) {
            throw new AccessDeniedException("only reviewers of " + rules.agency().id() + " and the liaison office see its clock");
        }
    }
}
