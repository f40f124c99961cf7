/**
 * Flows and their parts: a {@link dev.sluice.core.ChangeSource} read page by page, each record
 * mapped, written to a {@link dev.sluice.core.Sink} and committed, then the checkpoint moved in a
 * {@link dev.sluice.core.StateStore}; each run reported as a {@link dev.sluice.core.FlowRun}.
 *
 * <p>Every change travels as a {@link dev.sluice.core.ChangeEnvelope}. Errors at run time are
 * {@link dev.sluice.core.SluiceException}s.
 */
package dev.sluice.core;
