// Machine and CI formats of the validator report: JUnit XML, SARIF 2.1.0 (with the locations code
// scanning requires), the GitHub job summary (markdown) and GitHub `::error` workflow commands.
// Pure: a report (and summary rows) in, text or an object out.
import type { Report } from '../validate/validate.js';
import type { SummaryRow } from '../ci/summary.js';
import type { CiPlan } from '../ci/env.js';

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

export function junit(r: Report): string {
  const suites = r.refs.map((ref) => {
    const cases = ref.uncovered.map((d) => `    <testcase classname="csae.coverage" name="${esc(d.commit)} ${esc(d.subject)}"><failure message="${esc(d.message)}" type="${esc(d.code)}">${esc(d.next)}</failure></testcase>`);
    if (!ref.ok && ref.uncovered.length === 0) cases.push(`    <testcase classname="csae.coverage" name="${esc(ref.ref)}"><failure message="${esc(ref.reason)}">${esc(ref.next ?? '')}</failure></testcase>`);
    cases.unshift(`    <testcase classname="csae.coverage" name="${esc(ref.ref)}: ${ref.covered} covered commit(s)"/>`);
    return `  <testsuite name="csae ${esc(ref.ref)}" tests="${cases.length}" failures="${cases.length - 1}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="csae verify">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** The file every SARIF result points at: the policy that makes coverage a rule (see docs/DECISIONS.md). */
export const SARIF_ARTIFACT = '.csae/policy.yaml';

const RULES = [
  {
    id: 'csae/uncovered-commit',
    name: 'UncoveredCommit',
    shortDescription: { text: 'Commit not covered by a verified, mirrored bundle' },
    fullDescription: { text: 'Every commit on a protected ref must be listed by a signed entry of the audit mirror that passes its checks (scope claim, range, attestation, verdicts). This one is not.' },
    help: { text: 'Run the next step the result names (usually `csae audit who COMMIT`, then `csae bundle publish` or `csae bundle retroactive --range A..B --reason TEXT`).' },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'csae/check-refused',
    name: 'CheckRefused',
    shortDescription: { text: 'The coverage check could not be completed (broken audit-mirror chain, rewritten history, unreadable trust root)' },
    fullDescription: { text: 'csae fails closed: when the audit mirror does not verify or the ref update cannot be judged, nothing is covered.' },
    help: { text: 'Run the next step the result names (e.g. `csae mirror verify`).' },
    defaultConfiguration: { level: 'error' },
  },
] as const;

/**
 * SARIF 2.1.0. Code scanning needs a physical location on every result; a commit has none, so each
 * result points at the policy file (the rule's source, present in every checked tree) and names the
 * commit as a logical location and as its fingerprint, so one commit is one alert across runs.
 */
export function sarif(r: Report): object {
  const location = (commit?: string) => ({
    physicalLocation: { artifactLocation: { uri: SARIF_ARTIFACT, uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1 } },
    ...(commit ? { logicalLocations: [{ name: commit.slice(0, 12), fullyQualifiedName: `commit:${commit}`, kind: 'object' }] } : {}),
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'csae', informationUri: 'https://csae.dev', rules: RULES } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'the root of the checked-out repository' } } },
        results: r.refs.flatMap((ref) => [
          ...ref.uncovered.map((d) => ({
            ruleId: RULES[0].id,
            ruleIndex: 0,
            level: 'error',
            message: { text: `Commit ${d.commit} (${d.subject}) on ${ref.ref} is not covered: ${d.message}. Next: ${d.next}` },
            locations: [location(d.commit)],
            partialFingerprints: { commit: d.commit },
            properties: { commit: d.commit, ref: ref.ref, diagnosis: d.code, next: d.next },
          })),
          ...(!ref.ok && ref.uncovered.length === 0
            ? [{ ruleId: RULES[1].id, ruleIndex: 1, level: 'error', message: { text: `${ref.ref}: ${ref.reason}${ref.next ? `. Next: ${ref.next}` : ''}` }, locations: [location()], partialFingerprints: { refusal: `${ref.ref} ${ref.reason}`.slice(0, 200) }, properties: { ref: ref.ref } }]
            : []),
        ]),
      },
    ],
  };
}

// ---- GitHub Actions ----

/** Escape a workflow command's message (GitHub's toCommandValue): %, CR and LF. */
const cmdData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** ... and a property value, which also may not hold ':' or ','. */
const cmdProp = (s: string): string => cmdData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One `::error` workflow command per uncovered commit (and one per refusal), for the run's annotations. */
export function annotations(r: Report): string[] {
  const out: string[] = [];
  for (const ref of r.refs) {
    for (const d of ref.uncovered) out.push(`::error title=${cmdProp(`csae: uncovered commit ${d.commit.slice(0, 12)}`)}::${cmdData(`${d.commit} ${d.subject}: ${d.message}. Next: ${d.next}`)}`);
    if (!ref.ok && ref.uncovered.length === 0) out.push(`::error title=${cmdProp(`csae: ${ref.ref} refused`)}::${cmdData(`${ref.reason}${ref.next ? `. Next: ${ref.next}` : ''}`)}`);
  }
  return out;
}

/** A markdown table cell: no pipes, no line breaks, no HTML (reviewer e-mails are `<...>`). */
const cell = (s: string): string => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!).replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

/** The job summary: the verdict, then commit → entry → verdicts → confidence. */
export function stepSummary(r: Report, rows: readonly SummaryRow[], ci?: CiPlan): string {
  const lines: string[] = [];
  lines.push(`## csae verify: ${r.ok ? '✅ covered' : '❌ rejected'}`, '');
  for (const ref of r.refs) lines.push(`\`${cell(ref.ref)}\`: ${ref.commits} commit(s) checked, ${ref.covered} covered, ${ref.uncovered.length} uncovered — ${cell(ref.reason)}${ref.next && !ref.ok ? `. Next: \`${cell(ref.next)}\`` : ''}`, '');
  if (ci) lines.push(`Taken from the ${ci.provider === 'github' ? 'GitHub Actions' : 'GitLab CI'} \`${cell(ci.event || 'run')}\` event: ${ci.range ? `\`${ci.range.base.slice(0, 12)}..${ci.range.head.slice(0, 12)}\`, policy from \`${(ci.policy ?? ci.range.base).slice(0, 12)}\`` : `history of \`${cell(ci.ref)}\` at \`${ci.tip.slice(0, 12)}\``}.`, '');
  if (rows.length) {
    lines.push('| commit | entry | verdicts | confidence |', '|---|---|---|---|');
    for (const row of rows) {
      const commit = row.entry ? `\`${row.commit.slice(0, 12)}\` (${row.count} commit(s))` : `\`${row.commit.slice(0, 12)}\` ${cell(row.subject ?? '')}`;
      const entry = row.entry
        ? `#${row.entry.seq} ${cell(row.entry.kind)} \`${cell(row.entry.workstream)}\` ${row.entry.ok ? '✅' : `❌ ${cell(row.entry.failed ?? 'fails its checks')}`}`
        : `❌ **uncovered** (${cell(row.diagnosis?.code ?? 'uncovered')}): ${cell(row.diagnosis?.message ?? '')}<br>next: \`${cell(row.diagnosis?.next ?? '')}\``;
      const verdicts = row.verdicts.map((v) => `${cell(v.status)} ${v.score}/${v.floor} by ${cell(v.reviewer)}`).join('<br>') || '—';
      lines.push(`| ${commit} | ${entry} | ${verdicts} | ${row.confidence} |`);
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}
