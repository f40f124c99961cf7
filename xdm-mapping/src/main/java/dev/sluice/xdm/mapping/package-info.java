/**
 * Mappings from Stripe objects onto target (XDM) records, the way Adobe Experience Platform's Data
 * Prep does them.
 *
 * <ul>
 *   <li>{@link dev.sluice.xdm.mapping.MappingSet}: an ordered set of {@link
 *       dev.sluice.xdm.mapping.MappingRule}s, read from and written to AEP's mapping-set JSON (both
 *       forms) or built in code; {@code compile} turns it into a {@link
 *       dev.sluice.xdm.mapping.Mapping}, optionally against an XDM target schema; {@code validate}
 *       and {@code preview} do what Data Prep's calls of those names do.
 *   <li>{@link dev.sluice.xdm.mapping.Mapping}: the compiled, thread-safe function from one record
 *       to one {@link dev.sluice.xdm.mapping.MappingResult} with its {@link
 *       dev.sluice.xdm.mapping.MappingError}s.
 *   <li>{@link dev.sluice.xdm.mapping.MappingSpecException}: a bad mapping set, with every problem.
 * </ul>
 *
 * <p>Calculated fields ({@code sourceType EXPRESSION}) use Data Prep's function library (string,
 * regex, hashing, URL, date, object, map, array, logic and conversion functions) plus Stripe
 * helpers: {@code from_unix_seconds(data.created)} for timestamps and {@code
 * from_minor_units(data.amount, data.currency)} for exact decimal amounts.
 */
package dev.sluice.xdm.mapping;
