// `npm run audit:verify`: walks the audit trail's hash chain in the platform's database
// (MONGODB_URI, else the local server under GRIDFLOW_DATA, as `npm start` opens it) and names the
// first entry that was edited, removed or reordered. Exit code 0: intact; 1: tampered; 2: could
// not check. Prints the last entry's hash: keep it elsewhere to anchor the chain.
import { openDatabase } from '../engine/db/connect.ts';
import { AuditTrail } from '../web/audit/trail.ts';

async function main(): Promise<number> {
  const db = await openDatabase();
  try {
    const result = await new AuditTrail(db.connection).verify();
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify(result));
    } else if (result.ok) {
      console.log(`audit trail intact: ${result.entries} entries; last entry ${result.lastSeq}, hash ${result.lastHash}`);
    } else {
      const p = result.problem!;
      console.log(`audit trail TAMPERED: entry ${p.seq} was ${p.kind}: ${p.detail}`);
      console.log(`(entries 1 to ${result.lastSeq} are intact; the last intact hash is ${result.lastHash})`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(`audit:verify could not check the trail: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
