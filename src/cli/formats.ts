// Machine formats of the validator report for CI systems: JUnit XML and SARIF 2.1.0.
import type { Report } from '../validate/validate.js';

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

export function junit(r: Report): string {
  const suites = r.refs.map((ref) => {
    const cases = ref.uncovered.map((d) => `    <testcase classname="csae.coverage" name="${esc(d.commit)} ${esc(d.subject)}"><failure message="${esc(d.message)}">${esc(d.next)}</failure></testcase>`);
    if (!ref.ok && ref.uncovered.length === 0) cases.push(`    <testcase classname="csae.coverage" name="${esc(ref.ref)}"><failure message="${esc(ref.reason)}">${esc(ref.next ?? '')}</failure></testcase>`);
    cases.unshift(`    <testcase classname="csae.coverage" name="${esc(ref.ref)}: ${ref.covered} covered commit(s)"/>`);
    return `  <testsuite name="csae ${esc(ref.ref)}" tests="${cases.length}" failures="${cases.length - 1}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="csae verify">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function sarif(r: Report): object {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'csae', informationUri: 'https://csae.dev', rules: [{ id: 'csae/uncovered-commit', shortDescription: { text: 'Commit not covered by a verified, mirrored bundle' } }, { id: 'csae/chain', shortDescription: { text: 'Audit mirror chain does not verify' } }] } },
        results: r.refs.flatMap((ref) => [
          ...ref.uncovered.map((d) => ({ ruleId: 'csae/uncovered-commit', level: 'error', message: { text: `${d.commit} ${d.subject}: ${d.message}. Next: ${d.next}` }, partialFingerprints: { commit: d.commit } })),
          ...(!ref.ok && ref.uncovered.length === 0 ? [{ ruleId: 'csae/chain', level: 'error', message: { text: ref.reason } }] : []),
        ]),
      },
    ],
  };
}
