package cn.eport.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ops' view of this service's quarantine, and the replay once the cause is fixed. Every service that
 * consumes has it, at the same path.
 */
@RestController
@RequestMapping("/api/quarantine")
@PreAuthorize("hasRole('OPS')")
@Validated
class QuarantineController {

    private final Quarantine quarantine;
    private final EventConsumer consumer;

    QuarantineController(Quarantine quarantine, EventConsumer consumer) {
        this.quarantine = quarantine;
        this.consumer = consumer;
    }

    /** The records still quarantined, oldest first; with {@code all=true} the replayed ones too. */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    List<Quarantine.Entry> entries(@RequestParam(defaultValue = "false") boolean all,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return quarantine.entries(!all, limit);
    }

    /** Which records to replay: the keys the quarantine lists, or none for every open one. */
    record Replay(@Nullable @Size(max = 1000) List<@NotBlank @Size(max = 200) String> eventKeys) {
    }

    @PostMapping(path = "/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    EventConsumer.ReplayOutcome replay(@Valid @RequestBody(required = false) @Nullable Replay replay) {
        return consumer.replay(replay == null || replay.eventKeys() == null ? List.of() : replay.eventKeys());
    }
}
