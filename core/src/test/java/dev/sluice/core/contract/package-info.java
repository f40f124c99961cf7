/**
 * The sink contract test suite, shipped in core's test jar: extend {@link
 * dev.sluice.core.contract.SinkContractTest} to check a {@link dev.sluice.core.Sink}.
 */
package dev.sluice.core.contract;
