package cn.eport.agencycheck;

import cn.eport.contracts.Agency;
import cn.eport.contracts.Enterprise;
import cn.eport.identifiers.Disagreement;
import cn.eport.identifiers.IdentifierKind;
import cn.eport.identifiers.IdentifierProblem;
import cn.eport.identifiers.OrganisationCode;
import cn.eport.identifiers.UnifiedSocialCreditCode;
import java.util.ArrayList;
import java.util.List;
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
                Finding.code(agency, kind.name(), problem == IdentifierProblem.WRONG_CHECK_CHARACTER ? "CHECK_CHARACTER" : "MALFORMED"),
                kind.zhName() + " " + value + " " + problem.zh(),
                "The " + kind.enName() + " " + value + " " + problem.en() + "."));
    }

    /** A REJECT finding {@code <AGENCY>_<DISAGREEMENT>} for identifiers that name different organisations. */
    public static Finding disagreement(Agency agency, Disagreement disagreement) {
        return Finding.reject(Finding.code(agency, disagreement.name(), "DISAGREE"), disagreement.zh() + "。",
                capitalised(disagreement.en()) + ".");
    }

    /** A REJECT finding {@code <AGENCY>_<KIND>_MISSING} for a document the agency needs and the form lacks. */
    public static Finding missing(Agency agency, String what, String zhWhat, String enWhat) {
        return Finding.reject(Finding.code(agency, what.toUpperCase(Locale.ROOT), "MISSING"),
                "申请未提供" + zhWhat + "，请补充后重新提交。", "The application gives no " + enWhat + ": add it and submit again.");
    }

    /**
     * The organisation's identity on the form, for the agencies that file under the organisation
     * code: the organisation code or the USCC holding it must be given, and what is given well formed.
     */
    public static List<Finding> organisationIdentity(Agency agency, Enterprise enterprise) {
        if (enterprise.uscc() == null && enterprise.organisationCode() == null) {
            return List.of(missing(agency, "ORGANISATION_CODE", "组织机构代码或统一社会信用代码",
                    "organisation code or unified social credit code"));
        }
        List<Finding> findings = new ArrayList<>();
        malformed(agency, IdentifierKind.ORGANISATION_CODE, enterprise.organisationCode()).ifPresent(findings::add);
        malformed(agency, IdentifierKind.UNIFIED_SOCIAL_CREDIT_CODE, enterprise.uscc()).ifPresent(findings::add);
        return findings;
    }

    /** The nine characters of the organisation code: the code's own, or else characters 9-17 of the USCC. */
    public static String organisationCode(Enterprise enterprise) {
        return enterprise.organisationCode() != null
                ? OrganisationCode.compact(enterprise.organisationCode())
                : UnifiedSocialCreditCode.organisationCode(enterprise.uscc());
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
