package cn.eport.cardissuance;

import cn.eport.identifiers.BusinessRegistrationNumber;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * IC card numbers: {@code LP} (企业法人卡) or {@code OP} (企业操作员卡), a ten-digit sequence and an
 * ISO 7064 MOD 11,10 check digit over those ten digits, e.g. {@code LP00000000013}.
 */
@Component
class CardNumbers {

    enum Kind {
        LP,
        OP
    }

    private final JdbcClient jdbc;

    CardNumbers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    String next(Kind kind) {
        return format(kind, jdbc.sql("SELECT nextval('card_number_seq')").query(Long.class).single());
    }

    static String format(Kind kind, long sequence) {
        String digits = String.format("%010d", sequence);
        return kind.name() + digits + BusinessRegistrationNumber.checkDigit(digits);
    }
}
