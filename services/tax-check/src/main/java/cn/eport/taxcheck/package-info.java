@NullMarked
package cn.eport.taxcheck;

import org.jspecify.annotations.NullMarked;
