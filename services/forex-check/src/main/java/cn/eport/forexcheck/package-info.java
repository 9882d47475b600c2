@NullMarked
package cn.eport.forexcheck;

import org.jspecify.annotations.NullMarked;
