@NullMarked
package cn.eport.qualitycheck;

import org.jspecify.annotations.NullMarked;
