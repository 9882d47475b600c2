package cn.eport.intake;

import cn.eport.identifiers.AppointmentSlipNumber;
import java.time.Clock;
import java.time.ZoneId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Issues appointment slip numbers ({@link AppointmentSlipNumber}); the sequence makes them unique. */
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
        return AppointmentSlipNumber.of(clock.instant().atZone(CHINA).getYear(), sequence);
    }

}
