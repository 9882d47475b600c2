package cn.eport.agencycheck;

/**
 * One record an agency's check needs from its registry.
 *
 * @param name       what the rules call the answer: {@code organisationCode}, {@code brokerCertificate:BG35010001}
 * @param collection the registry's collection: {@code organisation-codes}
 * @param number     the record's number, as the form gives it
 */
public record RegistryQuery(String name, String collection, String number) {
}
