@NullMarked
package cn.eport.customscheck;

import org.jspecify.annotations.NullMarked;
