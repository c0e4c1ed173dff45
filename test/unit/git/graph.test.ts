// CommitGraph must answer exactly what `git rev-list head ^exclude...` would, on any DAG. Checked against
// a naive reachability computation on seeded random histories with merges.
import { expect } from 'chai';
import { CommitGraph } from '../../../src/git/graph.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function randomDag(n: number, seed: number): Array<{ id: string; parents: string[] }> {
  const r = rng(seed);
  const out: Array<{ id: string; parents: string[] }> = [];
  for (let i = 0; i < n; i++) {
    const parents: string[] = [];
    if (i > 0) {
      parents.push(out[Math.max(0, i - 1 - Math.floor(r() * 4))]!.id);
      if (i > 3 && r() < 0.25) {
        const p = out[Math.floor(r() * (i - 1))]!.id;
        if (!parents.includes(p)) parents.push(p);
      }
    }
    out.push({ id: i.toString(16).padStart(40, '0'), parents });
  }
  return out;
}

function reach(dag: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c) || !dag.has(c)) continue;
    seen.add(c);
    stack.push(...dag.get(c)!);
  }
  return seen;
}

describe('CommitGraph (in-memory rev-list)', () => {
  it('equals naive reachability for random DAGs with merges, heads and excludes', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const list = randomDag(120, seed);
      const dag = new Map(list.map((c) => [c.id, c.parents]));
      const g = new CommitGraph(list);
      const r = rng(seed * 7);
      for (let q = 0; q < 15; q++) {
        const head = list[Math.floor(r() * list.length)]!.id;
        const excludes = Array.from({ length: Math.floor(r() * 3) }, () => list[Math.floor(r() * list.length)]!.id);
        const want = reach(dag, head);
        for (const e of excludes) for (const x of reach(dag, e)) want.delete(x);
        const got = await g.range(head, excludes);
        expect(new Set(got.map((c) => c.id)), `seed ${seed} query ${q}`).to.deep.equal(want);
        // parents before children
        const pos = new Map(got.map((c, i) => [c.id, i]));
        for (const c of got) for (const p of c.parents) if (pos.has(p)) expect(pos.get(p)!).to.be.lessThan(pos.get(c.id)!);
      }
    }
  });

  it('treats commits outside the graph as excluded and asks the fallback for unknown heads', async () => {
    const list = [
      { id: 'b'.repeat(40), parents: ['a'.repeat(40)] },
      { id: 'c'.repeat(40), parents: ['b'.repeat(40)] },
    ];
    let asked = '';
    const g = new CommitGraph(list, { range: async (h) => ((asked = h), []) });
    expect((await g.range('c'.repeat(40), [])).map((c) => c.id)).to.deep.equal(['b'.repeat(40), 'c'.repeat(40)]);
    expect((await g.range('c'.repeat(40), ['b'.repeat(40)])).map((c) => c.id)).to.deep.equal(['c'.repeat(40)]);
    await g.range('d'.repeat(40), []);
    expect(asked).to.equal('d'.repeat(40));
  });
});

describe('topoSort (small ranges ordered in JS)', () => {
  it('puts parents before children for any input order, keeping unrelated commits in input order', async () => {
    const { topoSort } = await import('../../../src/git/git.js');
    for (let seed = 1; seed <= 20; seed++) {
      const dag = randomDag(60, seed);
      const r = rng(seed);
      const shuffled = [...dag].sort(() => r() - 0.5);
      const out = topoSort(shuffled);
      expect(out).to.have.length(dag.length);
      const pos = new Map(out.map((c, i) => [c.id, i]));
      for (const c of out) for (const p of c.parents) if (pos.has(p)) expect(pos.get(p)!).to.be.lessThan(pos.get(c.id)!);
    }
    const a = { id: 'a', parents: [] };
    const b = { id: 'b', parents: [] };
    expect(topoSort([b, a]).map((c) => c.id)).to.deep.equal(['b', 'a']);
  });
});
