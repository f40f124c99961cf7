/**
 * XDM target schemas: {@link dev.sluice.xdm.schema.XdmSchema}, its {@link
 * dev.sluice.xdm.schema.XdmField}s and their {@link dev.sluice.xdm.schema.XdmType}s, read and
 * written as XDM-style JSON Schema, and generated (with an auto-map mapping set, in a {@link
 * dev.sluice.xdm.schema.SchemaDraft}) from an explore schema or from sample records.
 *
 * <p>Give a schema to {@link dev.sluice.xdm.mapping.MappingSet#compile(String, XdmSchema)} to have
 * every output record converted to the schema's types and checked against it.
 */
package dev.sluice.xdm.schema;
