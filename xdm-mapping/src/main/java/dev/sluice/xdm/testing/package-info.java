/**
 * Help for unit-testing your own mappings: {@link dev.sluice.xdm.testing.MappingExpectation} maps
 * a Stripe object and checks destination values, failing with an {@link AssertionError} that lists
 * every mismatch. It needs no test framework, so it works under JUnit 4 or 5, TestNG or a plain
 * {@code main}.
 */
package dev.sluice.xdm.testing;
