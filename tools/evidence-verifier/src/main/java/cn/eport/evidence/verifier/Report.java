package cn.eport.evidence.verifier;

import cn.eport.contracts.EvidenceBundle;
import java.util.List;
import java.util.UUID;

/**
 * What the verifier found in one bundle: every finding in the order it was made, and the bundle's
 * timeline to print alongside. The bundle holds when no finding FAILS.
 */
public final class Report {

    private final String format;
    private final UUID applicationId;
    private final String exportedAt;
    private final String exportedBy;
    private final List<EvidenceBundle.TimelineEvent> timeline;
    private final List<Finding> findings;

    Report(EvidenceBundle bundle, List<Finding> findings) {
        this.format = bundle.format();
        this.applicationId = bundle.applicationId();
        this.exportedAt = bundle.exportedAt() == null ? null : bundle.exportedAt().toString();
        this.exportedBy = bundle.exportedBy();
        this.timeline = bundle.timeline() == null ? List.of() : bundle.timeline().stream().filter(e -> e != null).toList();
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }

    /** The problems: every finding that FAILS. */
    public List<Finding> failures() {
        return of(Finding.Status.FAILS);
    }

    public List<Finding> warnings() {
        return of(Finding.Status.WARN);
    }

    public List<Finding> of(Finding.Status status) {
        return findings.stream().filter(f -> f.status() == status).toList();
    }

    public int problems() {
        return failures().size();
    }

    /** True when nothing fails (warnings do not make a bundle fail). */
    public boolean holds() {
        return problems() == 0;
    }

    public UUID applicationId() {
        return applicationId;
    }

    public List<EvidenceBundle.TimelineEvent> timeline() {
        return timeline;
    }

    /** The final line: {@code The bundle holds.} or {@code The bundle does NOT hold: N problems.} */
    public String verdict() {
        int problems = problems();
        return problems == 0 ? "The bundle holds."
                : "The bundle does NOT hold: " + problems + (problems == 1 ? " problem." : " problems.");
    }

    /** Everything as the command prints it: what the bundle is, its timeline, each finding, the verdict. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("Evidence bundle ").append(Text.printable(format)).append(" of application ").append(applicationId)
                .append(", exported ").append(exportedAt).append(" by ").append(Text.printable(exportedBy)).append('\n');
        out.append('\n').append("Timeline (as the bundle tells it; informational):").append('\n');
        if (timeline.isEmpty()) {
            out.append("  (none)").append('\n');
        }
        for (EvidenceBundle.TimelineEvent event : timeline) {
            out.append("  ").append(Text.printable(event.at())).append("  ").append(Text.printable(event.service())).append("  ")
                    .append(Text.printable(event.type()))
                    .append("  seq ").append(event.seq());
            if (event.summary() != null && !event.summary().isBlank()) {
                out.append("  ").append(Text.printable(event.summary()));
            }
            out.append('\n');
        }
        out.append('\n').append("Checks:").append('\n');
        for (Finding finding : findings) {
            out.append(finding.line()).append('\n');
        }
        out.append('\n').append(verdict()).append('\n');
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
