import { GridFSBucket, type Db, type Filter, type GridFSFile, MongoClient } from 'mongodb';
import { LATEST_ONLY, revisionsToKeep, type RetentionPolicy } from './retention.js';
import {
  type LatestSnapshotQuery,
  positionKey,
  type Snapshot,
  type SnapshotStore,
  SnapshotStoreUnavailableError,
} from './snapshot-store.port.js';

export interface MongoSnapshotStoreOptions {
  /** Defaults to the database named in the URL (the driver's own default when it names none). */
  databaseName?: string;
  /** GridFS bucket name; its collections are `<name>.files` and `<name>.chunks`. */
  bucketName?: string;
  /** How long an operation waits for a usable server before failing. Unset: the URL's, else 30 s. */
  serverSelectionTimeoutMS?: number;
}

/** What each snapshot's GridFS file carries beside its bytes. */
interface SnapshotMetadata {
  stream: string;
  foldVersion: string;
  revision: number;
  position: string;
  /** positionKey(position): fixed-width text, ordered as the number. */
  positionKey: string;
  time: string;
  timeMs: number;
}

type SnapshotFile = GridFSFile & { metadata: SnapshotMetadata };

/**
 * The production SnapshotStore on MongoDB (ADR 19), in GridFS: a 100,000-member organization's
 * snapshot is several megabytes and grows with it, past a document's 16 MB limit, which GridFS
 * splits into chunks for us. GridFS writes a file's chunks first and its `files` document last,
 * so `latest` (which queries `files`) never sees a half-written snapshot; a save that dies
 * midway leaves orphan chunks only, never a wrong state.
 *
 * Not transactional: a save uploads first and thins after, so a reader racing it sees the old
 * newest or the new one, and a save that fails after the upload only leaves one snapshot too
 * many until the next save. Written to the driver's documented GridFSBucket API.
 */
export class MongoSnapshotStore implements SnapshotStore {
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly bucket: GridFSBucket;
  private readonly bucketName: string;
  private initialising: Promise<void> | undefined;

  constructor(url: string, options: MongoSnapshotStoreOptions = {}) {
    try {
      // Constructing connects nothing; the first operation does.
      this.client = new MongoClient(url, {
        ...(options.serverSelectionTimeoutMS === undefined
          ? {}
          : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS }),
      });
    } catch (error) {
      throw new SnapshotStoreUnavailableError(
        `MONGO_URL is not a usable MongoDB connection string: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.db = this.client.db(options.databaseName);
    this.bucketName = options.bucketName ?? 'snapshots';
    this.bucket = new GridFSBucket(this.db, { bucketName: this.bucketName });
  }

  async save(stream: string, snapshot: Snapshot, retention = LATEST_ONLY): Promise<void> {
    await this.ready();
    const metadata: SnapshotMetadata = {
      stream,
      foldVersion: snapshot.foldVersion,
      revision: snapshot.revision,
      position: snapshot.position,
      positionKey: positionKey(snapshot.position),
      time: snapshot.time,
      timeMs: Date.parse(snapshot.time),
    };
    await this.guard(async () => {
      const upload = this.bucket.openUploadStream(`${stream}@${snapshot.revision}`, { metadata });
      await new Promise<void>((resolve, reject) => {
        upload.once('error', reject);
        upload.once('finish', () => resolve());
        upload.end(Buffer.from(snapshot.state));
      });
      await this.thin(stream, snapshot.foldVersion, upload.id, retention);
    });
  }

  async latest(stream: string, query: LatestSnapshotQuery): Promise<Snapshot | undefined> {
    await this.ready();
    return this.guard(async () => {
      const filter: Filter<GridFSFile> = {
        'metadata.stream': stream,
        'metadata.foldVersion': query.foldVersion,
        ...(query.maxRevision !== undefined && {
          'metadata.revision': { $lte: query.maxRevision },
        }),
        ...(query.maxPosition !== undefined && {
          'metadata.positionKey': { $lte: positionKey(query.maxPosition) },
        }),
        ...(query.maxTime !== undefined && { 'metadata.timeMs': { $lte: query.maxTime } }),
      };
      const [file] = (await this.bucket
        .find(filter, { sort: { 'metadata.revision': -1, uploadDate: -1 }, limit: 1 })
        .toArray()) as SnapshotFile[];
      if (!file) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of this.bucket.openDownloadStream(file._id))
        chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      return {
        revision: file.metadata.revision,
        position: file.metadata.position,
        time: file.metadata.time,
        foldVersion: file.metadata.foldVersion,
        state: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      };
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Drops other fold versions, older copies of the same revision, and what retention thins. */
  private async thin(
    stream: string,
    foldVersion: string,
    saved: GridFSFile['_id'],
    retention: RetentionPolicy,
  ): Promise<void> {
    const files = (await this.bucket
      .find({ 'metadata.stream': stream }, { sort: { uploadDate: -1 } })
      .toArray()) as SnapshotFile[];
    const ours = files.filter((file) => file.metadata.foldVersion === foldVersion);
    const keep = revisionsToKeep(
      ours.map((file) => file.metadata.revision),
      retention,
    );
    const seen = new Set<number>();
    for (const file of files) {
      const revision = file.metadata.revision;
      const kept =
        file.metadata.foldVersion === foldVersion &&
        keep.has(revision) &&
        // Of two saves of one revision, the one just made (else the newest upload) stays.
        (file._id.equals(saved) || !seen.has(revision));
      if (file.metadata.foldVersion === foldVersion && kept) seen.add(revision);
      if (!kept) await this.bucket.delete(file._id);
    }
  }

  private ready(): Promise<void> {
    this.initialising ??= this.guard(async () => {
      await this.db
        .collection(`${this.bucketName}.files`)
        .createIndex({ 'metadata.stream': 1, 'metadata.foldVersion': 1, 'metadata.revision': -1 });
    }).catch((error: unknown) => {
      this.initialising = undefined;
      throw error;
    });
    return this.initialising;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SnapshotStoreUnavailableError) throw error;
      throw new SnapshotStoreUnavailableError(
        `The MongoDB snapshot store (MONGO_URL) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}
