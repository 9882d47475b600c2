@NullMarked
package cn.eport.commercecheck;

import org.jspecify.annotations.NullMarked;
