/**
 * `npm run docs`: regenerates the generated documentation: the README's versions table, the
 * environment field reference (docs/environment-reference.md), the alarm table of docs/operations.md and the module README snippets'
 * type-check files (__tests__/readme-snippets, lib/docs/readme-snippets.ts). Tests check all are current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALARMS_DOC_FILE, withAlarmsTable } from "../lib/docs/alarms-table";
import { FIELD_REFERENCE_FILE, fieldReference } from "../lib/docs/field-reference";
import { SNIPPETS_DIR, writeSnippetFiles } from "../lib/docs/readme-snippets";
import { withVersionsTable } from "../lib/docs/versions-table";

const root = join(__dirname, "..", "..");
const readme = join(root, "README.md");
writeFileSync(readme, withVersionsTable(readFileSync(readme, "utf8")));
console.log("README.md: versions table regenerated");
writeFileSync(join(root, FIELD_REFERENCE_FILE), fieldReference());
console.log(`${FIELD_REFERENCE_FILE}: regenerated from lib/config/schema.ts, environments/profiles.ts, lib/config/rules.ts`);
const alarmsDoc = join(root, ALARMS_DOC_FILE);
writeFileSync(alarmsDoc, withAlarmsTable(readFileSync(alarmsDoc, "utf8")));
console.log(`${ALARMS_DOC_FILE}: alarm table regenerated from lib/observability/alarms.ts, environments/profiles.ts`);
console.log(`${SNIPPETS_DIR}: ${writeSnippetFiles(root).length} module README snippets regenerated (type-checked by npm run typecheck)`);
