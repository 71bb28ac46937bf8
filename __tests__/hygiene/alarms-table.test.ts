/** docs/operations.md's alarm table is generated from the alarm code and the tier profiles (npm run docs). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TIERS } from "../../lib/config/schema";
import { ALARM_SIGNALS, ALARMS_DOC_FILE, alarmsTable, tierAlarms, withAlarmsTable } from "../../lib/docs/alarms-table";
import { PROFILES } from "../../environments/profiles";

const ROOT = join(__dirname, "..", "..");

describe("the alarm table of the operations guide", () => {
  test(`${ALARMS_DOC_FILE} carries the table generated from the code (run npm run docs)`, () => {
    const doc = readFileSync(join(ROOT, ALARMS_DOC_FILE), "utf8");
    expect(withAlarmsTable(doc)).toBe(doc);
  });

  test.each(TIERS)("every alarm of a %s environment has a signal described, and every description an alarm", (tier) => {
    const keys = tierAlarms(tier).map((a) => a.key);
    expect(keys.filter((k) => !(k in ALARM_SIGNALS))).toEqual([]);
    expect(Object.keys(ALARM_SIGNALS).filter((k) => !keys.includes(k))).toEqual([]);
  });

  test("thresholds come from the tier profiles: a changed default changes the table", () => {
    const dev = PROFILES.development.observability.thresholds;
    expect(alarmsTable()).toContain(`| \`rds-free-storage\` | FreeStorageSpace (RDS instances) | < ${dev.rdsFreeStorageGib} GiB |`);
    const before = alarmsTable();
    const saved = dev.alb5xxCount;
    (dev as { alb5xxCount: number }).alb5xxCount = saved + 1;
    try {
      expect(alarmsTable()).not.toBe(before);
      expect(alarmsTable()).toContain(`| \`alb-5xx\` | ALB + target 5xx per 5 min, 2 of 3 periods | > ${saved + 1} |`);
    } finally {
      (dev as { alb5xxCount: number }).alb5xxCount = saved;
    }
  });

  test("a document without the markers is refused by name", () => {
    expect(() => withAlarmsTable("# no table")).toThrow(`${ALARMS_DOC_FILE} has no alarms markers`);
  });
});
