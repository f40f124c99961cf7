/**
 * Flows and their parts: a {@link dev.sluice.core.ChangeSource} read page by page, each record
 * mapped, written to a {@link dev.sluice.core.Sink} and committed, then the checkpoint moved in a
 * {@link dev.sluice.core.StateStore}; each run reported as a {@link dev.sluice.core.FlowRun}.
 *
 * <p>Every change travels as a {@link dev.sluice.core.ChangeEnvelope}. Errors at run time are
 * {@link dev.sluice.core.SluiceException}s; a wrong definition is a {@link
 * dev.sluice.core.FlowDefinitionException} listing every problem.
 *
 * <p>Around a flow: a {@link dev.sluice.core.Schedule} and the {@link
 * dev.sluice.core.FlowScheduler} that runs flows on theirs; a {@link dev.sluice.core.RunHistory}
 * of runs and their {@link dev.sluice.core.RowError}s; a {@link dev.sluice.core.FlowRegistry}
 * to manage flows with etags. Built-in sinks are in {@link dev.sluice.core.Sinks}; every sink
 * should pass the contract suite in core's test jar.
 */
package dev.sluice.core;
