/**
 * The expression language of calculated fields: the parser of Data Prep's expressions, the
 * compiled expression tree, and the function library. Not public API: expressions are written in
 * mapping sets and compiled by {@link dev.sluice.xdm.mapping.MappingSet#compile(String)}.
 */
package dev.sluice.xdm.mapping.internal.expr;
