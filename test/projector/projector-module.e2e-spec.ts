import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadSettings } from '#libs/config';
import { SqliteEventStore } from '#libs/event-store';
import {
  checkpointName,
  MemoryDocumentStore,
  membersProjection,
  PROJECTION_INDEXES,
} from '#libs/read-models';
import { ProjectorModule } from '../../apps/projector/src/projector.module.js';
import type { Projector } from '../../apps/projector/src/projector.js';
import { PROJECTOR } from '../../apps/projector/src/tokens.js';
import { writeHistory } from './support.js';

describe('ProjectorModule', () => {
  it('has caught up when the application has booted, and stops with it', async () => {
    const events = new SqliteEventStore(':memory:');
    await writeHistory(events, { organizations: 2, commands: 20, seed: 21 });
    const documents = new MemoryDocumentStore(PROJECTION_INDEXES);
    const app = await NestFactory.createApplicationContext(
      ProjectorModule.forRoot(loadSettings({}), events, documents),
      { logger: false },
    );
    const projector = app.get<Projector>(PROJECTOR);
    expect(projector.status()).toBe('live');
    expect(projector.position()).toBe(await events.headPosition());
    expect(await documents.checkpoint(checkpointName(membersProjection))).toBe(
      await events.headPosition(),
    );
    await app.close();
    expect(projector.status()).toBe('stopped');
    await events.close();
  });
});
