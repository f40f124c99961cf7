/**
 * The record type every part of Sluice shares: {@link dev.sluice.xdm.DataRecord}, an ordered JSON
 * object whose numbers stay exact and whose {@code null}s are kept apart from absent fields, and
 * {@link dev.sluice.xdm.JsonValues} to read and write it.
 *
 * <p>This module depends on nothing but Moshi, so a user can unit-test a mapping with nothing else
 * on the class path.
 */
package dev.sluice.xdm;
