package cn.eport.telecom;

import cn.eport.contracts.TelecomRegistered;
import cn.eport.identifiers.AppointmentSlipNumber;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.messaging.Outbox;
import cn.eport.web.ApiProblems;
import cn.eport.web.EportUser;
import cn.eport.web.FieldError;
import cn.eport.web.Idempotent;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The telecom clerk's counter: registers the enterprise code of the slip the enterprise presents,
 * with the 17999 card sold to it. Once per application; the code must be the enterprise's.
 */
@RestController
@RequestMapping("/api/registrations")
class RegistrationsController {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;

    RegistrationsController(JdbcClient jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What the clerk keys in at the counter. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Registration(@NotBlank @Size(max = 15) String slipNumber, @NotBlank @Size(max = 10) String enterpriseCode,
            @NotBlank @Pattern(regexp = "17999[0-9]{6}", message = "is 17999 followed by six digits") String networkCardNumber) {
    }

    /**
     * With an {@code Idempotency-Key}, a clerk whose answer was lost sends the registration again
     * and gets the first answer, where a plain repeat would be a 409 (the slip is registered already).
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('TELECOM')")
    @ResponseStatus(HttpStatus.CREATED)
    @Idempotent
    @Transactional
    TelecomRegistered register(@Valid @RequestBody Registration registration, @AuthenticationPrincipal Jwt token) {
        String slip = registration.slipNumber().strip().toUpperCase(Locale.ROOT);
        String code = registration.enterpriseCode().strip().toUpperCase(Locale.ROOT);
        List<FieldError> errors = new ArrayList<>();
        if (!AppointmentSlipNumber.isWellFormed(slip)) {
            errors.add(new FieldError("slipNumber", "WRONG_CHECK_CHARACTER", "is not an appointment slip number: check it for a typing error"));
        }
        if (OrganisationCode.problemWith(code).isPresent()) {
            errors.add(new FieldError("enterpriseCode", OrganisationCode.problemWith(code).get().name(),
                    "is not a well-formed organisation code"));
        }
        if (!errors.isEmpty()) {
            throw new ApiProblems.InvalidInput(errors);
        }
        List<Slip> holders = jdbc.sql("SELECT application_id, organisation_code, withdrawn FROM applications WHERE slip_number = ?")
                .param(slip)
                .query((rs, n) -> new Slip(rs.getObject("application_id", UUID.class), rs.getString("organisation_code"),
                        rs.getBoolean("withdrawn")))
                .list();
        if (holders.isEmpty()) {
            throw new ApiProblems.NotFound("No application has slip " + slip);
        }
        if (holders.size() > 1) {
            throw new ApiProblems.Conflict("Slip " + slip + " belongs to " + holders.size() + " applications: ask the liaison office");
        }
        Slip found = holders.get(0);
        if (!found.organisationCode().equals(OrganisationCode.compact(code))) {
            throw new ApiProblems.InvalidInput(List.of(new FieldError("enterpriseCode", "NOT_THIS_ENTERPRISE",
                    "is not the organisation code of the enterprise that holds slip " + slip)));
        }
        if (found.withdrawn()) {
            throw new ApiProblems.Conflict("The application of slip " + slip + " was withdrawn");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String clerk = EportUser.from(token).subject();
        try {
            jdbc.sql("INSERT INTO registrations (application_id, network_card_number, registered_at, registered_by) VALUES (?, ?, ?, ?)")
                    .params(found.applicationId(), registration.networkCardNumber(), Timestamp.from(now), clerk).update();
        } catch (DuplicateKeyException e) {
            throw new ApiProblems.Conflict("Slip " + slip + " is registered already, or card " + registration.networkCardNumber()
                    + " is in use");
        }
        TelecomRegistered registered = new TelecomRegistered(found.applicationId(), slip, found.organisationCode(),
                registration.networkCardNumber(), now, clerk);
        outbox.publish(registered);
        return registered;
    }

    @GetMapping("/{slipNumber}")
    @PreAuthorize("hasAnyRole('TELECOM', 'OPS')")
    TelecomRegistered registration(@PathVariable String slipNumber) {
        return jdbc.sql("""
                        SELECT a.application_id, a.slip_number, a.organisation_code, r.network_card_number, r.registered_at, r.registered_by
                        FROM registrations r JOIN applications a USING (application_id) WHERE a.slip_number = ?""")
                .param(slipNumber)
                .query((rs, n) -> new TelecomRegistered(rs.getObject("application_id", UUID.class), rs.getString("slip_number"),
                        rs.getString("organisation_code"), rs.getString("network_card_number"),
                        rs.getTimestamp("registered_at").toInstant(), rs.getString("registered_by")))
                .optional()
                .orElseThrow(() -> new ApiProblems.NotFound("Slip " + slipNumber + " is not registered"));
    }

    private record Slip(UUID applicationId, String organisationCode, boolean withdrawn) {
    }
}
