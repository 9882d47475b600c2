package cn.eport.agencycheck;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * What an agency's registry holds about one certificate: the registry contract every agency shares.
 * A registry answers {@code POST <base>/<collection>/lookup} with body {@code {"numbers": [...]}}
 * by {@code {"records": [...]}}, one of these for each number it holds; a number it does not hold
 * is simply absent.
 *
 * @param number     the certificate's number as the registry files it
 * @param holderName the enterprise (or, for a broker certificate, the person) it was issued to
 * @param status     whether it is in force
 * @param validUntil the last day it is valid; absent for records that do not expire
 * @param kind       for registries that file several kinds of certificate, which one this is
 */
public record RegistryRecord(String number, String holderName, Status status, @Nullable LocalDate validUntil,
        @Nullable String kind) {

    public enum Status {
        /** In force. */
        VALID,
        /** Withdrawn for good. */
        REVOKED,
        /** Not in force for now (the forex write-off qualification can be suspended). */
        SUSPENDED,
        /** The registry cannot say: a reviewer has to look. */
        UNKNOWN
    }
}
