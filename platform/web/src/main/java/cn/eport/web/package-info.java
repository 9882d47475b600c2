/**
 * What every REST API of the joint review shares: bearer JWT authentication with the roles of
 * {@link cn.eport.web.EportRole}, input bounded in size, and RFC 9457 problem details for every
 * error, with one entry per bad field.
 */
@NullMarked
package cn.eport.web;

import org.jspecify.annotations.NullMarked;
