/**
 * 制发IC卡, card issuance: keeps every agency's verdict per application revision and, once all six
 * have approved the current revision, issues the enterprise's card set (one legal-person card, one
 * card per operator) exactly once.
 */
@NullMarked
package cn.eport.cardissuance;

import org.jspecify.annotations.NullMarked;
