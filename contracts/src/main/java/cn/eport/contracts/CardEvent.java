package cn.eport.contracts;

import java.time.Instant;

/**
 * A change in the life of an enterprise's card set, after {@link CardsIssued}: written by card issuance to
 * {@link Topics#CARDS}, keyed by the application, so one set's changes stay in order.
 */
public sealed interface CardEvent extends ApplicationEvent permits OperatorCardAdded, OperatorCardRemoved, CardsSuspended,
        CardReplaced, CardExtended, CardExpiring, CardExpired, CardSetCancelled, CardsReinstated {

    /** When card issuance recorded the change. */
    Instant at();

    /** Who made the change: the events that name someone carry it as {@code by}; the others are card issuance's own doing. */
    default String by() {
        return "card-issuance";
    }
}
