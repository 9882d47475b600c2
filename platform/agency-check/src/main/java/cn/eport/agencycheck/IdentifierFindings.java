package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import cn.eport.identifiers.Disagreement;
import cn.eport.identifiers.IdentifierKind;
import cn.eport.identifiers.IdentifierProblem;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The identifier rules every agency applies to the documents it reviews, as findings with reason
 * codes in the agency's own namespace. Intake runs the same checks and refuses such input with a
 * 400, so these fire only for applications that reached the topic another way; they are the
 * agency's own defence, not a second opinion.
 */
public final class IdentifierFindings {

    private IdentifierFindings() {
    }

    /**
     * A REJECT finding when {@code value} is present and not a well-formed identifier of its kind. Codes:
     * {@code <AGENCY>_<KIND>_CHECK_CHARACTER} for a wrong check character, {@code <AGENCY>_<KIND>_MALFORMED} otherwise.
     */
    public static Optional<Finding> malformed(Agency agency, IdentifierKind kind, @Nullable String value) {
        if (value == null) {
            return Optional.empty();
        }
        return kind.problemWith(value).map(problem -> Finding.reject(
                agency.name() + "_" + kind.name() + (problem == IdentifierProblem.WRONG_CHECK_CHARACTER ? "_CHECK_CHARACTER" : "_MALFORMED"),
                kind.zhName() + " " + value + " " + problem.zh(),
                "The " + kind.enName() + " " + value + " " + problem.en() + "."));
    }

    /** A REJECT finding {@code <AGENCY>_<DISAGREEMENT>} for identifiers that name different organisations. */
    public static Finding disagreement(Agency agency, Disagreement disagreement) {
        return Finding.reject(agency.name() + "_" + disagreement.name() + "_DISAGREE", disagreement.zh() + "。",
                capitalised(disagreement.en()) + ".");
    }

    /** A REJECT finding {@code <AGENCY>_<KIND>_MISSING} for a document the agency needs and the form lacks. */
    public static Finding missing(Agency agency, String what, String zhWhat, String enWhat) {
        return Finding.reject(agency.name() + "_" + what.toUpperCase(Locale.ROOT) + "_MISSING",
                "申请未提供" + zhWhat + "，请补充后重新提交。", "The application gives no " + enWhat + ": add it and submit again.");
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
