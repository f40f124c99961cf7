/**
 * A {@link dev.sluice.core.Sink} into SQL tables: {@link dev.sluice.sink.jdbc.JdbcSink}, one table
 * per dataset described by a {@link dev.sluice.sink.jdbc.TableSchema}, upserts and deletes by
 * Stripe id in one transaction per commit.
 */
package dev.sluice.sink.jdbc;
