package cn.eport.web;

import cn.eport.contracts.PersonalDataRead;
import cn.eport.messaging.MessagingSettings;
import cn.eport.messaging.Outbox;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records a read of an application's personal data by someone other than the enterprise itself: a
 * {@link PersonalDataRead} on this service's {@code eport.reads.<service>}, through the outbox, so
 * that the record is as durable as any event. Intake keeps them all: OPS query them, and the
 * enterprise sees who looked at its own application.
 *
 * <p>A controller calls {@link #record} once it knows the answer it is about to give, naming the
 * personal fields in it; it records nothing for the enterprise reading its own application.
 */
public class PersonalDataReads {

    private final Outbox outbox;
    private final TransactionTemplate transaction;
    private final String service;
    private final Clock clock;

    PersonalDataReads(Outbox outbox, TransactionTemplate transaction, MessagingSettings settings, Clock clock) {
        this.outbox = outbox;
        this.transaction = transaction;
        this.service = settings.service();
        this.clock = clock;
    }

    /**
     * @param reader        who read
     * @param applicationId whose application
     * @param fields        the personal fields in the answer, as paths ({@code legalRepresentative.name})
     * @param what          the request, as method and path template
     */
    public void record(EportUser reader, UUID applicationId, List<String> fields, String what) {
        if (fields.isEmpty()) {
            return;
        }
        List<String> roles = reader.roles().stream().map(Enum::name).sorted().toList();
        PersonalDataRead read = new PersonalDataRead(applicationId, service, reader.subject(), roles, reader.agency(),
                List.copyOf(fields), what, clock.instant());
        transaction.executeWithoutResult(status -> outbox.publish(read));
    }
}
