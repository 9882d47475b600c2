package cn.eport.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Someone other than the enterprise itself read personal data of its application: who, which
 * fields, when, and through which service. China's personal-information law (个人信息保护法) expects
 * such reads to be accountable. Written by the service that served the read to its own
 * {@link Topics#reads(String)}, through its outbox; intake keeps them, for OPS and for the enterprise.
 *
 * @param applicationId the application, and the record key
 * @param service       the service that served the read: its topic is {@code eport.reads.<service>}
 * @param reader        who read: the subject of their token (a staff id, a clerk, an operator)
 * @param readerRoles   their roles then
 * @param readerAgency  a reviewer's agency, lower-case; null for anyone else
 * @param fields        the personal fields the answer held, as paths ({@code legalRepresentative.name})
 * @param what          the request that read them ({@code GET /api/reviews/{applicationId}/{revision}})
 * @param readAt        when
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonalDataRead(UUID applicationId, String service, String reader, List<String> readerRoles,
        String readerAgency, List<String> fields, String what, Instant readAt) implements ApplicationEvent {
}
