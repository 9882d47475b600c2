package cn.eport.intake;

import static cn.eport.intake.SampleForm.valid;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import cn.eport.contracts.Agency;
import cn.eport.contracts.ApplicationSubmitted;
import cn.eport.contracts.CardHolder;
import cn.eport.contracts.Channel;
import cn.eport.contracts.Enterprise;
import cn.eport.contracts.EnterpriseType;
import cn.eport.web.ApiSecurityAutoConfiguration;
import cn.eport.web.EportRole;
import cn.eport.web.PersonalDataReads;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The intake API as a client meets it: bad input is a 400 problem naming every bad field, never a
 * 5xx; only applicants and clerks submit; an applicant sees only its own applications.
 *
 * <p>The slice runs the service's own configuration ({@code intake.yml} plus the platform defaults)
 * and the platform's security: {@code @WebMvcTest} brings the OAuth2 resource server but neither
 * Boot's web security nor our {@link ApiSecurityAutoConfiguration}, so they are imported. The token
 * decoder is a mock, so no key is configured (the platform defaults demand
 * {@code EPORT_JWT_PUBLIC_KEY_LOCATION}; it is set empty): most tests present an already-decoded token
 * with {@code jwt()}, and one sends a bearer header through the real mapping of the {@code roles} claim.
 */
@WebMvcTest(controllers = ApplicationsController.class, properties = {"spring.config.name=intake", "EPORT_JWT_PUBLIC_KEY_LOCATION="})
@Import(FormChecks.class)
@ImportAutoConfiguration({ApiSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
        ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class})
class ApplicationsControllerTest {

    private static final String APPLICATIONS = "/api/applications";
    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final UUID APPLICATION = UUID.fromString("0f1e2d3c-4b5a-4697-8877-665544332211");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    Submissions submissions;

    @MockitoBean
    StatusView view;

    @MockitoBean
    Releases releases;

    @MockitoBean
    PersonalDataReads reads;

    @MockitoBean
    Timeline timeline;

    @MockitoBean
    JwtDecoder tokens;

    // --- 201 ---------------------------------------------------------------------------------

