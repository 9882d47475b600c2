/** The adapter to an agency's registry over HTTP, where the resilience lives. */
@NullMarked
package cn.eport.agencycheck.registry;

import org.jspecify.annotations.NullMarked;
