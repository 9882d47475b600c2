package cn.eport.dashboard;

import cn.eport.identifiers.ResidentIdNumber;
import cn.eport.web.ApiProblems;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's data, for the OPS role only (the page at {@code /} is static and public; it holds
 * nothing until an OPS token fetches this). The live stream alone also takes the token as the
 * {@code access_token} query parameter, because a browser's EventSource cannot send headers.
 */
@RestController
@RequestMapping("/api/dashboard")
@PreAuthorize("hasRole('OPS')")
class DashboardController {

    static final String STREAM = "/api/dashboard/stream";

    private final DashboardView view;
    private final SnapshotStream stream;

    DashboardController(DashboardView view, SnapshotStream stream) {
        this.view = view;
        this.stream = stream;
    }

    @GetMapping
    Snapshot snapshot() {
        return view.snapshot();
    }

    /** The timeline of one application, found by its id or its appointment slip number. */
    @GetMapping("/timeline")
    Timeline timeline(@RequestParam("q") @NotBlank @Size(max = 64) String q) {
        // The query is echoed masked: someone may well paste a person's ID number into the search box.
        return view.timeline(q).orElseThrow(() -> new ApiProblems.NotFound("No application with the id or slip number "
                + ResidentIdNumber.maskedWithin(q.strip()) + " has been seen on the topics"));
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream() {
        return stream.watch();
    }
}
