package cn.eport.intake;

import cn.eport.identifiers.Disagreement;
import cn.eport.identifiers.IdentifierKind;
import cn.eport.web.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Everything intake can tell from the form alone, collected in one pass so the applicant sees every
 * bad field at once: presence and lengths, the identifiers' shapes and check characters, that the
 * enterprise gives its USCC or the full legacy trio, and that the identifiers it gives agree.
 */
@Component
class FormChecks {

    private final Validator validator;

    FormChecks(Validator validator) {
        this.validator = validator;
    }

    List<FieldError> problemsWith(ApplicationForm form) {
        List<FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<ApplicationForm> violation : validator.validate(form)) {
            errors.add(new FieldError(field(violation.getPropertyPath()),
                    violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName(),
                    violation.getMessage()));
        }
        if (form.enterprise() != null) {
            errors.addAll(identifierProblems(form.enterprise()));
        }
        if (form.legalRepresentative() != null) {
            check(errors, "legalRepresentative.idNumber", IdentifierKind.RESIDENT_ID_NUMBER, form.legalRepresentative().idNumber());
        }
        if (form.operators() != null) {
            for (int i = 0; i < form.operators().size(); i++) {
                ApplicationForm.OperatorForm operator = form.operators().get(i);
                if (operator != null) {
                    check(errors, "operators[" + i + "].idNumber", IdentifierKind.RESIDENT_ID_NUMBER, operator.idNumber());
                }
            }
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::code));
        return errors.stream().distinct().toList();
    }

    private static List<FieldError> identifierProblems(ApplicationForm.EnterpriseForm enterprise) {
        List<FieldError> errors = new ArrayList<>();
        String uscc = upper(enterprise.uscc());
        String organisationCode = upper(enterprise.organisationCode());
        String businessNumber = upper(enterprise.businessRegistrationNumber());
        String taxNumber = upper(enterprise.taxRegistrationNumber());
        boolean wellFormed = check(errors, "enterprise.uscc", IdentifierKind.UNIFIED_SOCIAL_CREDIT_CODE, uscc)
                & check(errors, "enterprise.organisationCode", IdentifierKind.ORGANISATION_CODE, organisationCode)
                & check(errors, "enterprise.businessRegistrationNumber", IdentifierKind.BUSINESS_REGISTRATION_NUMBER, businessNumber)
                & check(errors, "enterprise.taxRegistrationNumber", IdentifierKind.TAX_REGISTRATION_NUMBER, taxNumber);
        check(errors, "enterprise.customsRegistrationCode", IdentifierKind.CUSTOMS_REGISTRATION_CODE,
                upper(enterprise.customsRegistrationCode()));
        if (uscc == null) {
            for (String[] legacy : new String[][] {
                    {"organisationCode", organisationCode}, {"businessRegistrationNumber", businessNumber},
                    {"taxRegistrationNumber", taxNumber}}) {
                if (legacy[1] == null) {
                    errors.add(new FieldError("enterprise." + legacy[0], "USCC_OR_LEGACY_TRIO",
                            "is required when no unified social credit code is given (统一社会信用代码或组织机构代码、工商注册号、税务登记号三者必填其一)"));
                }
            }
        }
        if (wellFormed) {
            for (Disagreement disagreement : Disagreement.among(uscc, organisationCode, taxNumber)) {
                String field = disagreement == Disagreement.USCC_AND_ORGANISATION_CODE ? "enterprise.organisationCode" : "enterprise.taxRegistrationNumber";
                errors.add(new FieldError(field, "DISAGREES_" + disagreement.name(), disagreement.en() + " (" + disagreement.zh() + ")"));
            }
        }
        return errors;
    }

    /** Adds the problem with a present identifier; true when it is absent or well formed. */
    private static boolean check(List<FieldError> errors, String field, IdentifierKind kind, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        return kind.problemWith(value.strip().toUpperCase(Locale.ROOT))
                .map(problem -> errors.add(new FieldError(field, problem.name(),
                        kind.enName() + " " + problem.en() + " (" + kind.zhName() + problem.zh() + ")")))
                .isEmpty();
    }

    /**
     * The field as the applicant wrote it: {@code operators[0].idNumber}, and {@code operators[0]} for
     * a null element, where the validator's own rendering would say {@code operators[0].<list element>}.
     */
    private static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey() != null ? node.getKey() : "").append(']');
            }
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    static @Nullable String upper(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip().toUpperCase(Locale.ROOT);
    }
}
