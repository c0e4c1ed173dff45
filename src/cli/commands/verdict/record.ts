// `csae verdict record`: sign a reviewer's structured verdict over A..B (app/work.ts).
import type { Argv } from 'yargs';
import type { Command } from '../../command.js';
import { signerOptions, type SignerArgs } from '../../signer.js';
import { verdictRecord } from '../../../app/work.js';

type RecordArgs = SignerArgs & { range: string; status: string; score: string; floor: string; defect?: string[]; summary?: string; method?: string; uri?: string; reviewer?: string };

const command: Command<RecordArgs> = {
  command: 'record',
  describe: 'Sign a structured verdict over a commit range A..B (subjects: rev-list B ^A)',
  builder: (a: Argv<any>) =>
    signerOptions(a)
      .option('range', { type: 'string', demandOption: true, describe: 'A..B: the reviewed commits are those in B and not in A' })
      .option('status', { choices: ['pass', 'fail'] as const, demandOption: true })
      .option('score', { type: 'string', demandOption: true, describe: 'the review score (number)' })
      .option('floor', { type: 'string', demandOption: true, describe: 'the pass floor (number); a pass needs score >= floor' })
      .option('defect', { type: 'string', array: true, describe: 'SEVERITY:TEXT, severity one of critical, major, minor, info (repeatable)' })
      .option('summary', { type: 'string' })
      .option('method', { type: 'string', describe: 'structured-review (default), pull-request, ...' })
      .option('uri', { type: 'string', describe: 'where the full review lives' })
      .option('reviewer', { type: 'string', describe: '"Name <email>" (default: git user)' })
      .example('csae verdict record --range main..HEAD --status pass --score 8.5 --floor 7 --defect "minor:naming" --key rita.key', '')
      .example('csae verdict record --range main..HEAD --status pass --score 9 --floor 7 --sigstore   # in CI, keyless', ''),
  run: async (a, ctx, out) => {
    const v = await verdictRecord(ctx, { range: a.range, status: a.status, score: a.score, floor: a.floor, defects: a.defect, summary: a.summary, method: a.method, uri: a.uri, reviewer: a.reviewer }, a);
    const p = v.statement.predicate;
    out.result({ ok: true, path: v.path, digest: v.digest, status: p.status, score: p.score, floor: p.floor, commits: v.statement.subject.length }, () => `${v.path}\n${v.digest}`);
  },
};
export default command;
