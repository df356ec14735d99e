/** What Suggesting needs once someone suggests, accepts or rejects: one chunk, loaded
 * after the editor shows (extension.ts). */
export { decorationsPlugin } from "./decorations";
export { suggestions } from "./list";
export { resolveInto, resolveSuggestions } from "./resolve";
export { suggestTransaction } from "./transform";
