package cn.eport.identifiers;

import java.util.Optional;
import java.util.function.Function;

/** The identifiers of DOMAIN.md, with their official names and their checks. */
public enum IdentifierKind {
    ORGANISATION_CODE("组织机构代码", "organisation code", OrganisationCode::problemWith),
    UNIFIED_SOCIAL_CREDIT_CODE("统一社会信用代码", "unified social credit code", UnifiedSocialCreditCode::problemWith),
    BUSINESS_REGISTRATION_NUMBER("工商注册号", "business registration number", BusinessRegistrationNumber::problemWith),
    TAX_REGISTRATION_NUMBER("税务登记号", "tax registration number", TaxRegistrationNumber::problemWith),
    RESIDENT_ID_NUMBER("居民身份证号码", "resident ID number", ResidentIdNumber::problemWith),
    CUSTOMS_REGISTRATION_CODE("海关注册编码", "customs registration code", CustomsRegistrationCode::problemWith);

    private final String zhName;
    private final String enName;
    private final Function<String, Optional<IdentifierProblem>> check;

    IdentifierKind(String zhName, String enName, Function<String, Optional<IdentifierProblem>> check) {
        this.zhName = zhName;
        this.enName = enName;
        this.check = check;
    }

    /** What is wrong with {@code value} as an identifier of this kind; empty when it is well formed. */
    public Optional<IdentifierProblem> problemWith(String value) {
        return check.apply(value);
    }

    public String zhName() {
        return zhName;
    }

    public String enName() {
        return enName;
    }
}
