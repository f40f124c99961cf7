/** Runnable programs, one per way of using Sluice; {@link dev.sluice.examples.SluiceMain} is the main job. */
package dev.sluice.examples;
