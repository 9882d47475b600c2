package cn.eport.intake;

import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import cn.eport.web.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who read whose personal data, in every service: the enterprise sees the reads of its own
 * applications, OPS query them all.
 */
@RestController
@RequestMapping("/api")
class PersonalDataReadsController {

    private static final int MAX_ANSWERED = 1000;

    private final PersonalDataReadLog log;
    private final StatusView view;

    PersonalDataReadsController(PersonalDataReadLog log, StatusView view) {
        this.log = log;
        this.view = view;
    }

    /** Who read this application's personal data, newest first: for the enterprise it belongs to, and for OPS. */
    @GetMapping("/applications/{applicationId}/personal-data-reads")
    List<PersonalDataReadLog.Read> ofApplication(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        EportUser user = EportUser.from(token);
        Optional<String> owner = view.ownerOf(applicationId);
        if (owner.isEmpty() || !(StatusView.owns(user, owner) || user.has(EportRole.OPS))) {
            throw new ApiProblems.NotFound("No application " + applicationId + " of yours");
        }
        return log.ofApplication(applicationId, MAX_ANSWERED);
    }

    /** The reads matching every filter given, newest first, at most {@code limit} (1 to 1,000). */
    @GetMapping("/personal-data-reads")
    @PreAuthorize("hasRole('OPS')")
    List<PersonalDataReadLog.Read> query(@RequestParam(required = false) @Nullable UUID applicationId,
            @RequestParam(required = false) @Nullable String reader,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) @Nullable Instant to,
            @RequestParam(defaultValue = "100") int limit) {
        List<FieldError> problems = new ArrayList<>();
        if (limit < 1 || limit > MAX_ANSWERED) {
            problems.add(new FieldError("limit", "Range", "between 1 and " + MAX_ANSWERED));
        }
        if (reader != null && reader.length() > 128) {
            problems.add(new FieldError("reader", "Size", "at most 128 characters"));
        }
        if (!problems.isEmpty()) {
            throw new ApiProblems.InvalidInput(problems);
        }
        return log.matching(applicationId, reader, from, to, limit);
    }
}
