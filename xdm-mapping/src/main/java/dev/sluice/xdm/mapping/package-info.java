/**
 * Mappings from Stripe objects onto target (XDM) records: the {@link dev.sluice.xdm.mapping.Mapping}
 * contract, its per-record {@link dev.sluice.xdm.mapping.MappingResult} and {@link
 * dev.sluice.xdm.mapping.MappingError}s, and {@link dev.sluice.xdm.mapping.MappingSet}, which reads
 * Adobe Experience Platform mapping sets.
 */
package dev.sluice.xdm.mapping;
