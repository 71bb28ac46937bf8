/**
 * `npm run docs`: regenerates the generated documentation: the README's versions table and the
 * environment field reference (docs/environment-reference.md). Tests check both are current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_REFERENCE_FILE, fieldReference } from "../lib/docs/field-reference";
import { withVersionsTable } from "../lib/docs/versions-table";

const root = join(__dirname, "..", "..");
const readme = join(root, "README.md");
writeFileSync(readme, withVersionsTable(readFileSync(readme, "utf8")));
console.log("README.md: versions table regenerated");
writeFileSync(join(root, FIELD_REFERENCE_FILE), fieldReference());
console.log(`${FIELD_REFERENCE_FILE}: regenerated from lib/config/schema.ts, environments/profiles.ts, lib/config/rules.ts`);
