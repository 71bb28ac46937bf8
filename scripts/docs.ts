/** `npm run docs`: regenerates the generated parts of README.md (versions table). */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withVersionsTable } from "../lib/docs/versions-table";

const readme = join(__dirname, "..", "..", "README.md");
writeFileSync(readme, withVersionsTable(readFileSync(readme, "utf8")));
console.log("README.md: versions table regenerated");
