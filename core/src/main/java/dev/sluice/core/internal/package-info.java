/** Implementation of the core module. Not public API: use the types in {@code dev.sluice.core}. */
package dev.sluice.core.internal;
