/**
 * The mapping engine's implementation: path parsing, compiled rules, the output tree, the
 * expression language and its functions, and the text-to-text path ({@code TextPlan}, {@code
 * TextScan}) that maps JSON text without building records when a set allows it. Not a public API: it may change in any release, and users
 * never need these types.
 */
package dev.sluice.xdm.mapping.internal;
