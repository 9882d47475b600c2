package cn.eport.web;

/**
 * One bad field of a request, in the {@code errors} member of a problem detail.
 *
 * @param field   the field's path in the request body: {@code enterprise.organisationCode}, {@code operators[0].idNumber}
 * @param code    a stable code: {@code NotBlank}, {@code Size}, {@code WRONG_CHECK_CHARACTER}, {@code UNKNOWN_VALUE} ...
 * @param message what is wrong, for a person
 */
public record FieldError(String field, String code, String message) {
}
