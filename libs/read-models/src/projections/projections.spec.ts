import {
  effectiveProjectRole,
  workspaceRoleOf,
} from '../../../domain/src/testing/access-answers.js';
import { Collections } from '../documents.js';
import { ALL_PROJECTIONS, PROJECTION_INDEXES } from './index.js';
import { History } from './testing/history.js';
import { EVENT_TYPES, richHistory } from './testing/rich-history.js';
import { recomputed, snapshot, TestProjector } from './testing/test-projector.js';

describe('projections', () => {
  it('projecting a history event by event gives the documents recomputed from the state, after every event', () => {
    const seen = new Set<string>();
    const history = richHistory((h, step) => {
      const last = h.events.at(-1);
      if (last) seen.add(last.type);
      const incremental = snapshot(h.projector.collections);
      const oracle = snapshot(recomputed(h.state));
      if (JSON.stringify(incremental) !== JSON.stringify(oracle)) {
        // The step in the message says which command's events went wrong.
        expect({ step, event: last?.type, documents: incremental }).toEqual({
          step,
          event: last?.type,
          documents: oracle,
        });
      }
    });
    for (const event of history.events) seen.add(event.type);
    expect(EVENT_TYPES.filter((type) => !seen.has(type))).toEqual([]);
    expect(history.events.length).toBeGreaterThan(EVENT_TYPES.length);
  });

  it('a projector joining midway (memos built from the state at hand) still matches the oracle', () => {
    // The projector folds history already projected without projecting it (checkpoints):
    // the first project() a projection sees is then in the middle of a stream.
    const full = richHistory();
    const late = new TestProjector('acme');
    const half = Math.floor(full.events.length / 2);
    full.events.forEach((event, i) => {
      if (i < half) {
        late.fold(event);
      } else {
        late.handle(event);
      }
    });
    const oracle = snapshot(recomputed(late.state));
    const projected = snapshot(late.collections);
    // Documents untouched since the join are absent from `late`; every present one is right.
    for (const [collection, documents] of Object.entries(projected)) {
      for (const [id, document] of Object.entries(documents)) {
        expect({ collection, id, document }).toEqual({
          collection,
          id,
          document: oracle[collection]?.[id],
        });
      }
    }
    expect(Object.keys(projected.workspaces ?? {}).length).toBeGreaterThan(0);
  });

  it('R28 every row agrees with the domain effectiveProjectRole, and every (member, live project) with access has a row', () => {
    const history = richHistory((h) => {
      const { state } = h;
      for (const project of state.projects.values()) {
        for (const userId of state.members.keys()) {
          // As reads serve it: org admins' and workspace editors' rows are implied (ADR 22).
          const row = h.projectAccessRow(project.projectId, userId);
          expect([project.projectId, userId, row?.role]).toEqual([
            project.projectId,
            userId,
            effectiveProjectRole(state, userId, project.projectId),
          ]);
        }
      }
    });
    expect(history.projector.documents(Collections.projectAccess).size).toBeGreaterThan(0);
  });

  it('R20 every workspace member document carries the domain workspaceRoleOf', () => {
    richHistory((h) => {
      for (const document of h.projector.documents(Collections.workspaceMembers).values()) {
        expect(document.role).toBe(
          workspaceRoleOf(h.state, document.userId as string, document.workspaceId as string),
        );
      }
    });
  });

  it('ALL_PROJECTIONS have unique names and own distinct collections, all indexed by organizationId', () => {
    const names = ALL_PROJECTIONS.map((projection) => projection.name);
    expect(new Set(names).size).toBe(names.length);
    const owned = ALL_PROJECTIONS.flatMap((projection) => Object.keys(projection.collections));
    expect(new Set(owned).size).toBe(owned.length);
    expect(Object.keys(PROJECTION_INDEXES).sort()).toEqual([...Object.values(Collections)].sort());
    for (const fields of Object.values(PROJECTION_INDEXES)) {
      expect(fields).toContain('organizationId');
    }
  });

  it('every filter a projection replaces by is an indexed field of its collection', () => {
    const history = new History();
    const filters: [string, string[]][] = [];
    const original = history.projector.handle.bind(history.projector);
    history.projector.handle = (event) => {
      const recorded = original(event);
      for (const change of history.projector.lastChanges) {
        if (change.type === 'replaceWhere')
          filters.push([change.collection, Object.keys(change.filter)]);
      }
      return recorded;
    };
    history.member('u-x', 'x@acme.test');
    history.run('ChangeMemberRole', { userId: 'u-x', roleId: 'full_access' });
    history.run('CreateProject', { projectId: 'p', workspaceId: 'ws-default', name: 'P' });
    history.run('RenameWorkspace', { workspaceId: 'ws-default', name: 'Home' });
    history.run('DeleteProject', { projectId: 'p' });
    history.run('RemoveMember', { userId: 'u-x' });
    expect(filters.length).toBeGreaterThan(0);
    for (const [collection, fields] of filters) {
      for (const field of fields) expect(PROJECTION_INDEXES[collection]).toContain(field);
    }
  });

  it('S2 no hash or secret in any document except credentials _id', () => {
    const history = richHistory();
    const hashes = [...history.state.apiKeys.values()].map((key) => key.secretHash);
    const prefixes = [...history.state.apiKeys.values()].map((key) => key.secretPrefix);
    expect(hashes.length).toBeGreaterThan(0);
    for (const [collection, documents] of history.projector.collections) {
      for (const document of documents.values()) {
        const text = JSON.stringify(
          collection === Collections.credentials ? { ...document, _id: undefined } : document,
        );
        for (const hash of hashes) expect(text).not.toContain(hash);
        for (const prefix of prefixes) expect(text).not.toContain(prefix);
        expect(text).not.toMatch(/secret/i);
      }
    }
    const credentialIds = [...history.projector.documents(Collections.credentials).keys()].sort();
    expect(credentialIds).toEqual([...hashes].sort());
  });
});
