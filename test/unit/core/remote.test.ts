import { expect } from 'chai';
import { normalizeRemote } from '../../../src/core/remote.js';

describe('core/remote normalizeRemote', () => {
  const same = [
    'git@github.com:acme/orca.git',
    'git@github.com:acme/orca',
    'https://github.com/acme/orca',
    'https://github.com/acme/orca.git',
    'http://github.com/acme/orca',
    'ssh://git@github.com:22/acme/orca.git',
    'ssh://git@github.com/acme/orca.git',
    'https://github.com/acme/orca/',
    'https://github.com/acme/orca.git/',
    'https://github.com/acme/orca//',
    'git@github.com:acme/orca.git/',
    'https://GitHub.COM/acme/orca',
    'https://user:token@github.com/acme/orca.git',
    'https://github.com:443/acme/orca',
    '  https://github.com/acme/orca  ',
    'git+ssh://git@github.com/acme/orca.git',
    'github.com:acme/orca',
  ];
  for (const url of same) {
    it(`${JSON.stringify(url)} -> github.com/acme/orca`, () => {
      expect(normalizeRemote(url)).to.equal('github.com/acme/orca');
    });
  }

  it('keeps nested paths (GitLab subgroups) and collapses doubled slashes', () => {
    expect(normalizeRemote('https://gitlab.example.com/group/sub/repo.git')).to.equal('gitlab.example.com/group/sub/repo');
    expect(normalizeRemote('git@gitlab.example.com:group//sub/repo.git')).to.equal('gitlab.example.com/group/sub/repo');
  });

  it('distinguishes different hosts and repositories', () => {
    expect(normalizeRemote('git@gitlab.com:acme/orca.git')).to.equal('gitlab.com/acme/orca');
    expect(normalizeRemote('https://github.com/acme/orca-mirror')).to.equal('github.com/acme/orca-mirror');
  });

  it('is idempotent', () => {
    for (const url of same) expect(normalizeRemote(normalizeRemote(url))).to.equal(normalizeRemote(url));
  });

  it('leaves a local path as a path (without .git)', () => {
    expect(normalizeRemote('/srv/git/orca.git')).to.equal('/srv/git/orca');
  });
});
