// Settings: `contributes.configuration` derived from the JSON Schema of the Rust configuration types
// (schema/config.schema.json, itself generated from gazette_core::config::Config), plus the few
// settings only the client reads (where the server binary is, tracing).
//
// Nested configuration structs become dotted setting keys (`[tagging] x = 1` in gazette.toml is
// `gazette.tagging.x` in VS Code), so `workspace.getConfiguration("gazette")` returns an object with
// the shape of `gazette.toml`, which the extension sends to the server as-is minus the client keys.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One VS Code setting (a subset of what `contributes.configuration.properties` accepts). */
export type SettingSchema = JsonObject;

/** The settings read by the extension itself and never sent to the server. */
export const CLIENT_SETTINGS: Record<string, SettingSchema> = {
  "gazette.server.path": {
    type: ["string", "null"],
    default: null,
    scope: "machine-overridable",
    markdownDescription:
      "Path to the `gazette` binary. When unset, `gazette` is looked up on the `PATH`, then in the binaries " +
      "bundled with the extension. `~` and `${workspaceFolder}` are expanded.",
  },
  "gazette.server.extraArgs": {
    type: "array",
    items: { type: "string" },
    default: [],
    scope: "machine-overridable",
    markdownDescription: "Extra arguments passed to `gazette serve`.",
  },
  "gazette.trace.server": {
    type: "string",
    enum: ["off", "messages", "verbose"],
    default: "off",
    markdownDescription: "Log the messages between VS Code and the Gazette server in the Gazette output channel.",
  },
};

/** The top-level keys of the `gazette` section that are client settings. */
export const CLIENT_SECTION_KEYS: readonly string[] = ["server", "trace"];

/** The `gazette` settings object minus client-only keys: what the server receives as
 * `initializationOptions` and in `workspace/didChangeConfiguration`. */
export function serverSettings(section: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (!CLIENT_SECTION_KEYS.includes(key) && typeof value !== "function") {
      result[key] = value;
    }
  }
  return result;
}

/** Builds `contributes.configuration` from the config schema. Throws on a schema construct it cannot
 * express as settings, so a new kind of field fails the manifest check instead of vanishing. */
export function configurationContribution(schema: JsonObject): JsonObject {
  const properties: Record<string, SettingSchema> = {};
  flattenObject(schema, schema, "gazette", properties);
  for (const key of Object.keys(CLIENT_SETTINGS)) {
    if (key in properties) {
      throw new Error(`the configuration schema defines ${key}, which is a client-only setting`);
    }
  }
  return { title: "Gazette", properties: { ...CLIENT_SETTINGS, ...properties } };
}

function flattenObject(root: JsonObject, node: JsonObject, prefix: string, out: Record<string, SettingSchema>): void {
  const object = resolveRef(root, node);
  const props = object.properties;
  if (props === undefined || props === null || typeof props !== "object" || Array.isArray(props)) {
    return;
  }
  const defaults = isObject(object.default) ? object.default : {};
  for (const [name, rawProperty] of Object.entries(props)) {
    if (!isObject(rawProperty)) {
      throw new Error(`${prefix}.${name}: a property schema must be an object`);
    }
    const key = `${prefix}.${name}`;
    const property = resolveRef(root, rawProperty);
    // Doc comments sit on the property; a struct's own doc comment is the fallback.
    const description = stringField(rawProperty, "description") ?? stringField(property, "description");
    const fallbackDefault = name in defaults ? defaults[name] : undefined;
    if (isStruct(property)) {
      flattenObject(root, { ...property, default: rawProperty.default ?? property.default ?? fallbackDefault ?? null }, key, out);
      continue;
    }
    out[key] = leafSetting(root, key, rawProperty, property, description, fallbackDefault);
  }
}

function leafSetting(
  root: JsonObject,
  key: string,
  raw: JsonObject,
  property: JsonObject,
  description: string | undefined,
  fallbackDefault: Json | undefined,
): SettingSchema {
  const setting: SettingSchema = {};
  const nullable = unwrapNullable(root, property);
  const base = nullable.schema;

  const enumeration = enumValues(base);
  if (enumeration !== undefined) {
    setting.type = nullable.nullable ? [enumeration.type, "null"] : enumeration.type;
    setting.enum = nullable.nullable ? [...enumeration.values, null] : enumeration.values;
    if (enumeration.descriptions.some((text) => text !== "")) {
      setting.markdownEnumDescriptions = nullable.nullable ? [...enumeration.descriptions, ""] : enumeration.descriptions;
    }
  } else {
    const type = base.type;
    if (type === undefined) {
      throw new Error(`${key}: cannot express this schema as a setting (no type): ${JSON.stringify(base)}`);
    }
    const types = Array.isArray(type) ? type : [type];
    setting.type = nullable.nullable && !types.includes("null") ? [...types, "null"] : type;
    for (const field of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "pattern", "uniqueItems"]) {
      if (base[field] !== undefined) {
        setting[field] = base[field];
      }
    }
    if (base.items !== undefined) {
      setting.items = inlineRefs(root, base.items, key);
    }
    if (base.additionalProperties !== undefined) {
      setting.additionalProperties = inlineRefs(root, base.additionalProperties, key);
    }
  }

  const defaultValue = raw.default !== undefined ? raw.default : property.default !== undefined ? property.default : fallbackDefault;
  if (defaultValue !== undefined) {
    setting.default = defaultValue;
  }
  if (description !== undefined) {
    setting.markdownDescription = description;
  }
  if (raw.deprecated === true || property.deprecated === true) {
    setting.deprecationMessage = "Deprecated.";
  }
  return setting;
}

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value);
}

