/**
 * `npm run docs`: regenerates the generated documentation: the README's versions table, the
 * environment field reference (docs/environment-reference.md) and the module README snippets'
 * type-check files (__tests__/readme-snippets, lib/docs/readme-snippets.ts). Tests check all are current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_REFERENCE_FILE, fieldReference } from "../lib/docs/field-reference";
import { SNIPPETS_DIR, writeSnippetFiles } from "../lib/docs/readme-snippets";
import { withVersionsTable } from "../lib/docs/versions-table";

const root = join(__dirname, "..", "..");
const readme = join(root, "README.md");
writeFileSync(readme, withVersionsTable(readFileSync(readme, "utf8")));
console.log("README.md: versions table regenerated");
writeFileSync(join(root, FIELD_REFERENCE_FILE), fieldReference());
console.log(`${FIELD_REFERENCE_FILE}: regenerated from lib/config/schema.ts, environments/profiles.ts, lib/config/rules.ts`);
console.log(`${SNIPPETS_DIR}: ${writeSnippetFiles(root).length} module README snippets regenerated (type-checked by npm run typecheck)`);
