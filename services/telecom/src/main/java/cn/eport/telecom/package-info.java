/**
 * 电信局, telecom: at the joint office, when the enterprise comes for its cards, telecom sells it a
 * 17999 network access card and registers its enterprise code on line. Modelled as a participant of
 * its own that publishes the registration, rather than a registry card issuance would poll: the
 * registration is an act of the telecom clerk at the counter, and card issuance should react to it
 * the moment it happens.
 */
@NullMarked
package cn.eport.telecom;

import org.jspecify.annotations.NullMarked;
