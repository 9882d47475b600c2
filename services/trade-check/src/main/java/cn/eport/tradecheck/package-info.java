@NullMarked
package cn.eport.tradecheck;

import org.jspecify.annotations.NullMarked;
