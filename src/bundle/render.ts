// The human rendering of an entry, from bundles-template/bundle.md. Never trusted; the envelope is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PKG_ROOT } from '../paths.js';
import type { BundlePredicate } from '../core/statement.js';

const TEMPLATE = join(PKG_ROOT, 'bundles-template', 'bundle.md');

function md(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|#]/g, (c) => '\\' + c);
}

export function renderEntry(p: BundlePredicate, envelopeFile: string, template = readFileSync(TEMPLATE, 'utf8')): string {
  const vals: Record<string, string> = {
    seq: String(p.seq),
    kind: p.kind,
    workstream: p.workstream,
    envelopeFile,
    repository: md(p.repository),
    predecessor: p.predecessor ? `${p.predecessor.seq} (${p.predecessor.digest})` : 'none (first entry)',
    author: md(p.author),
    createdAt: p.createdAt,
    scope: p.scope ? `- intent commit \`${p.scope.commit}\`\n- intent: ${md(p.scope.intent)}\n- operator: ${md(p.scope.operator)}\n- registered: ${p.scope.registeredAt}` : '_none (this kind carries a reason instead)_',
    base: p.range.base ?? '(root)',
    head: p.range.head,
    count: String(p.range.commits.length),
    commits: p.range.commits.map((c) => `- \`${c}\``).join('\n') || '_none_',
    verdicts: p.verdicts.map((v) => `- \`${v.digest}\`: ${v.status} ${v.score}/${v.floor} by ${md(v.reviewer)}`).join('\n') || '_none_',
    selfAttestation: p.selfAttestation ? `commit \`${p.selfAttestation.commit}\` carries \`CSAE-Claim: ${p.selfAttestation.claimDigest}\`` : '_none (this kind has no attestation commit)_',
    notes: p.notes ? `\n## Notes\n\n${md(p.notes.reason)}${p.notes.breakSeq ? `\n\nnames the break at entry ${p.notes.breakSeq}` : ''}\n` : '',
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vals[k] ?? '');
}