function stringField(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  return typeof value === "string" ? value : undefined;
}

/** A struct: an object schema with named properties (a map has only `additionalProperties`). */
function isStruct(schema: JsonObject): boolean {
  return schema.type === "object" && isObject(schema.properties);
}

/** Follows `$ref` (and an `allOf` of one `$ref`, which older generators emit next to a description). */
function resolveRef(root: JsonObject, schema: JsonObject): JsonObject {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    if (typeof current.$ref === "string") {
      const { $ref, ...rest } = current;
      current = { ...lookupPointer(root, $ref), ...withoutDescription(rest) };
      continue;
    }
    if (Array.isArray(current.allOf) && current.allOf.length === 1 && isObject(current.allOf[0])) {
      const { allOf, ...rest } = current;
      current = { ...resolveRef(root, allOf[0] as JsonObject), ...withoutDescription(rest) };
      continue;
    }
    return current;
  }
  throw new Error("the configuration schema has a $ref cycle");
}

// A `$ref`'s sibling description documents the property; the caller reads it from the raw
// property, so keeping it here would let the referenced type's description be overwritten.
function withoutDescription(schema: JsonObject): JsonObject {
  const { description, ...rest } = schema;
  void description;
  return rest;
}

function lookupPointer(root: JsonObject, pointer: string): JsonObject {
  if (!pointer.startsWith("#/")) {
    throw new Error(`unsupported $ref ${pointer}: only local references are supported`);
  }
  let node: Json = root;
  for (const segment of pointer.slice(2).split("/")) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) || !(key in node)) {
      throw new Error(`dangling $ref ${pointer}`);
    }
    node = node[key];
  }
  if (!isObject(node)) {
    throw new Error(`$ref ${pointer} does not point at a schema object`);
  }
  return node;
}

/** `Option<T>`: schemars writes `type: ["x", "null"]` for simple types and `anyOf: [T, {type: null}]`
 * for referenced ones. */
function unwrapNullable(root: JsonObject, schema: JsonObject): { schema: JsonObject; nullable: boolean } {
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants !== undefined && variants.length === 2) {
    const isNull = (variant: Json) => isObject(variant) && variant.type === "null";
    const other = variants.find((variant) => !isNull(variant));
    if (variants.some(isNull) && isObject(other)) {
      return { schema: resolveRef(root, other), nullable: true };
    }
  }
  return { schema, nullable: false };
}

/** String enums in either of schemars' shapes: `enum: [...]`, or `oneOf` of `const`s that carry the
 * variants' doc comments. */
function enumValues(schema: JsonObject): { type: string; values: Json[]; descriptions: string[] } | undefined {
  if (Array.isArray(schema.enum)) {
    const values = schema.enum;
    return { type: jsonTypeOf(values[0] ?? null), values, descriptions: values.map(() => "") };
  }
  const variants = Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants === undefined || variants.length === 0) {
    return undefined;
  }
  const values: Json[] = [];
  const descriptions: string[] = [];
  for (const variant of variants) {
    if (!isObject(variant)) {
      return undefined;
    }
    // schemars groups the variants without doc comments into one `enum` branch.
    const branchValues = "const" in variant ? [variant.const] : Array.isArray(variant.enum) ? variant.enum : undefined;
    if (branchValues === undefined) {
      return undefined;
    }
    for (const value of branchValues) {
      values.push(value);
      descriptions.push(stringField(variant, "description") ?? "");
    }
  }
  return { type: jsonTypeOf(values[0] ?? null), values, descriptions };
}

function jsonTypeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Replaces `$ref`s inside `items`/`additionalProperties` by their targets: VS Code resolves no
 * references across the manifest. */
function inlineRefs(root: JsonObject, schema: Json, key: string, depth = 0): Json {
  if (depth > 16) {
    throw new Error(`${key}: recursive types cannot be expressed as a setting`);
  }
  if (Array.isArray(schema)) {
    return schema.map((item) => inlineRefs(root, item, key, depth + 1));
  }
  if (!isObject(schema)) {
    return schema;
  }
  const resolved = typeof schema.$ref === "string" || Array.isArray(schema.allOf) ? resolveRef(root, schema) : schema;
  const result: JsonObject = {};
  for (const [field, value] of Object.entries(resolved)) {
    if (field === "$schema" || field === "title" || field === "format") {
      continue;
    }
    result[field] = inlineRefs(root, value, key, depth + 1);
  }
  return result;
}
