/**
 * 受理, intake: where an enterprise, or a customs clerk keying its paper forms, submits an
 * application, and where the applicant follows it. Intake checks what the form alone can prove
 * (presence, lengths, the identifiers' shapes and check characters, and that they agree with each
 * other) and refuses bad input with a 400; everything that needs an agency's own records is that
 * agency's to decide.
 */
@NullMarked
package cn.eport.intake;

import org.jspecify.annotations.NullMarked;
