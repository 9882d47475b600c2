package cn.eport.identifiers;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Two identifiers on one form that name different organisations. Since 2015 (三证合一) characters
 * 9-17 of the USCC are the organisation code, and the legacy tax registration number is an area
 * code followed by the organisation code; when a form carries more than one, they must agree.
 */
public enum Disagreement {
    USCC_AND_ORGANISATION_CODE(
            "统一社会信用代码第9至17位应与组织机构代码一致",
            "characters 9-17 of the unified social credit code must equal the organisation code"),
    TAX_NUMBER_AND_ORGANISATION_CODE(
            "税务登记号后9位应与组织机构代码一致",
            "the last nine characters of the tax registration number must equal the organisation code"),
    TAX_NUMBER_AND_USCC(
            "税务登记号后9位应与统一社会信用代码第9至17位一致",
            "the last nine characters of the tax registration number must equal characters 9-17 of the unified social credit code");

    private final String zh;
    private final String en;

    Disagreement(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public String zh() {
        return zh;
    }

    public String en() {
        return en;
    }

    /**
     * The disagreements among the identifiers present. Each identifier given must already be well
     * formed ({@link IdentifierKind#problemWith}); absent ones are {@code null} and agree with anything.
     */
    public static List<Disagreement> among(@Nullable String uscc, @Nullable String organisationCode,
            @Nullable String taxRegistrationNumber) {
        List<Disagreement> found = new ArrayList<>();
        String fromUscc = uscc == null ? null : UnifiedSocialCreditCode.organisationCode(uscc);
        String fromCode = organisationCode == null ? null : OrganisationCode.compact(organisationCode);
        String fromTax = taxRegistrationNumber == null ? null : TaxRegistrationNumber.organisationCode(taxRegistrationNumber);
        if (fromUscc != null && fromCode != null && !fromUscc.equals(fromCode)) {
            found.add(USCC_AND_ORGANISATION_CODE);
        }
        if (fromTax != null && fromCode != null && !fromTax.equals(fromCode)) {
            found.add(TAX_NUMBER_AND_ORGANISATION_CODE);
        }
        if (fromTax != null && fromCode == null && fromUscc != null && !fromTax.equals(fromUscc)) {
            found.add(TAX_NUMBER_AND_USCC);
        }
        return List.copyOf(found);
    }
}
