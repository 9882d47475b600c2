/**
 * The national identifiers an application carries, each with the check its standard defines.
 *
 * <p>Every check here is public and needs no registry: a typing error is caught before any agency
 * is asked. Facts (does this organisation exist, is its certificate valid) belong to the agencies.
 */
@NullMarked
package cn.eport.identifiers;

import org.jspecify.annotations.NullMarked;
