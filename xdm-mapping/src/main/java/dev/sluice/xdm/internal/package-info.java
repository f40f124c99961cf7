/**
 * Pieces shared by the xdm-mapping module's own packages. Not a public API: it may change in any
 * release, and users never need these types.
 */
package dev.sluice.xdm.internal;
