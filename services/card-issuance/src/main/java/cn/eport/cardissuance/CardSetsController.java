package cn.eport.cardissuance;

import cn.eport.web.ApiProblems;
import cn.eport.web.EportRole;
import cn.eport.web.EportUser;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The card set's life at {@code /api/card-sets/{applicationId}}. Who may act: the enterprise account that applied
 * online, for its own set (APPLICANT whose subject is the applicant); customs clerks at the counter (CLERK), for any
 * set; nobody else. Renewing an expired card and cancelling the account happen at the counter only. Operators are
 * added by amending the application at intake (customs checks the broker certificate, as at application time); the
 * card follows on the amended revision's approval.
 */
@RestController
@RequestMapping("/api/card-sets/{applicationId}")
class CardSetsController {

    private static final Pattern CARD_NUMBER = Pattern.compile("(LP|OP)[0-9]{11}");

    private final CardLifecycle lifecycle;

    CardSetsController(CardLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @GetMapping
    CardLifecycle.CardSet cardSet(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        requireMayAct(applicationId, token);
        return lifecycle.find(applicationId).orElseThrow(() -> new ApiProblems.NotFound("No card set for application " + applicationId));
    }

    /** 挂失: the card is suspended at once. */
    @PostMapping("/cards/{cardNumber}/loss")
    CardLifecycle.Card reportLost(@PathVariable UUID applicationId, @PathVariable String cardNumber, @AuthenticationPrincipal Jwt token) {
        Actor actor = requireMayAct(applicationId, token);
        return lifecycle.reportLost(applicationId, wellFormed(cardNumber), actor.name());
    }

    /** A card reported lost is replaced by one with a new number; the lost number is void for good. */
    @PostMapping("/cards/{cardNumber}/replacement")
    CardLifecycle.Card replace(@PathVariable UUID applicationId, @PathVariable String cardNumber, @AuthenticationPrincipal Jwt token) {
        Actor actor = requireMayAct(applicationId, token);
        return lifecycle.replace(applicationId, wellFormed(cardNumber), actor.name());
    }

    /** 延期 under the same number; an expired card is renewed this way, at the counter only. */
    @PostMapping("/cards/{cardNumber}/extension")
    CardLifecycle.Card extend(@PathVariable UUID applicationId, @PathVariable String cardNumber, @AuthenticationPrincipal Jwt token) {
        Actor actor = requireMayAct(applicationId, token);
        return lifecycle.extend(applicationId, wellFormed(cardNumber), actor.atCounter(), actor.name());
    }

    /** An operator removed: the card is cancelled at once. */
    @DeleteMapping("/operators/{cardNumber}")
    CardLifecycle.Card removeOperator(@PathVariable UUID applicationId, @PathVariable String cardNumber,
            @AuthenticationPrincipal Jwt token) {
        Actor actor = requireMayAct(applicationId, token);
        return lifecycle.removeOperator(applicationId, wellFormed(cardNumber), actor.name());
    }

    /** 注销 at the counter: every card of the set is cancelled and the application is final. */
    @PostMapping("/cancellation")
    CardLifecycle.CardSet cancel(@PathVariable UUID applicationId, @AuthenticationPrincipal Jwt token) {
        Actor actor = requireMayAct(applicationId, token);
        if (!actor.atCounter()) {
            throw new AccessDeniedException("an account is cancelled at the counter, by a customs clerk");
        }
        return lifecycle.cancelAccount(applicationId, actor.name());
    }

    /** Who acts, as the events name them, and whether at the counter. */
    private record Actor(String name, boolean atCounter) {
    }

    /**
     * A clerk for any set; the applicant for its own; everyone else 403. A set that does not exist is 404 for a clerk
     * and 403 for anyone else, so that an enterprise cannot probe for other applications.
     */
    private Actor requireMayAct(UUID applicationId, Jwt token) {
        EportUser user = EportUser.from(token);
        Optional<Optional<String>> owner = lifecycle.ownerOf(applicationId);
        if (user.has(EportRole.CLERK)) {
            if (owner.isEmpty()) {
                throw new ApiProblems.NotFound("No card set for application " + applicationId);
            }
            return new Actor("clerk:" + user.subject(), true);
        }
        if (user.has(EportRole.APPLICANT) && owner.flatMap(o -> o).filter(user.subject()::equals).isPresent()) {
            return new Actor("enterprise:" + user.subject(), false);
        }
        throw new AccessDeniedException("only the enterprise, for its own card set, and customs clerks act on a card set");
    }

    private static String wellFormed(String cardNumber) {
        if (!CARD_NUMBER.matcher(cardNumber).matches()) {
            throw new ApiProblems.NotFound("No card " + (cardNumber.length() > 20 ? cardNumber.substring(0, 20) + "…" : cardNumber));
        }
        return cardNumber;
    }
}