    @Test
    void anApplicantSubmittingAValidFormGets201WithTheLocationOfItsApplication() throws Exception {
        submissionsAccept("enterprise-1", Channel.ONLINE, "enterprise-1");

        submit(valid(), applicant("enterprise-1"))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.LOCATION, APPLICATIONS + "/" + APPLICATION))
                .andExpect(jsonPath("$.applicationId").value(APPLICATION.toString()))
                .andExpect(jsonPath("$.status").value("SUBMITTED"))
                .andExpect(jsonPath("$.agencies", hasSize(6)));
    }

    @Test
    void aClerkFilesAPaperApplicationUnderTheEnterpriseAccountItNames() throws Exception {
        submissionsAccept("enterprise-7", Channel.PAPER, "clerk-3");

        submit(valid().with("enterpriseAccount", "enterprise-7"), clerk("clerk-3"))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.LOCATION, APPLICATIONS + "/" + APPLICATION));

        verify(submissions).submit(any(), eq("enterprise-7"), eq(Channel.PAPER), eq("clerk-3"));
    }

    @Test
    void theRolesClaimOfARealBearerTokenDecidesWhoMaySubmit() throws Exception {
        given(tokens.decode("applicant-token")).willReturn(token("applicant-token", "enterprise-1", "applicant"));
        given(tokens.decode("reviewer-token")).willReturn(token("reviewer-token", "tax-reviewer-1", "REVIEWER"));
        submissionsAccept("enterprise-1", Channel.ONLINE, "enterprise-1");

        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(valid().json())
                        .header(HttpHeaders.AUTHORIZATION, "Bearer applicant-token"))
                .andExpect(status().isCreated());
        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(valid().json())
                        .header(HttpHeaders.AUTHORIZATION, "Bearer reviewer-token"))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    // --- 400: bad input, every bad field named -----------------------------------------------

    @Test
    void missingFieldsAre400NamingEachOne() throws Exception {
        SampleForm form = valid().without("enterprise.name").without("enterprise.type")
                .without("legalRepresentative.idNumber").without("operators");

        submit(form, applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/invalid-input"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder(
                        "enterprise.name", "enterprise.type", "legalRepresentative.idNumber", "operators")))
                .andExpect(jsonPath("$.errors[*].code").value(containsInAnyOrder("NotBlank", "NotNull", "NotBlank", "NotEmpty")));
        verifyNoInteractions(submissions);
    }

    @Test
    void anEmptyObjectIs400NamingEachMissingPart() throws Exception {
        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content("{}").with(applicant("enterprise-1")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("enterprise", "legalRepresentative", "operators")));
    }

    @Test
    void wrongCheckCharactersAre400NamingEachIdentifier() throws Exception {
        SampleForm form = valid()
                .with("enterprise.uscc", "91350100M000100Y44")
                .with("enterprise.businessRegistrationNumber", "110108000000017")
                .with("legalRepresentative.idNumber", "110105194912310021")
                .with("operators[1].idNumber", "110105194912310021");

        submit(form, applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("enterprise.uscc",
                        "enterprise.businessRegistrationNumber", "legalRepresentative.idNumber", "operators[1].idNumber")))
                .andExpect(jsonPath("$.errors[*].code").value(containsInAnyOrder("WRONG_CHECK_CHARACTER",
                        "WRONG_CHECK_CHARACTER", "WRONG_CHECK_CHARACTER", "WRONG_CHECK_CHARACTER")))
                .andExpect(jsonPath("$.errors[0].message").isNotEmpty());
        verifyNoInteractions(submissions);
    }

    @Test
    void overLongStringsAre400NamingEachField() throws Exception {
        SampleForm form = valid()
                .with("enterprise.name", "企".repeat(101))
                .with("enterprise.address", "路".repeat(201))
                .with("operators[0].name", "陈".repeat(51));

        submit(form, applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder(
                        "enterprise.address", "enterprise.name", "operators[0].name")))
                .andExpect(jsonPath("$.errors[*].code").value(containsInAnyOrder("Size", "Size", "Size")));
    }

    @Test
    void anUnknownEnterpriseTypeIs400NamingTheFieldAndTheAllowedValues() throws Exception {
        submit(valid().with("enterprise.type", "STATE_OWNED"), applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.type"))
                .andExpect(jsonPath("$.errors[0].code").value("UNKNOWN_VALUE"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("FOREIGN_INVESTED")));
    }

    @Test
    void malformedJsonIs400NamingWhereItBroke() throws Exception {
        String missingColon = "{\"enterprise\": {\"name\": \"福州榕城进出口贸易有限公司\", \"type\" \"DOMESTIC\"}}";

        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(missingColon).with(applicant("enterprise-1")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/malformed-body"))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("enterprise"))
                .andExpect(jsonPath("$.errors[0].code").value("MALFORMED_JSON"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("line 1")));
        verifyNoInteractions(submissions);
    }

    @Test
    void truncatedJsonIs400WithAnError() throws Exception {
        String truncated = valid().json().substring(0, 120);

        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(truncated).with(applicant("enterprise-1")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].code").value("MALFORMED_JSON"));
    }

    @Test
    void anEmptyBodyIs400NamingTheBody() throws Exception {
        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).with(applicant("enterprise-1")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].code").value("UNREADABLE"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "\"an application\"", "null", "{\"enterprise\": 42}", "{\"operators\": \"陈静\"}",
            "{\"operators\": [null]}", "{\"enterprise\": {\"name\": [\"a\", \"b\"]}}", "{\"legalRepresentative\": {\"idNumber\": 11010519491231002}}"})
    void aBodyOfTheWrongShapeIs400WithErrorsNeverA500(String body) throws Exception {
        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(body).with(applicant("enterprise-1")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").isNotEmpty())
                .andExpect(content().string(not(containsString("cn.eport"))));
        verifyNoInteractions(submissions);
    }

    @Test
    void aValueOfTheWrongJsonTypeIs400NamingTheFieldAndTheTypeExpected() throws Exception {
        submit(valid().with("operators", "陈静"), applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("operators"))
                .andExpect(jsonPath("$.errors[0].code").value("WRONG_TYPE"))
                .andExpect(jsonPath("$.errors[0].message").value("has the wrong type: expected an array"));
    }

    @Test
    void anUnknownFieldIs400NamingIt() throws Exception {
        submit(valid().with("enterprise.nickname", "榕城贸易"), applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("enterprise.nickname"))
                .andExpect(jsonPath("$.errors[0].code").value("UNKNOWN_FIELD"));
        verifyNoInteractions(submissions);
    }

    @Test
    void aClerkWhoNamesNoEnterpriseAccountGets400NamingEnterpriseAccount() throws Exception {
        submit(valid(), clerk("clerk-3"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("enterpriseAccount"));
        verifyNoInteractions(submissions);
    }

    @Test
    void anApplicantMayNotFileUnderAnotherEnterpriseAccount() throws Exception {
        submit(valid().with("enterpriseAccount", "enterprise-2"), applicant("enterprise-1"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("enterpriseAccount"))
                .andExpect(jsonPath("$.errors[0].code").value("NotAllowed"));
        verifyNoInteractions(submissions);
    }

    @Test
    void aMalformedApplicationIdIs400NamingIt() throws Exception {
        mvc.perform(get(APPLICATIONS + "/not-a-uuid").with(applicant("enterprise-1")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.errors[0].field").value("applicationId"))
                .andExpect(jsonPath("$.errors[0].code").value("WRONG_TYPE"));
    }

    // --- 413, 415 ----------------------------------------------------------------------------

    @Test
    void aWrongContentTypeIs415ProblemDetail() throws Exception {
        mvc.perform(post(APPLICATIONS).contentType(MediaType.TEXT_PLAIN).content(valid().json()).with(applicant("enterprise-1")))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(415))
                .andExpect(jsonPath("$.detail").value(containsString("text/plain")));
        verifyNoInteractions(submissions);
    }

    @Test
    void aBodyLargerThan64KiBIs413ProblemDetail() throws Exception {
        SampleForm huge = valid().with("enterprise.address", "x".repeat(64 * 1024));

        submit(huge, applicant("enterprise-1"))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/request-too-large"));
        verifyNoInteractions(submissions);
    }

    // --- 401, 403, 404: only the right people act ---------------------------------------------

    @Test
    void aRequestWithoutATokenIs401ProblemDetail() throws Exception {
        mvc.perform(post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(valid().json()))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, startsWith("Bearer")))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/unauthenticated"));
        verifyNoInteractions(submissions);
    }

    @Test
    void anInvalidTokenIs401ProblemDetail() throws Exception {
        given(tokens.decode(anyString())).willThrow(new BadJwtException("signature does not verify"));

        mvc.perform(get(APPLICATIONS).header(HttpHeaders.AUTHORIZATION, "Bearer forged"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(401));
    }

    @Test
    void aReviewerMayNotSubmitAndGets403() throws Exception {
        submit(valid(), user("tax-reviewer-1", EportRole.REVIEWER))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/forbidden"));
        verifyNoInteractions(submissions);
    }

    @Test
    void anApplicantReadingAnotherOwnersApplicationGets404() throws Exception {
        exists(APPLICATION, "enterprise-2");

        mvc.perform(get(APPLICATIONS + "/" + APPLICATION).with(applicant("enterprise-1")))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.type").value("https://eport.cn/problems/not-found"));
    }

    @Test
    void anApplicantReadsItsOwnApplication() throws Exception {
        exists(APPLICATION, "enterprise-1");

        mvc.perform(get(APPLICATIONS + "/" + APPLICATION).with(applicant("enterprise-1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.applicationId").value(APPLICATION.toString()));
    }

    @Test
    void clerksAndOpsReadAnyApplicationButReviewersDoNot() throws Exception {
        exists(APPLICATION, "enterprise-2");

        mvc.perform(get(APPLICATIONS + "/" + APPLICATION).with(clerk("clerk-3"))).andExpect(status().isOk());
        mvc.perform(get(APPLICATIONS + "/" + APPLICATION).with(user("ops-1", EportRole.OPS))).andExpect(status().isOk());
        mvc.perform(get(APPLICATIONS + "/" + APPLICATION).with(user("tax-reviewer-1", EportRole.REVIEWER)))
                .andExpect(status().isNotFound());
    }

    @Test
    void anApplicantListsOnlyItsOwnApplications() throws Exception {
        exists(APPLICATION, "enterprise-1");
        given(view.applicationsOf("enterprise-1")).willReturn(List.of(APPLICATION));

        mvc.perform(get(APPLICATIONS).with(applicant("enterprise-1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].applicationId").value(hasItem(APPLICATION.toString())));
        mvc.perform(get(APPLICATIONS).with(clerk("clerk-3")))
                .andExpect(status().isForbidden());
    }

    // --- fixtures ----------------------------------------------------------------------------

    private ResultActions submit(SampleForm form, RequestPostProcessor user) throws Exception {
        MockHttpServletRequestBuilder request = post(APPLICATIONS).contentType(MediaType.APPLICATION_JSON).content(form.json());
        return mvc.perform(request.with(user));
    }

    private void submissionsAccept(String owner, Channel channel, String submittedBy) {
        given(submissions.submit(any(), eq(owner), eq(channel), eq(submittedBy))).willReturn(APPLICATION);
        given(view.statusOf(APPLICATION)).willReturn(Optional.of(statusOfNew(channel)));
    }

    private void exists(UUID applicationId, String owner) {
        given(view.ownerOf(applicationId)).willReturn(Optional.of(owner));
        given(view.statusOf(applicationId)).willReturn(Optional.of(statusOfNew(Channel.ONLINE)));
    }

    private static RequestPostProcessor applicant(String subject) {
        return user(subject, EportRole.APPLICANT);
    }

    private static RequestPostProcessor clerk(String subject) {
        return user(subject, EportRole.CLERK);
    }

    /** A decoded token with the {@code roles} claim, and the authorities our converter derives from it. */
    private static RequestPostProcessor user(String subject, EportRole... roles) {
        return jwt()
                .jwt(token -> token.subject(subject).claim("roles", Arrays.stream(roles).map(Enum::name).toList()))
                .authorities(Arrays.stream(roles).map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority())).toList());
    }

    private static Jwt token(String value, String subject, String... roles) {
        return Jwt.withTokenValue(value).header("alg", "RS256").subject(subject).claim("roles", List.of(roles))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300)).build();
    }

    private static ApplicationStatus statusOfNew(Channel channel) {
        return new ApplicationStatus(APPLICATION, 1, cn.eport.identifiers.AppointmentSlipNumber.of(2026, 1), ApplicationStatus.Status.SUBMITTED, channel,
                Instant.parse("2026-03-02T01:30:00Z"),
                Arrays.stream(Agency.values()).map(agency -> new ApplicationStatus.AgencyProgress(agency, agency.zhName(),
                        agency.documentChecked(), "PENDING", List.of(), null, null)).toList(),
                null, null, List.of());
    }
}
