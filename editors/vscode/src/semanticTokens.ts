// Gazette's custom semantic token types and the TextMate scopes that colour them in default themes.
//
// This table is the single source for `contributes.semanticTokenTypes` and `semanticTokenScopes` in
// package.json (written by `npm run sync-manifest`, checked by `npm test`), and the Neovim plugin's
// test reads those package.json entries to check its highlight links cover the same types.

export interface EntityTokenType {
  /** The token type name in the server's legend. */
  id: string;
  /** A standard token type themes already colour, used when a theme has no rule for `id`. */
  superType: string;
  description: string;
  /** TextMate scopes, most specific first; the first one a theme colours wins. The choice gives
   * four distinct colours in Dark+/Light+: teal, yellow, blue, light green. */
  scopes: string[];
}

export const ENTITY_TOKEN_TYPES: readonly EntityTokenType[] = [
  {
    id: "locality",
    superType: "namespace",
    description: "A locality: country, region, province, city, district or commune.",
    scopes: ["entity.name.type.locality.gazette", "entity.name.type"],
  },
  {
    id: "person",
    superType: "function",
    description: "A person.",
    scopes: ["entity.name.function.person.gazette", "entity.name.function"],
  },
  {
    id: "organisation",
    superType: "class",
    description: "An organisation.",
    scopes: ["entity.name.tag.organisation.gazette", "entity.name.tag"],
  },
  {
    id: "date",
    superType: "number",
    description: "A calendar date or range of dates (TIMEX3 DATE).",
    scopes: ["constant.numeric.date.gazette", "constant.numeric"],
  },
  {
    id: "duration",
    superType: "number",
    description: "A duration (TIMEX3 DURATION).",
    scopes: ["constant.numeric.duration.gazette", "constant.numeric"],
  },
];

/** `contributes.semanticTokenTypes`. */
export function semanticTokenTypesContribution(): { id: string; superType: string; description: string }[] {
  return ENTITY_TOKEN_TYPES.map(({ id, superType, description }) => ({ id, superType, description }));
}

/** `contributes.semanticTokenScopes`: one entry for all languages. */
export function semanticTokenScopesContribution(): { scopes: Record<string, string[]> }[] {
  const scopes: Record<string, string[]> = {};
  for (const type of ENTITY_TOKEN_TYPES) {
    scopes[type.id] = [...type.scopes];
  }
  return [{ scopes }];
}

/** The standard semantic token types of LSP 3.17, which VS Code colours without contributions. */
export const STANDARD_TOKEN_TYPES: ReadonlySet<string> = new Set([
  "namespace", "type", "class", "enum", "interface", "struct", "typeParameter", "parameter", "variable",
  "property", "enumMember", "event", "function", "method", "macro", "keyword", "modifier", "comment",
  "string", "number", "regexp", "operator", "decorator",
]);

/** Token types in a server legend that no theme would colour: neither standard nor contributed. */
export function uncolouredLegendTypes(legendTypes: readonly string[]): string[] {
  const contributed = new Set(ENTITY_TOKEN_TYPES.map((type) => type.id));
  return legendTypes.filter((type) => !STANDARD_TOKEN_TYPES.has(type) && !contributed.has(type));
}
