/**
 * The Chinese statutory working-day calendar the agencies' time limits (时限) run on: public
 * holidays and the weekend days worked in exchange (调休), one table per year from the State
 * Council General Office's yearly notice.
 *
 * <p>A year without a table is never guessed as Monday to Friday: asking about it throws
 * {@link cn.eport.workingdays.MissingHolidayTableException}.
 */
@NullMarked
package cn.eport.workingdays;

import org.jspecify.annotations.NullMarked;
