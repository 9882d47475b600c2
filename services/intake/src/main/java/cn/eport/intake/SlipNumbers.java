package cn.eport.intake;

import cn.eport.identifiers.BusinessRegistrationNumber;
import java.time.Clock;
import java.time.ZoneId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Appointment slip numbers (预约单号): {@code YY}, the four-digit year of issue, an eight-digit
 * sequence and an ISO 7064 MOD 11,10 check digit over the twelve digits, e.g. {@code YY2026000000013}.
 * The sequence makes them unique; the check digit catches a mistyped slip at the card counter.
 */
@Component
class SlipNumbers {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final JdbcClient jdbc;
    private final Clock clock;

    SlipNumbers(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    String next() {
        long sequence = jdbc.sql("SELECT nextval('slip_number_seq')").query(Long.class).single();
        return format(clock.instant().atZone(CHINA).getYear(), sequence);
    }

    static String format(int year, long sequence) {
        String digits = String.format("%04d%08d", year, sequence);
        return "YY" + digits + BusinessRegistrationNumber.checkDigit(digits);
    }

    static boolean isWellFormed(String slip) {
        return slip.matches("YY[0-9]{13}") && slip.charAt(14) == BusinessRegistrationNumber.checkDigit(slip.substring(2, 14));
    }
}
