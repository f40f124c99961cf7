/** Implementation of the JDBC sink. Not public API: use {@code dev.sluice.sink.jdbc}. */
package dev.sluice.sink.jdbc.internal;
